"""`medsheets resubmit`: problems land on the worklist's cells, held claims change nothing,
and the command's exit codes and messages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from denials_support import (  # noqa: F401  (fixtures)
    NOW,
    answer,
    billed_template_fixture,
    cell_of,
    count,
    deny,
    edit_worklist,
    practice_fixture,
)

from medsheets.denials.resubmit import ResubmitResult, resubmit_worklist
from medsheets.denials.worklist import make_worklist
from medsheets.ledger.schema import batches, claim_events, journal
from medsheets.practice import Practice

CLAIM = "E261125-02"


def made(practice: Practice) -> Path:
    return make_worklist(practice, practice.root / "made.xlsx", as_of=NOW.date()).path


def run(practice: Practice, changes: dict[tuple[str, int], dict[str, object]]) -> tuple[ResubmitResult, Path]:
    edited = edit_worklist(made(practice), changes, practice.root / "worklist.xlsx")
    return resubmit_worklist(practice, edited, now=NOW), edited


def codes_at(result: ResubmitResult) -> list[tuple[str | None, str]]:
    return [(problem.source.cell, problem.code) for problem in result.problems]


def test_bad_codes_are_reported_at_their_cells_and_hold_only_their_claim(practice: Practice) -> None:
    deny(practice, CLAIM, "CO-16", "ICN222")
    answer(practice, "E261125-06", {"event": "line_denied", "line": 2, "reasons": "CO-29", "number": "I6"})
    before = count(practice, journal)
    result, book = run(practice, {(CLAIM, 1): {"action": "correct", "procedure_code": 99999,
                                               "diagnoses": "E11"},
                                  (CLAIM, 2): {"units": 3},
                                  ("E261125-06", 2): {"action": "write off"}})
    assert result.has_errors and result.held == [CLAIM] and result.batch_file is None
    found = codes_at(result)
    assert (cell_of(book, (CLAIM, 1), "procedure_code"), "MS-PROC-UNKNOWN") in found
    assert (cell_of(book, (CLAIM, 1), "diagnoses"), "MS-DX-HEADER") in found
    assert (cell_of(book, (CLAIM, 2), "units"), "MS-UNITS-MUE") in found
    assert result.written_off == [("E261125-06", 2, Decimal("60.00"))]  # the good row went through
    assert count(practice, journal) == before + 1


def test_an_unknown_action_and_an_unusable_reason_are_errors_at_their_cells(practice: Practice) -> None:
    deny(practice, CLAIM, "CO-16", "ICN222")
    result, book = run(practice, {(CLAIM, 1): {"action": "fix it"},
                                  (CLAIM, 2): {"action": "write off", "reason": "CO-29-X"}})
    assert (cell_of(book, (CLAIM, 1), "action"), "MS-WL-ACTION") in codes_at(result)
    assert (cell_of(book, (CLAIM, 2), "reason"), "MS-WL-REASON") in codes_at(result)
    assert "not one of: correct, void, write off, bill patient" in str(result.problems[0])
    assert not result.did_anything and result.held == [CLAIM]


def test_correct_or_void_with_another_action_on_the_same_claim_is_refused(practice: Practice) -> None:
    deny(practice, CLAIM, "CO-16", "ICN222")
    result, book = run(practice, {(CLAIM, 1): {"action": "correct"}, (CLAIM, 3): {"action": "write off"}})
    assert codes_at(result) == [(cell_of(book, (CLAIM, 3), "action"), "MS-WL-CONFLICT")]
    assert not result.did_anything


def test_a_worklist_older_than_the_latest_denial_is_stale(practice: Practice) -> None:
    deny(practice, CLAIM, "CO-16", "ICN222")
    book = edit_worklist(made(practice), {(CLAIM, 1): {"action": "correct"}})
    deny(practice, CLAIM, "CO-11", "ICN223")
    result = resubmit_worklist(practice, book, now=NOW)
    assert codes_at(result) == [(cell_of(book, (CLAIM, 1), "ref"), "MS-WL-STALE")]
    assert not result.has_errors and not result.did_anything and result.stale == [CLAIM]


def test_a_denial_without_the_payer_claim_number_cannot_be_corrected(practice: Practice) -> None:
    answer(practice, CLAIM, {"event": "denied", "reasons": "CO-16"})
    result, book = run(practice, {(CLAIM, 1): {"action": "correct"}})
    assert codes_at(result) == [(cell_of(book, (CLAIM, 1), "action"), "MS-WL-NO-PAYER-NUMBER")]
    assert count(practice, batches) == 1


def test_lines_not_denied_cannot_be_written_off_and_changes_need_an_action(practice: Practice) -> None:
    answer(practice, "E261125-06", {"event": "partly_paid", "number": "I6"},
           {"event": "line_denied", "line": 2, "reasons": "CO-29"})
    deny(practice, CLAIM, "CO-16", "ICN222")
    events = count(practice, claim_events)
    result, book = run(practice, {("E261125-06", 1): {"action": "write off"},
                                  (CLAIM, 1): {"procedure_code": "99214"}})
    assert codes_at(result) == [(cell_of(book, ("E261125-06", 1), "action"), "MS-WL-NOT-DENIED"),
                                (cell_of(book, (CLAIM, 1), "procedure_code"), "MS-WL-NO-ACTION")]
    assert result.problems[1].severity.value == "warning"
    assert count(practice, claim_events) == events  # nothing was done
