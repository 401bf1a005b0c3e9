"""Same-day edits: NCCI pairs and duplicate lines for one patient on one day."""

from __future__ import annotations

import datetime as dt

from edits_factory import DAY, assert_problem, codesets, line, problems

from medsheets.codes.edits_sameday import index_ncci
from medsheets.model import NcciEdit


def test_a_pair_that_no_modifier_allows() -> None:
    found = problems([line(procedure_code="93000"),
                      line(row=3, procedure_code="93010", modifiers=("59",))])
    problem = assert_problem(found, "MS-NCCI", "procedure_code", row=3)
    assert "93010" in problem.message and "93000" in problem.message


def test_a_pair_without_the_modifier_it_allows() -> None:
    found = problems([line(procedure_code="97530"), line(row=3, procedure_code="97140")])
    problem = assert_problem(found, "MS-NCCI", "procedure_code", row=3)
    assert "59" in problem.message


def test_a_pair_with_an_allowed_modifier() -> None:
    for modifier in ("59", "XS", "XU"):
        assert problems([line(procedure_code="97530"),
                         line(row=3, procedure_code="97140", modifiers=(modifier,))]) == []


def test_the_column2_line_is_flagged_whatever_the_order() -> None:
    found = problems([line(procedure_code="97140"), line(row=3, procedure_code="97530")])
    assert_problem(found, "MS-NCCI", "procedure_code", row=2)


def test_a_pair_across_encounters_of_the_same_day() -> None:
    found = problems([line(procedure_code="97530"),
                      line(row=3, encounter_id="E2", procedure_code="97140")])
    assert_problem(found, "MS-NCCI", "procedure_code", row=3)


def test_a_pair_on_other_days_or_patients() -> None:
    other_day = DAY - dt.timedelta(days=1)
    assert problems([line(procedure_code="97530"),
                     line(row=3, encounter_id="E2", procedure_code="97140",
                          date_of_service=other_day)]) == []
    assert problems([line(procedure_code="97530"),
                     line(row=3, encounter_id="E2", patient_id="P2", procedure_code="97140")]) == []


def test_a_pair_deleted_before_the_date_of_service() -> None:
    sets = codesets(edits=(NcciEdit("97530", "97140", True, deleted=DAY),))
    assert problems([line(procedure_code="97530"), line(row=3, procedure_code="97140")], sets) == []


def test_the_index_is_by_column1() -> None:
    pairs = (NcciEdit("A", "B", True), NcciEdit("A", "C", False), NcciEdit("D", "D", True))
    index = index_ncci(pairs)
    assert set(index) == {"A"} and [p.column2 for p in index["A"]] == ["B", "C"]


def test_a_duplicate_line() -> None:
    found = problems([line(modifiers=("25",)), line(row=3, modifiers=("25",))])
    problem = assert_problem(found, "MS-DUPLICATE-LINE", "procedure_code", row=3)
    assert "row 2" in problem.message


def test_modifiers_in_another_order_are_still_a_duplicate() -> None:
    found = problems([line(procedure_code="36415", modifiers=("LT", "25")),
                      line(row=3, procedure_code="36415", modifiers=("25", "LT"))])
    assert_problem(found, "MS-DUPLICATE-LINE", "procedure_code", row=3)


def test_the_same_code_with_another_modifier_or_patient_is_no_duplicate() -> None:
    assert problems([line(procedure_code="36415"),
                     line(row=3, procedure_code="36415", modifiers=("91",))]) == []
    assert problems([line(procedure_code="36415"),
                     line(row=3, encounter_id="E2", patient_id="P2",
                          procedure_code="36415")]) == []


def test_every_ncci_associated_modifier_lets_an_allowed_pair_through() -> None:
    # CMS's NCCI policy: 25 (a separate E/M), 91 (repeat lab), sides and digits count too.
    for modifier in ("25", "91", "LT", "XE"):  # each in the test code sets' Modifiers
        assert problems([line(procedure_code="97530"),
                         line(row=3, procedure_code="97140", modifiers=(modifier,))]) == []
    assert problems([line(procedure_code="97530"),
                     line(row=3, procedure_code="97140", modifiers=("GA",))]) != []
