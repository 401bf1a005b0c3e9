"""Claim edits from the ICD-10-CM tabular: Excludes1, code first, use additional code, 7th character."""

from __future__ import annotations

import datetime as dt

from edits_factory import assert_problem, line, problems

from medsheets.model import Severity

ADULT = dt.date(1995, 1, 1)  # of an age for a delivery code


def test_an_excludes1_pair_on_one_claim_is_an_error_naming_the_note() -> None:
    found = problems([line(diagnoses=("E109",)), line(row=3, procedure_code="36415",
                                                       diagnoses=("E119",))])
    problem = assert_problem(found, "MS-DX-EXCLUDES1", "dx1", row=3)
    assert "E10.9 and E11.9" in problem.message
    assert "Excludes1 note at E10" in problem.message and "(E11.-)" in problem.message


def test_codes_excluding_nothing_of_each_other_pass() -> None:
    assert problems(line(diagnoses=("E119", "I10", "Z7984"))) == []


def test_a_manifestation_listed_first_is_an_error() -> None:
    problem = assert_problem(problems(line(diagnoses=("G63", "E1142"))), "MS-DX-CODE-FIRST",
                             "dx1")
    assert "code first underlying disease" in problem.message
    assert "put the underlying condition in dx1" in problem.message


def test_a_manifestation_after_its_underlying_disease_passes() -> None:
    assert problems(line(diagnoses=("E1142", "G63"))) == []


def test_a_use_additional_note_unanswered_is_a_warning() -> None:
    found = problems(line(diagnoses=("O80",), patient_dob=ADULT))
    problem = assert_problem(found, "MS-DX-USE-ADDITIONAL", "dx1", severity=Severity.WARNING)
    assert "outcome of delivery (Z37.0)" in problem.message


def test_a_use_additional_note_answered_passes() -> None:
    assert problems(line(diagnoses=("O80", "Z370"), patient_dob=ADULT)) == []


def test_a_conditional_use_additional_note_says_nothing() -> None:
    # E11's "code to identify control using" (no Z79 code when diet alone controls it) and
    # N39.0's infectious agent depend on what the record documents.
    assert problems(line(diagnoses=("E119", "N390"))) == []


def test_a_code_missing_its_7th_character_explains_a_d_and_s() -> None:
    problem = assert_problem(problems(line(diagnoses=("S93401",))), "MS-DX-7TH-CHARACTER", "dx1")
    assert "S93.401A initial encounter" in problem.message
    assert "S93.401D subsequent encounter" in problem.message
    assert "S93.401S sequela" in problem.message
    assert "active treatment" in problem.message


def test_a_7th_character_after_placeholders() -> None:
    problem = assert_problem(problems(line(diagnoses=("T07",))), "MS-DX-7TH-CHARACTER", "dx1")
    assert "T07.XXXA" in problem.message and "X holds the places" in problem.message


def test_a_code_with_its_7th_character_passes() -> None:
    assert problems(line(diagnoses=("S93401A",))) == []
