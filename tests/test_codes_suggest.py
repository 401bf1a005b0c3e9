""""Did you mean" for unknown codes, and hints from the provider's words (dx_text)."""

from __future__ import annotations

from edits_factory import assert_problem, codesets, line, problems

from medsheets.codes.suggest import closest_diagnoses, closest_procedures, one_slip_away
from medsheets.model import Severity


def test_a_swap_and_a_slip_are_one_away() -> None:
    assert one_slip_away("99312", "99213") and one_slip_away("99214", "99213")
    assert not one_slip_away("99215", "99203") and not one_slip_away("99213", "99213")


def test_a_transposed_procedure_code_suggests_the_fee_schedule_code() -> None:
    problem = assert_problem(problems(line(procedure_code="99312")), "MS-PROC-UNKNOWN",
                             "procedure_code")
    assert "did you mean 99213 (Office visit, established, low)?" in problem.message
    assert "add it" not in problem.message and "with its fee" not in problem.message


def test_an_unknown_procedure_code_without_a_neighbour_never_says_add_it() -> None:
    problem = assert_problem(problems(line(procedure_code="12001")), "MS-PROC-UNKNOWN",
                             "procedure_code")
    assert "did you mean" not in problem.message and "add it" not in problem.message


def test_closest_procedures_come_from_the_fee_schedule_only() -> None:
    assert closest_procedures("99312", codesets().procedures) == ("99213",)
    assert closest_procedures("99999", {}) == ()


def test_an_unknown_icd_code_suggests_the_closest_billable_codes() -> None:
    assert closest_diagnoses("E1199")[0] == "E11.9"  # one character too many
    assert "E11.9" in closest_diagnoses("E191")  # two characters swapped
    problem = assert_problem(problems(line(diagnoses=("I100",))), "MS-DX-UNKNOWN", "dx1")
    assert "did you mean" in problem.message and "I10 (Essential (primary) hypertension)" in \
        problem.message


def test_words_suggest_codes_for_a_blank_diagnosis() -> None:
    found = problems(line(diagnoses=(), dx_text="osteoarthritis right knee"))
    hint = next(p for p in found if p.code == "MS-DX-TEXT-SUGGEST")
    assert hint.severity is Severity.WARNING and hint.source.field == "dx1"
    assert "M17.11 (Unilateral primary osteoarthritis, right knee)" in hint.message


def test_words_that_fit_the_diagnoses_say_nothing() -> None:
    assert problems(line(diagnoses=("M1711",), dx_text="osteoarthritis right knee")) == []


def test_diagnoses_that_do_not_fit_the_words_get_a_hint() -> None:
    found = problems(line(diagnoses=("I10",), dx_text="osteoarthritis right knee"))
    problem = assert_problem(found, "MS-DX-TEXT-MISMATCH", "dx1", severity=Severity.WARNING)
    assert "M17.11" in problem.message


def test_words_that_match_no_code_say_nothing() -> None:
    assert problems(line(diagnoses=("I10",), dx_text="zzqqx")) == []
