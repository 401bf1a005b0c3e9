"""Procedure edits: the fee schedule, effective dates, modifiers, units, charge, sex and age."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from edits_factory import assert_problem, line, problems, run

from medsheets.model import Severity


def test_a_code_not_in_the_procedures_sheet() -> None:
    result = run(line(procedure_code="99215"))
    problem = assert_problem(result.problems, "MS-PROC-UNKNOWN", "procedure_code")
    assert "99215" in problem.message
    assert result.lines[0].charge is None


def test_a_code_not_in_force_on_the_date_of_service() -> None:
    problem = assert_problem(problems(line(procedure_code="99201")), "MS-PROC-NOT-EFFECTIVE",
                             "procedure_code")
    assert "2026-11-20" in problem.message and "terminated 2020-12-31" in problem.message


def test_a_code_in_force_before_it_was_terminated() -> None:
    assert problems(line(procedure_code="99201", date_of_service=dt.date(2020, 12, 31),
                         payer_id=None, member_id=None)) == []


def test_a_modifier_not_in_the_modifiers_sheet() -> None:
    assert_problem(problems(line(modifiers=("25", "GA"))), "MS-MOD-UNKNOWN", "modifier2")
    assert problems(line(modifiers=("25",))) == []


def test_units_must_be_positive() -> None:
    assert_problem(problems(line(units=0)), "MS-UNITS", "units")


def test_units_above_the_mue() -> None:
    problem = assert_problem(problems(line(units=2)), "MS-UNITS-MUE", "units")
    assert "99213" in problem.message


def test_units_within_the_mue() -> None:
    result = run(line(procedure_code="36415", units=3))
    assert result.problems == ()
    assert result.lines[0].charge == Decimal("36.00")


def test_a_blank_charge_is_the_fee() -> None:
    priced = run(line()).lines[0]
    assert priced.charge == Decimal("100.00")
    assert priced.charge_from_fee_schedule is True
    assert priced.place_of_service == "11"


def test_a_typed_charge_equal_to_the_fee_passes() -> None:
    result = run(line(charge=Decimal("100.00"), place_of_service="22"))
    assert result.problems == ()
    assert result.lines[0].charge_from_fee_schedule is False
    assert result.lines[0].place_of_service == "22"


def test_a_charge_different_from_the_fee_is_a_warning() -> None:
    found = problems(line(charge=Decimal("120.00")))
    problem = assert_problem(found, "MS-CHARGE-FEE", "charge", severity=Severity.WARNING)
    assert "120.00" in problem.message and "100.00" in problem.message


def test_a_zero_charge_typed() -> None:
    assert_problem(problems(line(charge=Decimal("0.00"))), "MS-CHARGE-ZERO", "charge")


def test_a_zero_fee_in_the_procedures_sheet() -> None:
    problem = assert_problem(problems(line(procedure_code="3074F")), "MS-CHARGE-ZERO", "charge")
    assert "Procedures sheet" in problem.message


def test_a_procedure_for_the_other_sex() -> None:
    found = problems(line(procedure_code="G0102", diagnoses=("Z125",)))
    assert_problem(found, "MS-PROC-SEX", "procedure_code")


def test_a_procedure_for_the_right_sex() -> None:
    found = problems(line(procedure_code="G0102", patient_sex="M", diagnoses=("Z125",)))
    assert found == []


def test_a_procedure_outside_its_ages() -> None:
    problem = assert_problem(problems(line(procedure_code="99381")), "MS-PROC-AGE",
                             "procedure_code")
    assert "up to 0" in problem.message


def test_a_procedure_within_its_ages() -> None:
    infant = line(procedure_code="99381", patient_dob=dt.date(2026, 6, 1), diagnoses=("Z00129",))
    assert problems(infant) == []
