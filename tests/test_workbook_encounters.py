"""The encounter workbook reader against what readers get wrong in the wild (docs/workbooks.md).

Every test writes a real xlsx and reads it through `read_encounter_workbook`: codes that must
stay text, names that look like missing values, Excel's date quirks, money cells that are
really errors, headers below titles, invisible characters, hidden sheets, merged cells, the
Patients sheet, and the source of every record and problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from workbook_factory import (
    ENCOUNTER_HEADER,
    encounter_rows,
    patch_sheet_xml,
    row,
    write_encounters,
    write_sheets,
)

from medsheets.model import Problem, Severity
from medsheets.workbook.encounters import EncounterWorkbook, read_encounter_workbook

COL = {name: chr(ord("A") + i) for i, name in enumerate(ENCOUNTER_HEADER)}


def read(tmp_path: Path, rows: Sequence[Mapping[str, Any]], **options: Any) -> EncounterWorkbook:
    aliases = options.pop("aliases", None)
    path = write_encounters(tmp_path / "day.xlsx", rows, **options)
    return read_encounter_workbook(path, aliases)


def only(result: EncounterWorkbook, code: str) -> Problem:
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, result.problems
    return found[0]


def cell_of(problem: Problem) -> str | None:
    return problem.source.cell


# --- codes and IDs stay text ---------------------------------------------------------------


def test_codes_and_ids_typed_as_text_keep_leading_zeros(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        [
            row(
                patient_zip="02134",
                procedure_code="0001U",
                member_id="000123456",
                patient_id="00042",
            )
        ],
    )
    assert result.problems == []
    line = result.lines[0]
    assert (line.patient.zip, line.procedure_code, line.member_id, line.patient_id) == (
        "02134",
        "0001U",
        "000123456",
        "00042",
    )


def test_zip_turned_into_a_number_is_restored_with_a_warning_at_its_cell(tmp_path: Path) -> None:
    result = read(tmp_path, [row(), row(encounter_id="E2", patient_zip=2134)])
    assert result.lines[1].patient.zip == "02134"
    problem = only(result, "MS-CELL-ZIP-RESTORED")
    assert problem.severity is Severity.WARNING
    assert cell_of(problem) == f"{COL['patient_zip']}3"
    assert "2134" in problem.message and "02134" in problem.message


def test_zip_plus_four_that_lost_its_zero_is_restored(tmp_path: Path) -> None:
    result = read(tmp_path, [row(patient_zip=21341234)])
    assert result.lines[0].patient.zip == "021341234"
    assert only(result, "MS-CELL-ZIP-RESTORED").severity is Severity.WARNING


@pytest.mark.parametrize("number", [213401, 2134012])
def test_ambiguous_six_or_seven_digit_zip_number_is_an_error(tmp_path: Path, number: int) -> None:
    result = read(tmp_path, [row(patient_zip=number)])
    problem = only(result, "MS-CELL-ZIP")
    assert problem.is_error and cell_of(problem) == f"{COL['patient_zip']}2"
    assert result.lines[0].patient.zip is None


def test_member_id_stored_as_a_number_is_flagged_not_trusted_silently(tmp_path: Path) -> None:
    result = read(tmp_path, [row(member_id=123456)])
    assert result.lines[0].member_id == "123456"
    problem = only(result, "MS-CELL-ID-NUMBER")
    assert problem.severity is Severity.WARNING and cell_of(problem) == f"{COL['member_id']}2"


def test_member_id_beyond_excel_precision_is_an_error(tmp_path: Path) -> None:
    result = read(tmp_path, [row(member_id=12345678901234567890)])
    assert only(result, "MS-CELL-ID-NUMBER").is_error
    assert result.lines[0].member_id is None


@pytest.mark.parametrize("name", ["NA", "None", "NULL", "N/A", "nan", "null"])
def test_names_that_look_like_missing_values_are_names(tmp_path: Path, name: str) -> None:
    result = read(tmp_path, [row(patient_last_name=name, patient_first_name=name)])
    assert result.problems == []
    assert (result.lines[0].patient.last_name, result.lines[0].patient.first_name) == (name, name)


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        dt.date(2026, 3, 4),
        dt.datetime(2026, 3, 4),
        "2026-03-04",
        "03/04/2026",
        "3/4/2026",
        " 2026-03-04 ",
        46085,
    ],
)
def test_date_of_service_as_excel_date_iso_or_us_text(tmp_path: Path, cell: Any) -> None:
    result = read(tmp_path, [row(date_of_service=cell)])
    assert result.problems == []
    assert result.lines[0].date_of_service == dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "13/01/2026", "March 4", "04.03.2026", "2026/03/04"]
)
def test_text_that_is_not_a_date_is_an_error_at_its_cell(tmp_path: Path, text: str) -> None:
    result = read(tmp_path, [row(date_of_service=text)])
    problem = only(result, "MS-CELL-DATE")
    assert cell_of(problem) == f"{COL['date_of_service']}2"
    assert result.lines[0].date_of_service is None


def _serial_dates(
    tmp_path: Path, serials: Sequence[int], number_format: str | None
) -> EncounterWorkbook:
    rows = [row(encounter_id=f"E{s}", patient_dob=s) for s in serials]
    formats = (
        {("Encounters", f"{COL['patient_dob']}{i + 2}"): number_format for i in range(len(serials))}
        if number_format
        else None
    )
    return read(tmp_path, rows, formats=formats)


@pytest.mark.parametrize("number_format", ["yyyy-mm-dd", None])
def test_serials_59_60_61_only_61_is_a_trustworthy_date(
    tmp_path: Path, number_format: str | None
) -> None:
    """calamine reads date-formatted 59 and 60 both as 1900-02-28 (60 is the phantom
    1900-02-29); unformatted they are plain numbers. Either way only 61 = 1900-03-01 passes."""
    result = _serial_dates(tmp_path, [59, 60, 61], number_format)
    date_problems = [p for p in result.problems if p.code == "MS-CELL-DATE"]
    assert [cell_of(p) for p in date_problems] == [
        f"{COL['patient_dob']}2",
        f"{COL['patient_dob']}3",
    ]
    assert [line.patient.dob for line in result.lines] == [None, None, dt.date(1900, 3, 1)]


def test_calamine_maps_date_formatted_59_and_60_to_the_same_day(tmp_path: Path) -> None:
    """The premise of the refusal above, checked against calamine itself."""
    from medsheets.workbook.table import Workbook

    path = write_sheets(
        tmp_path / "d.xlsx",
        {"S": [[59, 60, 61]]},
        formats={("S", "A1"): "yyyy-mm-dd", ("S", "B1"): "yyyy-mm-dd", ("S", "C1"): "yyyy-mm-dd"},
    )
    rows, _ = Workbook(path).rows("S")
    assert rows[0] == [dt.date(1900, 2, 28), dt.date(1900, 2, 28), dt.date(1900, 3, 1)]


def test_unformatted_serial_60_names_the_phantom_leap_day(tmp_path: Path) -> None:
    result = _serial_dates(tmp_path, [60], None)
    assert "1900-02-29" in only(result, "MS-CELL-DATE").message


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("$1,234.50", "1234.50"),
        (1234.5, "1234.50"),
        ("  99.00 ", "99.00"),
        (0, "0.00"),
        ("(12.00)", "-12.00"),
        (100, "100.00"),
        ("\u00a075.25", "75.25"),
    ],
)
def test_charge_is_read_once_into_exact_decimal(tmp_path: Path, cell: Any, amount: str) -> None:
    result = read(tmp_path, [row(charge=cell)])
    assert result.problems == []
    charge = result.lines[0].charge
    assert isinstance(charge, Decimal) and charge == Decimal(amount)
    assert charge.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "cell", [10.005, "10.005", "12,50", "1,2,3", "(12.00", "ten", "1e3", dt.date(2026, 1, 1), True]
)
def test_charge_that_is_not_whole_cents_is_refused(tmp_path: Path, cell: Any) -> None:
    result = read(tmp_path, [row(charge=cell)])
    problem = only(result, "MS-CELL-MONEY")
    assert problem.is_error and cell_of(problem) == f"{COL['charge']}2"
    assert result.lines[0].charge is None


def test_error_cell_in_charge_is_an_error_never_a_zero(tmp_path: Path) -> None:
    result = read(tmp_path, [row(charge="#N/A"), row(encounter_id="E2", charge="#DIV/0!")])
    errors = [p for p in result.problems if p.code == "MS-CELL-ERROR"]
    assert [cell_of(p) for p in errors] == [f"{COL['charge']}2", f"{COL['charge']}3"]
    assert "#N/A" in errors[0].message and "#DIV/0!" in errors[1].message
    assert [line.charge for line in result.lines] == [None, None]


def test_formula_without_cached_value_is_an_error_never_a_zero(tmp_path: Path) -> None:
    result = read(tmp_path, [row(charge="=100+25.5")])
    problem = only(result, "MS-CELL-FORMULA")
    assert problem.is_error and cell_of(problem) == f"{COL['charge']}2"
    assert "100+25.5" in problem.message
    assert result.lines[0].charge is None


def test_formula_with_cached_value_reads_its_value(tmp_path: Path) -> None:
    plain = write_encounters(tmp_path / "f.xlsx", [row(charge="=100+25.5")])
    cell = f'<c r="{COL["charge"]}2"><f>100+25.5</f>'.encode()
    saved = patch_sheet_xml(
        plain, tmp_path / "saved.xlsx", {cell + b"<v />": cell + b"<v>125.5</v>"}
    )
    result = read_encounter_workbook(saved)
    assert result.problems == []
    assert result.lines[0].charge == Decimal("125.50")


def test_formula_computing_an_empty_string_is_blank_not_an_error(tmp_path: Path) -> None:
    """=IF(X2="","",X2) saved by Excel: t="str" with an empty <v>. Its value is known: blank."""
    plain = write_encounters(tmp_path / "f.xlsx", [row(charge='=IF(1,"","")')])
    letter = COL["charge"]
    saved = patch_sheet_xml(
        plain,
        tmp_path / "saved.xlsx",
        {
            f'<c r="{letter}2"><f>'.encode(): f'<c r="{letter}2" t="str"><f>'.encode(),
            b"</f><v />": b"</f><v></v>",
        },
    )
    result = read_encounter_workbook(saved)
    assert result.problems == []
    assert result.lines[0].charge is None


# --- the header ------------------------------------------------------------------------------


def test_header_found_below_title_rows(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        [row()],
        title_rows=[["Maple Street Family Medicine"], ["Encounters for 2026-03-04"], []],
    )
    assert result.problems == []
    assert result.lines[0].origin.row == 5
    assert result.lines[0].encounter_id == "E1"


@pytest.mark.parametrize(
    "style",
    [
        lambda h: h.replace("_", " ").title(),  # Date Of Service
        lambda h: h.upper(),  # DATE_OF_SERVICE
        lambda h: h.replace("_", ""),  # dateofservice
        lambda h: " " + h.replace("_", " ").upper() + "\u00a0",  # padded
    ],
)
def test_headers_match_ignoring_case_spaces_and_underscores(tmp_path: Path, style: Any) -> None:
    header = [style(h) for h in ENCOUNTER_HEADER]
    result = read(tmp_path, [row()], header=header)
    assert result.problems == []
    assert result.lines[0].date_of_service == dt.date(2026, 3, 4)
    assert result.lines[0].patient.last_name == "Smith"


def test_practice_aliases_name_columns(tmp_path: Path) -> None:
    header = ["Nom de famille" if h == "patient_last_name" else h for h in ENCOUNTER_HEADER]
    rows = encounter_rows([row()])
    path = write_sheets(tmp_path / "a.xlsx", {"Encounters": [header, *rows[1:]]})
    without = read_encounter_workbook(path)
    with_alias = read_encounter_workbook(path, {"Nom de famille": "patient_last_name"})
    assert without.lines[0].patient.last_name is None
    assert with_alias.lines[0].patient.last_name == "Smith"
    assert with_alias.lines[0].origin.columns["patient_last_name"] == COL["patient_last_name"]


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    header = [h for h in ENCOUNTER_HEADER if h not in ("procedure_code", "dx1")]
    result = read(tmp_path, [row()], header=header)
    problem = only(result, "MS-COL-MISSING")
    assert problem.is_error and "dx1" in problem.message and "procedure_code" in problem.message
    assert "encounter_id" not in problem.message
    assert problem.source.file == "day.xlsx" and problem.source.sheet == "Encounters"
    assert result.lines == []


def test_duplicate_column_is_reported_and_the_first_one_read(tmp_path: Path) -> None:
    header = [*ENCOUNTER_HEADER, "Charge"]
    rows = [[*line, 999] for line in encounter_rows([row()])[1:]]
    path = write_sheets(tmp_path / "d.xlsx", {"Encounters": [header, *rows]})
    result = read_encounter_workbook(path)
    problem = only(result, "MS-COL-DUPLICATE")
    dup_letter = chr(ord("A") + len(ENCOUNTER_HEADER))
    assert cell_of(problem) == f"{dup_letter}1" and COL["charge"] in problem.message
    assert result.lines[0].charge == Decimal("125.50")


# --- text cleaning ----------------------------------------------------------------------------


def test_spaces_and_non_breaking_spaces_are_trimmed(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        [
            row(
                patient_last_name="  Smith\u00a0",
                patient_first_name="\u00a0Mary\u00a0Ann ",
                procedure_code=" 99213 ",
                patient_state=" ma",
            )
        ],
    )
    assert result.problems == []
    line = result.lines[0]
    assert (line.patient.last_name, line.patient.first_name) == ("Smith", "Mary Ann")
    assert (line.procedure_code, line.patient.state) == ("99213", "MA")


@pytest.mark.parametrize(
    ("bad", "codepoint"),
    [
        ("Smi\u200bth", "U+200B"),
        ("\ufeffSmith", "U+FEFF"),
        ("Smi\u200eth", "U+200E"),
        (
            "Smith_x0007_",
            "U+0007",
        ),  # how Excel stores a control character; openpyxl refuses a raw one
    ],
)
def test_invisible_and_control_characters_are_rejected_at_their_cell(
    tmp_path: Path, bad: str, codepoint: str
) -> None:
    result = read(tmp_path, [row(), row(encounter_id="E2", patient_last_name=bad)])
    problem = only(result, "MS-CELL-CHAR")
    assert problem.is_error and cell_of(problem) == f"{COL['patient_last_name']}3"
    assert codepoint in problem.message
    assert result.lines[1].patient.last_name is None


def test_row_of_only_spaces_is_not_a_service_line(tmp_path: Path) -> None:
    blank = {key: None for key in ENCOUNTER_HEADER} | {"patient_last_name": " ", "charge": "\u00a0"}
    result = read(tmp_path, [row(), blank, row(encounter_id="E3")])
    assert result.problems == []
    assert [line.origin.row for line in result.lines] == [2, 4]


# --- sheets and merged cells ------------------------------------------------------------------


def test_encounters_sheet_is_chosen_over_earlier_sheets(tmp_path: Path) -> None:
    sheets = {"Notes": [["scratch"]], "encounters": encounter_rows([row()])}
    result = read_encounter_workbook(write_sheets(tmp_path / "s.xlsx", sheets))
    assert result.problems == [] and result.lines[0].origin.sheet == "encounters"


def test_hidden_first_sheet_is_skipped_for_the_first_visible_one(tmp_path: Path) -> None:
    sheets = {"Lookup": [["encounter_id", "nothing"]], "Monday": encounter_rows([row()])}
    result = read_encounter_workbook(write_sheets(tmp_path / "s.xlsx", sheets, hidden=["Lookup"]))
    assert result.problems == []
    assert [line.origin.sheet for line in result.lines] == ["Monday"]


def test_chart_sheet_in_first_place_is_skipped(tmp_path: Path) -> None:
    path = write_sheets(tmp_path / "c.xlsx", {"Monday": encounter_rows([row()])})
    book = openpyxl.load_workbook(path)
    book.create_chartsheet("Chart", 0)
    book.save(path)
    result = read_encounter_workbook(path)
    assert result.problems == []
    assert [line.origin.sheet for line in result.lines] == ["Monday"]


def test_merged_cells_in_the_data_are_reported(tmp_path: Path) -> None:
    rows = [row(), row(encounter_id="E2")]
    letter = COL["encounter_id"]
    result = read(
        tmp_path,
        rows,
        title_rows=[["Title merged across"]],
        merged={"Encounters": ["A1:D1", f"{letter}3:{letter}4"]},
    )
    problem = only(result, "MS-CELL-MERGED")
    assert problem.is_error and cell_of(problem) == f"{letter}3"
    assert f"{letter}3:{letter}4" in problem.message


# --- the Patients sheet -----------------------------------------------------------------------


def test_patients_sheet_fills_blank_demographics_by_patient_id(tmp_path: Path) -> None:
    demographics = ["patient_last_name", "patient_first_name", "patient_dob", "patient_zip"]
    encounters = encounter_rows(
        [
            row(**{k: None for k in demographics}),
            row(
                encounter_id="E2",
                patient_id="P002",
                patient_last_name="Own",
                patient_first_name=None,
                patient_dob=None,
                patient_zip=None,
            ),
        ]
    )
    patients: list[list[Any]] = [
        ["Patient ID", "Patient Last Name", "Patient First Name", "Patient DOB", "Patient ZIP"],
        ["P001", "Jones", "Kim", dt.date(1970, 1, 2), 1234],
        ["P002", "Other", "Lee", "1960-07-08", "60601"],
    ]
    path = write_sheets(tmp_path / "p.xlsx", {"Encounters": encounters, "Patients": patients})
    result = read_encounter_workbook(path)
    first, second = (line.patient for line in result.lines)
    assert (first.last_name, first.first_name, first.dob, first.zip) == (
        "Jones",
        "Kim",
        dt.date(1970, 1, 2),
        "01234",
    )
    assert (second.last_name, second.first_name) == ("Own", "Lee")  # the encounter row wins
    problem = only(result, "MS-CELL-ZIP-RESTORED")
    assert (problem.source.sheet, cell_of(problem)) == ("Patients", "E2")


def test_patient_listed_twice_is_reported(tmp_path: Path) -> None:
    patients = [["patient_id", "patient_last_name"], ["P001", "Jones"], ["P001", "Jonas"]]
    path = write_sheets(
        tmp_path / "p.xlsx", {"Encounters": encounter_rows([row()]), "Patients": patients}
    )
    problem = only(read_encounter_workbook(path), "MS-PATIENT-DUPLICATE")
    assert (problem.source.sheet, cell_of(problem)) == ("Patients", "A3")


# --- every record carries its source ----------------------------------------------------------


def test_origins_and_problems_name_file_sheet_row_and_column(tmp_path: Path) -> None:
    header = ["Notes", *ENCOUNTER_HEADER]  # shift every column by one
    lines = [header] + [
        [f"note {i}", *values]
        for i, values in enumerate(encounter_rows([row(), row(encounter_id="E2", units="two")])[1:])
    ]
    path = write_sheets(tmp_path / "2026-03-04.xlsx", {"Day": [["title"], lines[0], *lines[1:]]})
    result = read_encounter_workbook(path)
    second = result.lines[1]
    source = second.origin.at("units")
    assert (source.file, source.sheet, source.row, source.column) == (
        "2026-03-04.xlsx",
        "Day",
        4,
        "P",
    )
    assert second.origin.at("encounter_id").cell == "B4"
    problem = only(result, "MS-CELL-NUMBER")
    assert str(problem).startswith("2026-03-04.xlsx:Day!P4: MS-CELL-NUMBER units")
    assert problem.as_dict()["cell"] == "P4" and problem.as_dict()["field"] == "units"
