"""The check builds each line once, already priced: the same lines as building then pricing.

`check_workbook` hands the reader `prepare.LineDefaults.fill_columns`, which fills a chunk's
blank place of service, rendering NPI, referring name and charge before the lines are built;
`prepare_line` then finds nothing of that left to do. The problems a check finds do not show a
charge, so this compares the priced lines themselves, field by field, both ways.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from clock import EXAMPLE_AS_OF
from workbook_factory import GOOD_ROW, write_sheets

from medsheets.codes.prepare import LineDefaults, prepare_line
from medsheets.model import ServiceLine
from medsheets.practice import open_practice
from medsheets.practice_files import load_codesets
from medsheets.workbook.encounters import read_encounter_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))  # bench_check

HEADER = (*GOOD_ROW, "place_of_service", "rendering_npi", "referring_npi", "referring_name")
LISTED_NPI = "1620839476"  # Ortiz, Samuel on the example's Providers sheet
UNLISTED_NPI = "1234567893"


def _row(**cells: object) -> list[object]:
    values = {**GOOD_ROW, "procedure_code": "99203", "place_of_service": "22",
              "rendering_npi": "1384062950", **cells}
    return [values.get(name) for name in HEADER]


def _day(path: Path) -> Path:
    rows = [
        _row(),  # everything typed
        _row(encounter_id="E2", charge=None),  # priced from the fee schedule
        _row(encounter_id="E3", charge=None, units=3),
        _row(encounter_id="E4", charge=None, units=None),  # a blank is 1 unit
        _row(encounter_id="E5", charge=None, units=0),  # priced as 1, the edit reports the 0
        _row(encounter_id="E6", charge=None, procedure_code="99999"),  # not in the schedule
        _row(encounter_id="E7", charge=None, procedure_code=None),
        _row(encounter_id="E8", place_of_service=None, rendering_npi=None),  # the defaults
        _row(encounter_id="E9", referring_npi=LISTED_NPI),  # its name from the Providers sheet
        _row(encounter_id="E10", referring_npi=LISTED_NPI, referring_name="Typed, Name"),
        _row(encounter_id="E11", referring_npi=UNLISTED_NPI),
        _row(encounter_id="E12", charge="ten dollars"),  # unreadable: priced, as before
    ]
    return write_sheets(path, {"Encounters": [HEADER, *rows]})


def _both_ways(path: Path, practice_dir: Path) -> tuple[list[ServiceLine], list[ServiceLine]]:
    practice = open_practice(practice_dir)
    codesets = load_codesets(practice).codesets
    place = practice.config.practice.default_place_of_service
    rendering = practice.config.practice.default_rendering_npi or None
    built_then_priced = [prepare_line(line, codesets, place, {}, rendering)
                         for line in read_encounter_workbook(path).lines]
    filled = LineDefaults(codesets, place, rendering).fill_columns
    built_priced = read_encounter_workbook(path, fill_blanks=filled).lines
    again = [prepare_line(line, codesets, place, {}, rendering) for line in built_priced]
    assert all(after is before for after, before in zip(again, built_priced))  # nothing left
    return built_then_priced, again


def test_lines_built_priced_equal_lines_built_then_priced(practice_dir: Path, tmp_path: Path) -> None:
    expected, lines = _both_ways(_day(tmp_path / "day.xlsx"), practice_dir)
    assert lines == expected
    by_id = {line.encounter_id: line for line in lines}
    assert not by_id["E1"].charge_from_fee_schedule
    assert by_id["E3"].charge == 3 * by_id["E2"].charge and by_id["E3"].charge_from_fee_schedule
    assert by_id["E4"].charge == by_id["E5"].charge == by_id["E2"].charge
    assert by_id["E6"].charge is None and by_id["E7"].charge is None
    assert (by_id["E8"].place_of_service, by_id["E8"].rendering_npi) == ("11", "1457392813")
    assert by_id["E9"].referring_name and by_id["E10"].referring_name == "Typed, Name"
    assert by_id["E11"].referring_name is None
    assert isinstance(by_id["E12"].charge, Decimal) and by_id["E12"].charge_from_fee_schedule


def test_the_example_days_and_a_generated_day_are_priced_alike(practice_dir: Path,
                                                                tmp_path: Path) -> None:
    from bench_check import write_workbook

    generated = tmp_path / "generated.xlsx"
    write_workbook(generated, 300, practice_dir, EXAMPLE_AS_OF)
    days = [*sorted((practice_dir / "encounters").glob("*.xlsx")), generated]
    priced = 0
    for day in days:
        expected, lines = _both_ways(day, practice_dir)
        assert lines == expected, day.name
        priced += sum(line.charge_from_fee_schedule for line in lines)
    assert priced > 100  # the generated day leaves most charges blank
