"""Same-day visit edits: an office visit beside a procedure with a global period, or beside a
preventive visit, needs the modifier that says it was a separate service (25, or 57)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
from edits_factory import assert_problem, codesets, line, problems

from medsheets.model import CodeSets, Procedure
from medsheets.workbook.codesets import read_codesets


def with_globals() -> CodeSets:
    sets = codesets()
    extra = {
        "20610": Procedure("20610", "Large joint injection", Decimal("150.00"), "CPT",
                           global_days=0),
        "10060": Procedure("10060", "Drainage of a skin abscess", Decimal("180.00"), "CPT",
                           global_days=10),
        "27447": Procedure("27447", "Total knee replacement", Decimal("2500.00"), "CPT",
                           global_days=90),
        "99396": Procedure("99396", "Preventive visit, established, 40-64", Decimal("210.00"),
                           "CPT"),
    }
    return replace(sets, procedures={**sets.procedures, **extra})


def test_a_visit_beside_a_minor_procedure_without_25_is_held_at_its_modifier_cell() -> None:
    found = problems([line(procedure_code="99214"), line(row=3, procedure_code="20610")],
                     with_globals())
    problem = assert_problem(found, "MS-EM-MOD25", "modifier1", row=2)
    assert "99214" in problem.message and "20610" in problem.message
    assert "Add modifier 25" in problem.message and "CO-97" in problem.message


def test_a_ten_day_global_procedure_needs_25_too_whatever_the_row_order() -> None:
    found = problems([line(procedure_code="10060"), line(row=3, procedure_code="99213")],
                     with_globals())
    assert_problem(found, "MS-EM-MOD25", "modifier1", row=3)


def test_a_visit_with_25_beside_a_minor_procedure_passes() -> None:
    assert problems([line(procedure_code="99214", modifiers=("25",)),
                     line(row=3, procedure_code="20610")], with_globals()) == []


def test_a_visit_before_a_major_procedure_needs_57_not_25() -> None:
    sets = replace(with_globals(), modifiers={**with_globals().modifiers, "57": ""})
    found = problems([line(procedure_code="99214", modifiers=("25",)),
                      line(row=3, procedure_code="27447")], sets)
    problem = assert_problem(found, "MS-EM-MOD57", "modifier1", row=2)
    assert "modifier 57" in problem.message
    assert problems([line(procedure_code="99214", modifiers=("57",)),
                     line(row=3, procedure_code="27447")], sets) == []


def test_a_problem_visit_beside_a_preventive_visit_needs_25() -> None:
    found = problems([line(procedure_code="99396"), line(row=3, procedure_code="99213")],
                     with_globals())
    problem = assert_problem(found, "MS-EM-PREVENTIVE-MOD25", "modifier1", row=3)
    assert "99396" in problem.message
    assert problems([line(procedure_code="99396"),
                     line(row=3, procedure_code="99213", modifiers=("25",))], with_globals()) == []


def test_procedures_without_a_global_period_and_other_days_need_nothing() -> None:
    sets = with_globals()
    assert problems([line(procedure_code="99214"), line(row=3, procedure_code="36415")], sets) == []
    other_day = line(row=3, procedure_code="20610", encounter_id="E2",
                     date_of_service=dt.date(2026, 11, 19))
    assert problems([line(procedure_code="99214"), other_day], sets) == []
    other_patient = line(row=3, procedure_code="20610", encounter_id="E2", patient_id="P2")
    assert problems([line(procedure_code="99214"), other_patient], sets) == []


def test_a_global_period_that_is_not_0_10_or_90_is_an_error_at_its_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Procedures"
    sheet.append(["code", "description", "fee", "global_days"])
    sheet.append(["20610", "Large joint injection", 150, 0])
    sheet.append(["10060", "Drainage of a skin abscess", 180, 30])
    book.create_sheet("Modifiers").append(["code", "description"])
    book.create_sheet("Payers").append(["payer_id", "name", "claim_filing"])
    path = tmp_path / "codesets.xlsx"
    book.save(path)
    sets, found = read_codesets(path)
    assert sets.procedures["20610"].global_days == 0
    assert sets.procedures["10060"].global_days is None
    (problem,) = [p for p in found if p.code == "MS-CODESET-GLOBAL"]
    assert problem.source.cell == "D3" and "use 0, 10 or 90" in problem.message
