"""Numbers where codes belong: account numbers are fine, dropped leading zeros are restored."""

from __future__ import annotations

from pathlib import Path

from workbook_factory import ENCOUNTER_HEADER, row, write_encounters

from medsheets.workbook.encounters import read_encounter_workbook

HEADER = (*ENCOUNTER_HEADER, "place_of_service", "rendering_npi")


def _read(tmp_path: Path, **overrides: object):
    path = write_encounters(tmp_path / "day.xlsx", [row(**overrides)], header=HEADER)
    return read_encounter_workbook(path)


def test_numeric_account_number_and_npi_are_read_without_a_warning(tmp_path: Path) -> None:
    result = _read(tmp_path, patient_id=10234, rendering_npi=1234567893)
    assert result.problems == []
    assert result.lines[0].patient_id == "10234"
    assert result.lines[0].rendering_npi == "1234567893"


def test_anesthesia_code_typed_as_a_number_gets_its_zeros_back(tmp_path: Path) -> None:
    result = _read(tmp_path, procedure_code=100)
    assert result.lines[0].procedure_code == "00100"
    [problem] = result.problems
    assert (problem.code, problem.source.cell, problem.is_error) == ("MS-CELL-CODE-RESTORED", "N2", False)


def test_place_of_service_typed_as_a_number_gets_its_zero_back(tmp_path: Path) -> None:
    result = _read(tmp_path, place_of_service=2)
    assert result.lines[0].place_of_service == "02"
    assert [p.code for p in result.problems] == ["MS-CELL-CODE-RESTORED"]


def test_five_digit_procedure_number_is_plain_text(tmp_path: Path) -> None:
    result = _read(tmp_path, procedure_code=99213)
    assert result.lines[0].procedure_code == "99213"
    assert result.problems == []


def test_a_gap_in_the_diagnoses_is_an_error_at_the_blank_cell(tmp_path: Path) -> None:
    header = (*ENCOUNTER_HEADER, "dx2", "dx3")
    path = write_encounters(tmp_path / "day.xlsx", [row(dx2=None, dx3="I10")], header=header)
    result = read_encounter_workbook(path)
    [problem] = result.problems
    assert (problem.code, problem.source.field, problem.is_error) == ("MS-DX-GAP", "dx2", True)
