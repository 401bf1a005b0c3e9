"""Field edits: required cells, formats of sex/state/ZIP/codes/NPI, and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from edits_factory import COLUMNS, DAY, TODAY, assert_problem, line, problems, run

from medsheets.model import PatientProfile, Person, Source, error


def _set(field: str, value: object) -> dict[str, Any]:
    """Keyword arguments for `line` that set one field (a referring NPI comes with its name)."""
    if field == "referring_npi":
        return {field: value, "referring_name": "Lee, Ann"}
    return {field: value}


@pytest.mark.parametrize("field", ["encounter_id", "date_of_service", "patient_id", "procedure_code"])
def test_a_blank_required_line_field(field: str) -> None:
    problem = assert_problem(problems(line(**_set(field, None))), "MS-REQUIRED", field)
    assert field in problem.message


def test_dx1_is_required() -> None:
    assert_problem(problems(line(diagnoses=())), "MS-REQUIRED", "dx1")


@pytest.mark.parametrize("name", ["last_name", "first_name", "dob", "sex", "address", "city",
                                  "state", "zip"])
def test_blank_demographics_are_required(name: str) -> None:
    problem = assert_problem(problems(line(**_set(f"patient_{name}", None))), "MS-REQUIRED",
                             f"patient_{name}")
    assert "Patients sheet" in problem.message


def test_known_patients_fill_blank_demographics() -> None:
    blank = line(patient_last_name=None, patient_dob=None, patient_zip=None)
    known = {"P1": PatientProfile(Person("Doe", "Jane", dt.date(1980, 5, 1), "F", zip="62701"))}
    result = run(blank, profiles=known)
    assert result.problems == ()
    assert result.lines[0].patient.dob == dt.date(1980, 5, 1)
    assert result.lines[0].patient.last_name == "Doe"


def test_a_typed_demographic_is_not_overwritten_by_a_known_patient() -> None:
    known = {"P1": PatientProfile(Person("Smith", "Ann", dt.date(1970, 1, 1), "F", "2 Oak", "Peoria",
                                         "IL", "61602"))}
    result = run(line(), profiles=known)
    assert result.lines[0].patient.last_name == "Doe"


def test_an_unreadable_cell_is_not_reported_again_as_blank() -> None:
    unreadable = error(Source("day.xlsx", "Encounters", 2, COLUMNS["patient_dob"], "patient_dob"),
                       "MS-CELL-DATE", "patient_dob 'soon' is not a date")
    assert problems(line(patient_dob=None), read_problems=[unreadable]) == []


@pytest.mark.parametrize("field, value, code", [
    ("patient_sex", "X", "MS-SEX"),
    ("patient_state", "ZZ", "MS-STATE"),
    ("patient_zip", "1234", "MS-ZIP"),
])
def test_patient_formats(field: str, value: str, code: str) -> None:
    assert_problem(problems(line(**_set(field, value))), code, field)


@pytest.mark.parametrize("sex", ["M", "F", "U"])
def test_sex_codes_accepted(sex: str) -> None:
    assert problems(line(patient_sex=sex, procedure_code="99214")) == []


def test_subscriber_sex_format() -> None:
    subscriber = Person("Doe", "John", dt.date(1979, 1, 1), "MALE")
    found = problems(line(subscriber_relationship="spouse", subscriber=subscriber))
    assert_problem(found, "MS-SEX", "subscriber_sex")


@pytest.mark.parametrize("code", ["9921", "992134", "ABCDE", "Z1234"])
def test_procedure_code_shape(code: str) -> None:
    assert_problem(problems(line(procedure_code=code)), "MS-PROC-FORMAT", "procedure_code")


@pytest.mark.parametrize("code", ["0001U", "3074F", "0042T", "G0439", "99213"])
def test_procedure_code_shapes_accepted(code: str) -> None:
    found = problems(line(procedure_code=code))
    assert "MS-PROC-FORMAT" not in {p.code for p in found}


def test_modifier_shape() -> None:
    assert_problem(problems(line(modifiers=("25", "5"))), "MS-MOD-FORMAT", "modifier2")


@pytest.mark.parametrize("field", ["rendering_npi", "referring_npi"])
def test_npi_check_digit(field: str) -> None:
    assert_problem(problems(line(**_set(field, "1234567890"))), "MS-NPI", field)
    assert problems(line(**_set(field, "1234567893"))) == []


def test_place_of_service_shape() -> None:
    assert_problem(problems(line(place_of_service="1")), "MS-POS", "place_of_service")
    assert problems(line(place_of_service="22")) == []


def test_date_of_service_in_the_future() -> None:
    found = problems(line(date_of_service=TODAY + dt.timedelta(days=1)))
    assert_problem(found, "MS-DOS-FUTURE", "date_of_service")


def test_date_of_birth_in_the_future() -> None:
    found = problems(line(patient_dob=TODAY + dt.timedelta(days=30)))
    problem = assert_problem(found, "MS-DOB-FUTURE", "patient_dob")
    assert str(TODAY.year) not in problem.message  # no birth date in a message


def test_date_of_birth_after_the_date_of_service() -> None:
    found = problems(line(patient_dob=DAY + dt.timedelta(days=1)))
    assert_problem(found, "MS-DOB-AFTER-DOS", "patient_dob")


def test_subscriber_date_of_birth_in_the_future() -> None:
    subscriber = Person("Doe", "John", TODAY + dt.timedelta(days=2), "M")
    found = problems(line(subscriber_relationship="spouse", subscriber=subscriber))
    assert_problem(found, "MS-DOB-FUTURE", "subscriber_dob")


def test_dates_of_today_are_fine() -> None:
    assert problems(line(date_of_service=TODAY, patient_dob=TODAY)) == []
