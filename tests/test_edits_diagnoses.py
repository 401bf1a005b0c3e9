"""Diagnosis edits: the ICD-10-CM release (unknown, header), and codes that fit one sex or age."""

from __future__ import annotations

import datetime as dt

import pytest
from edits_factory import assert_problem, line, problems

from medsheets.model import Severity


def test_a_category_names_billable_codes_beneath_it() -> None:
    problem = assert_problem(problems(line(diagnoses=("M545",))), "MS-DX-HEADER", "dx1")
    assert problem.message == "M54.5 is a category, not a billable code; use e.g. M54.50, M54.51"


@pytest.mark.parametrize("code, example", [("E11", "E11.9"), ("R05", "R05.9")])
def test_common_headers(code: str, example: str) -> None:
    problem = assert_problem(problems(line(diagnoses=(code,))), "MS-DX-HEADER", "dx1")
    assert f"use e.g. {example}" in problem.message


def test_the_problem_points_at_the_diagnosis_cell() -> None:
    assert_problem(problems(line(diagnoses=("E119", "I10", "E11"))), "MS-DX-HEADER", "dx3")


def test_a_code_not_in_the_release() -> None:
    problem = assert_problem(problems(line(diagnoses=("E119", "E1199"))), "MS-DX-UNKNOWN", "dx2")
    assert "E11.99" in problem.message


def test_a_procedure_code_typed_as_a_diagnosis() -> None:
    assert_problem(problems(line(diagnoses=("99213",))), "MS-DX-FORMAT", "dx1")


def test_billable_codes_pass() -> None:
    assert problems(line(diagnoses=("E119", "I10", "U071", "M5450"))) == []


def test_at_most_four_diagnoses_on_a_line() -> None:
    found = problems(line(diagnoses=("E119", "I10", "J069", "K219", "F329")))
    assert_problem(found, "MS-LINE-DX-COUNT", "dx1")


@pytest.mark.parametrize("sex, code", [("F", "N401"), ("F", "C61"), ("M", "O0990"), ("M", "N950"),
                                       ("M", "Z3401")])
def test_a_diagnosis_of_the_other_sex(sex: str, code: str) -> None:
    found = problems(line(patient_sex=sex, diagnoses=("I10", code)))
    problem = assert_problem(found, "MS-DX-SEX", "dx2")
    assert problem.severity is Severity.ERROR


@pytest.mark.parametrize("sex, code", [("M", "N401"), ("F", "N950"), ("F", "O0990"), ("U", "N401"),
                                       ("M", "E119")])
def test_a_diagnosis_that_fits_the_sex(sex: str, code: str) -> None:
    assert problems(line(patient_sex=sex, procedure_code="99214", diagnoses=(code,))) == []


@pytest.mark.parametrize("born", [dt.date(2018, 1, 1), dt.date(1960, 1, 1)])
def test_a_pregnancy_code_outside_the_ages_12_to_55(born: dt.date) -> None:
    found = problems(line(patient_dob=born, diagnoses=("O0990",)))
    problem = assert_problem(found, "MS-DX-AGE", "dx1")
    assert str(born.year) not in problem.message


def test_a_pregnancy_code_within_the_ages() -> None:
    assert problems(line(patient_dob=dt.date(1995, 1, 1), diagnoses=("O0990",))) == []
