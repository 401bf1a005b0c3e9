"""Front-desk header spellings known without aliases, unknown columns named once, the
`[columns]` fix offered in the user's own words when required columns are missing, and
messages naming a column as its header was typed, then medsheets' name."""

from __future__ import annotations

import re
from pathlib import Path

from clock import TODAY
from workbook_factory import ENCOUNTER_HEADER, encounter_rows, row, write_sheets

from medsheets.check import check_workbook
from medsheets.model import Source, error
from medsheets.practice import open_practice
from medsheets.workbook.encounters import read_encounter_workbook
from medsheets.workbook.headers import FRONT_DESK_HEADERS, in_users_words
from medsheets.workbook.table import header_key

DOCS = Path(__file__).resolve().parents[1] / "docs" / "workbook-headers.md"
FRONT_DESK = {"encounter_id": "Visit ID", "date_of_service": "DOS", "patient_id": "Acct #",
              "procedure_code": "CPT", "modifier1": "Mod 1", "copay_collected": "Copay",
              "member_id": "Member ID", "patient_dob": "DOB"}


def test_a_front_desk_workbook_reads_without_any_alias(tmp_path: Path) -> None:
    ours = [*ENCOUNTER_HEADER, "modifier1", "copay_collected"]
    header = [FRONT_DESK.get(name, name) for name in ours]
    rows = encounter_rows([row(modifier1="25", copay_collected="20.00")], header=ours)
    path = write_sheets(tmp_path / "day.xlsx", {"Encounters": [header, *rows[1:]]})
    book = read_encounter_workbook(path)
    assert [p.code for p in book.problems] == []
    (line,) = book.lines
    assert line.encounter_id and line.date_of_service and line.patient_id
    assert line.procedure_code and line.modifiers == ("25",) and line.copay_collected is not None
    assert line.origin.columns["date_of_service"] == "B"  # the cell is still named


def test_the_practice_alias_wins_over_a_built_in_spelling(tmp_path: Path) -> None:
    header = ["Copay" if h == "charge" else h for h in ENCOUNTER_HEADER]
    rows = encounter_rows([row(charge=135)])
    path = write_sheets(tmp_path / "day.xlsx", {"Encounters": [header, *rows[1:]]})
    (line,) = read_encounter_workbook(path, {"Copay": "charge"}).lines
    assert str(line.charge) == "135.00" and line.copay_collected is None


def test_columns_medsheets_does_not_read_are_named_once_as_a_warning(tmp_path: Path) -> None:
    header = [*ENCOUNTER_HEADER, "Notes", "Tech initials"]
    rows = [[*r, "call back", "JK"] for r in encounter_rows([row(), row()])[1:]]
    book = read_encounter_workbook(write_sheets(tmp_path / "day.xlsx",
                                                {"Encounters": [header, *rows]}))
    (note,) = [p for p in book.problems if p.code == "MS-COL-UNKNOWN"]
    assert not note.is_error and note.source.row == 1
    assert "'Notes'" in note.message and "'Tech initials'" in note.message
    assert "[columns]" in note.message and len(book.lines) == 2


def test_a_known_sheet_gives_no_unknown_column_note(tmp_path: Path) -> None:
    path = write_sheets(tmp_path / "day.xlsx", {"Encounters": encounter_rows([row()])})
    assert [p for p in read_encounter_workbook(path).problems if p.code == "MS-COL-UNKNOWN"] == []


def test_missing_columns_show_the_columns_fix_with_the_users_own_header(tmp_path: Path) -> None:
    header = ["Svc Dt" if h == "date_of_service" else h for h in ENCOUNTER_HEADER]
    rows = encounter_rows([row()])
    book = read_encounter_workbook(write_sheets(tmp_path / "day.xlsx",
                                                {"Encounters": [header, *rows[1:]]}))
    (missing,) = [p for p in book.problems if p.code == "MS-COL-MISSING"]
    assert "missing: date_of_service" in missing.message
    assert '[columns] "Svc Dt" = "date_of_service"' in missing.message


def test_the_docs_table_lists_exactly_the_built_in_spellings() -> None:
    text = DOCS.read_text(encoding="utf-8")
    listed: dict[str, str] = {}
    for column, spellings in re.findall(r"^\| `([a-z0-9_]+)` \| (.+) \|$", text, re.M):
        for spelling in re.findall(r"`([^`]+)`", spellings):
            listed[spelling] = column
    assert listed == dict(FRONT_DESK_HEADERS)


def test_no_spelling_names_two_columns() -> None:
    keys = [header_key(spelling) for spelling in FRONT_DESK_HEADERS]
    assert len(keys) == len(set(keys))


def test_the_secondary_insurance_columns_read_under_front_desk_spellings(tmp_path: Path) -> None:
    ours = [*ENCOUNTER_HEADER, "secondary_payer_id", "secondary_member_id"]
    rows = encounter_rows([row(secondary_payer_id="ILMCD", secondary_member_id="119052278")],
                          header=ours)
    for spelled in (["Secondary Insurance", "Sec Member ID"], ["Ins 2", "Ins 2 ID"]):
        path = write_sheets(tmp_path / "day.xlsx", {"Encounters": [[*ENCOUNTER_HEADER, *spelled],
                                                                   *rows[1:]]})
        book = read_encounter_workbook(path)
        assert [p.code for p in book.problems] == []
        (line,) = book.lines
        assert (line.secondary_payer_id, line.secondary_member_id) == ("ILMCD", "119052278")
    one = encounter_rows([row(secondary_payer_id="ILMCD")],
                         header=[*ENCOUNTER_HEADER, "secondary_payer_id"])
    unknown = write_sheets(tmp_path / "odd.xlsx", {"Encounters": [[*ENCOUNTER_HEADER, "Ins Two"],
                                                                 *one[1:]]})
    book = read_encounter_workbook(unknown)
    assert [p.code for p in book.problems] == ["MS-COL-UNKNOWN"] and book.lines[0].secondary is None


def _front_desk_day(path: Path, *rows: dict[str, object]) -> Path:
    ours = [*ENCOUNTER_HEADER, "modifier1", "copay_collected"]
    header = [FRONT_DESK.get(name, name) for name in ours]
    return write_sheets(path, {"Encounters": [header, *encounter_rows(list(rows), header=ours)[1:]]})


def test_a_reading_problem_names_the_column_as_typed_then_medsheets_name(tmp_path: Path) -> None:
    book = read_encounter_workbook(_front_desk_day(tmp_path / "day.xlsx",
                                                   row(date_of_service="next Tuesday")))
    (problem,) = [p for p in book.problems if p.source.field == "date_of_service"]
    assert problem.message.startswith("DOS (date_of_service) "), problem.message
    assert problem.source.cell == "B2" and problem.source.field == "date_of_service"


def test_a_header_spelled_as_medsheets_spells_it_is_named_once(tmp_path: Path) -> None:
    path = write_sheets(tmp_path / "day.xlsx",
                        {"Encounters": encounter_rows([row(date_of_service="next Tuesday")])})
    (problem,) = [p for p in read_encounter_workbook(path).problems
                  if p.source.field == "date_of_service"]
    assert problem.message.startswith("date_of_service ") and "(date_of_service)" not in problem.message


def test_an_aliased_header_is_named_as_typed(tmp_path: Path) -> None:
    header = ["Svc Dt" if h == "date_of_service" else h for h in ENCOUNTER_HEADER]
    rows = encounter_rows([row(date_of_service="next Tuesday")])
    path = write_sheets(tmp_path / "day.xlsx", {"Encounters": [header, *rows[1:]]})
    (problem,) = [p for p in read_encounter_workbook(path, {"Svc Dt": "date_of_service"}).problems
                  if p.source.field == "date_of_service"]
    assert problem.message.startswith("Svc Dt (date_of_service) "), problem.message


def test_an_edit_names_the_column_as_typed(practice_dir: Path, tmp_path: Path) -> None:
    day = _front_desk_day(tmp_path / "day.xlsx", row(member_id=None))
    result = check_workbook(day, open_practice(practice_dir), as_of=TODAY)
    (blank,) = [p for p in result.problems if p.source.field == "member_id"]
    assert blank.message.startswith("Member ID (member_id) is blank"), blank.message


def test_words_that_are_not_the_column_stay(tmp_path: Path) -> None:
    typed = {"Encounters": {"member_id": "Member ID", "dx2": "Dx 2", "charge": "Fee"}}
    gap = error(Source("d.xlsx", "Encounters", 2, "C", "dx2"), "MS-DX-GAP",
                "dx2 is blank but a later dx column is filled; fill the diagnoses from dx1")
    other = error(Source("d.xlsx", "Encounters", 2, "D", "units"), "MS-X",
                  "units 3 exceed the charge; see 'member_id' above")
    elsewhere = error(Source("d.xlsx", "Patients", 2, "C", "dx2"), "MS-X", "dx2 is odd")
    reworded = in_users_words([gap, other, elsewhere], typed)
    assert reworded[0].message == ("Dx 2 (dx2) is blank but a later dx column is filled; fill "
                                   "the diagnoses from dx1")
    assert reworded[1] is other  # "charge" is a plain word here; a quoted name is left alone
    assert reworded[2] is elsewhere  # another sheet, whose headers are not these
    assert in_users_words(reworded, typed)[0].message == reworded[0].message  # said once


def test_a_header_spelled_otherwise_is_named_as_typed_then_medsheets_name(
        tmp_path: Path) -> None:
    header = ["Date of Service" if h == "date_of_service" else h for h in ENCOUNTER_HEADER]
    rows = encounter_rows([row(date_of_service="next Tuesday")])
    path = write_sheets(tmp_path / "day.xlsx", {"Encounters": [header, *rows[1:]]})
    (problem,) = [p for p in read_encounter_workbook(path).problems
                  if p.source.field == "date_of_service"]
    assert problem.message.startswith("Date of Service (date_of_service) 'next Tuesday' is not")


def test_a_plain_word_column_is_reworded_only_where_it_opens_the_message() -> None:
    typed = {"Procedures": {"fee": "Charge", "code": "Code"}}
    bad = error(Source("codesets.xlsx", "Procedures", 3, "C", "fee"), "MS-CELL-MONEY",
                "fee 'abc' is not money; the fee schedule needs an amount")
    (reworded,) = in_users_words([bad], typed)
    assert reworded.message == ("Charge (fee) 'abc' is not money; the fee schedule needs an "
                                "amount")
