"""Claim edits: the encounter_id, the size of a claim, and lines that must agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from edits_factory import assert_problem, codesets, line, problems

from medsheets.model import CodeSets, Procedure, ServiceLine

DIAGNOSES = ("E119", "I10", "J069", "K219", "F329", "R051", "M5450", "Z0000", "E785", "J029",
             "N390", "R509", "R110")


def test_an_encounter_id_too_long_for_a_claim_number() -> None:
    found = problems(line(encounter_id="E" * 21))
    assert_problem(found, "MS-ENCOUNTER-ID", "encounter_id")
    assert problems(line(encounter_id="2026-11-20-MAPLE-001")) == []


def test_an_encounter_id_with_other_characters() -> None:
    assert_problem(problems(line(encounter_id="E/1")), "MS-ENCOUNTER-ID", "encounter_id")


def _lines_with(diagnoses: tuple[str, ...]) -> list[ServiceLine]:
    codes = ["99213", "36415", "93000", "97530"]
    return [line(row=2 + i, procedure_code=codes[i], diagnoses=diagnoses[4 * i:4 * i + 4])
            for i in range((len(diagnoses) + 3) // 4)]


def test_more_than_12_diagnoses_on_a_claim() -> None:
    problem = assert_problem(problems(_lines_with(DIAGNOSES)), "MS-CLAIM-DX-COUNT",
                             "encounter_id", row=2)
    assert "13" in problem.message and "split the encounter" in problem.message


def test_12_diagnoses_on_a_claim() -> None:
    assert problems(_lines_with(DIAGNOSES[:12])) == []


def _many_lines(count: int) -> tuple[list[ServiceLine], CodeSets]:
    codes = [f"A{4000 + i}" for i in range(count)]
    sets = codesets(procedures={c: Procedure(c, "supply", Decimal("1.00"), "HCPCS") for c in codes})
    return [line(row=2 + i, procedure_code=c) for i, c in enumerate(codes)], sets


def test_more_than_50_lines_on_a_claim() -> None:
    lines, sets = _many_lines(51)
    problem = assert_problem(problems(lines, sets), "MS-CLAIM-LINES", "encounter_id", row=52)
    assert "split the encounter into two encounter_ids" in problem.message


def test_50_lines_on_a_claim() -> None:
    lines, sets = _many_lines(50)
    assert problems(lines, sets) == []


def test_lines_of_one_encounter_agree() -> None:
    found = problems([line(), line(row=3, procedure_code="36415", payer_id="MCR")])
    problem = assert_problem(found, "MS-ENCOUNTER-CONFLICT", "payer_id", row=3)
    assert "row 2" in problem.message and "AETNA" in problem.message


def test_a_conflicting_date_of_service() -> None:
    other_day = dt.date(2026, 11, 21)
    found = problems([line(), line(row=3, procedure_code="36415", date_of_service=other_day)])
    assert_problem(found, "MS-ENCOUNTER-CONFLICT", "date_of_service", row=3)


def test_a_conflicting_patient() -> None:
    found = problems([line(), line(row=3, procedure_code="36415", patient_id="P2")])
    assert_problem(found, "MS-ENCOUNTER-CONFLICT", "patient_id", row=3)


def test_a_member_id_missing_on_one_line_is_a_conflict_too() -> None:
    found = problems([line(), line(row=3, procedure_code="36415", member_id=None)])
    assert {(p.code, p.source.field) for p in found} == {
        ("MS-REQUIRED", "member_id"), ("MS-ENCOUNTER-CONFLICT", "member_id")}
    assert all("W123456789" not in p.message for p in found)


def test_agreeing_lines_pass() -> None:
    assert problems([line(), line(row=3, procedure_code="36415")]) == []
