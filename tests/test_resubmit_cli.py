"""`medsheets resubmit WB` on the command line: the report, exit codes 0, 1 and 2."""

from __future__ import annotations

from pathlib import Path

from clock import TODAY
from denials_support import (  # noqa: F401  (fixtures)
    answer,
    billed_template_fixture,
    cell_of,
    deny,
    edit_worklist,
    practice_fixture,
)

from medsheets.denials.worklist import make_worklist
from medsheets.practice import Practice


def worklist(practice: Practice, changes: dict[tuple[str, int], dict[str, object]]) -> Path:
    made = make_worklist(practice, practice.root / "made.xlsx", as_of=TODAY).path
    return edit_worklist(made, changes, practice.root / "worklist.xlsx")


def test_resubmit_reports_what_it_did_then_that_it_was_done(practice: Practice, invoke) -> None:
    answer(practice, "E261125-06", {"event": "partly_paid", "number": "I6"},
           {"event": "line_denied", "line": 2, "reasons": "CO-29"},
           {"event": "line_denied", "line": 3, "reasons": "PR-204"})
    book = worklist(practice, {("E261125-06", 2): {"action": "write off"},
                               ("E261125-06", 3): {"action": "bill patient"}})
    first = invoke("resubmit", "--practice", practice.root, book)
    assert first.exit_code == 0, first.output
    assert first.output == "written off: 1 lines, 60.00\nbilled to patient: 1 lines, 28.00\n"
    second = invoke("resubmit", "--practice", practice.root, book)
    assert second.exit_code == 0
    assert second.output == "already done: 1 (nothing is done twice)\nnothing new to do\n"


def test_rows_with_errors_give_exit_1_with_the_cell_named(practice: Practice, invoke) -> None:
    deny(practice, "E261125-02", "CO-16", "ICN222")
    book = worklist(practice, {("E261125-02", 1): {"action": "resend"}})
    result = invoke("resubmit", "--practice", practice.root, book)
    assert result.exit_code == 1
    cell = cell_of(book, ("E261125-02", 1), "action")
    assert result.output.splitlines() == [
        (f"worklist.xlsx:Denials!{cell}: MS-WL-ACTION action 'resend' is not one of: correct, "
         "void, write off, bill patient, rebill; pick one from the list or leave the cell blank"),
        "held: 1 claims with errors; fix the cells above and run again",
        "nothing new to do",
    ]


def test_a_missing_or_foreign_workbook_cannot_run(practice: Practice, invoke) -> None:
    missing = invoke("resubmit", "--practice", practice.root, practice.root / "nope.xlsx")
    assert (missing.exit_code, missing.stderr) == (2, "medsheets: error: nope.xlsx: no such file\n")
    day = practice.root / "encounters" / "2026-11-25.xlsx"
    foreign = invoke("resubmit", "--practice", practice.root, day)
    assert foreign.exit_code == 2
    assert foreign.stderr == ("medsheets: error: 2026-11-25.xlsx: is not a denial worklist (no "
                              "encounter_id, line, ref and action columns); make one with "
                              "'medsheets denials'\n")
    assert foreign.stdout == ""


def test_resubmit_names_the_837_it_wrote(practice: Practice, invoke) -> None:
    deny(practice, "E261125-02", "CO-16", "ICN222")
    book = worklist(practice, {("E261125-02", 1): {"action": "correct"}})
    result = invoke("resubmit", "--practice", practice.root, book)
    assert result.exit_code == 0, result.output
    [line] = result.output.splitlines()
    assert line.startswith("sent: 1 corrected -> ") and line.endswith(".837")
    written = Path(line.split(" -> ")[1])
    assert written.parent == practice.root / "out" / "claims" and written.exists()
