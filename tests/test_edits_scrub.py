"""The scrubber as a whole: a clean day, grouping, row order, and which encounters are held."""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

from edits_factory import DAY, TODAY, cell, codesets, line, run
from hypothesis import given, settings
from hypothesis import strategies as st

from medsheets.codes.scrub import held_encounter_ids, scrub
from medsheets.model import Person, ServiceLine, Severity

Row = tuple[str | None, list[str], str | None, int, str | None]


def _clean_day() -> list[ServiceLine]:
    spouse = Person("Roe", "Sam", dt.date(1975, 3, 4), "M")
    return [
        line(row=2),
        line(row=3, procedure_code="36415", units=2, diagnoses=("E119", "E785")),
        line(row=4, encounter_id="E2", patient_id="P2", payer_id=None, member_id=None,
             procedure_code="99214", diagnoses=("J069",), charge=Decimal("150.00")),
        line(row=5, encounter_id="E3", patient_id="P3", patient_sex="M", payer_id="MCR",
             subscriber_relationship="spouse", subscriber=spouse, procedure_code="97530",
             diagnoses=("M5450",)),
        line(row=6, encounter_id="E3", patient_id="P3", patient_sex="M", payer_id="MCR",
             subscriber_relationship="spouse", subscriber=spouse, procedure_code="97140",
             modifiers=("59",), diagnoses=("M5450",)),
    ]


def test_a_clean_day_has_no_problem_at_all() -> None:
    result = run(_clean_day())
    assert result.problems == ()
    assert held_encounter_ids(result) == set()


def test_lines_are_grouped_into_encounters_in_first_seen_order() -> None:
    lines = _clean_day()
    result = run([lines[2], *lines[:2], *lines[3:]])
    assert [e.encounter_id for e in result.encounters] == ["E2", "E1", "E3"]
    assert [len(e.lines) for e in result.encounters] == [1, 2, 2]
    assert result.encounters[1].total_charge == Decimal("124.00")


def test_a_line_without_an_encounter_id_belongs_to_no_encounter() -> None:
    result = run([line(), line(row=3, encounter_id=None, procedure_code="36415")])
    assert [e.encounter_id for e in result.encounters] == ["E1"]
    assert len(result.lines) == 2


def test_problems_come_in_row_order() -> None:
    lines = [line(row=2, procedure_code="93000"),
             line(row=3, procedure_code="93010", diagnoses=("E11",), patient_state="ZZ"),
             line(row=4, encounter_id="E2", patient_id="P2", units=0, procedure_code="36415")]
    found = run(lines).problems
    assert [(p.source.row, p.code) for p in found] == [
        (3, "MS-STATE"), (3, "MS-NCCI"), (3, "MS-DX-HEADER"), (4, "MS-UNITS")]
    assert [p.source.cell for p in found][:3] == [cell("patient_state", 3),
                                                   cell("procedure_code", 3), cell("dx1", 3)]


def test_an_error_holds_its_whole_encounter_and_nothing_else() -> None:
    lines = _clean_day()
    lines[1] = line(row=3, procedure_code="36415", diagnoses=("E11",))
    assert held_encounter_ids(run(lines)) == {"E1"}


def test_a_warning_holds_nothing() -> None:
    result = run(line(charge=Decimal("90.00")))
    assert [p.severity for p in result.problems] == [Severity.WARNING]
    assert held_encounter_ids(result) == set()


codes = st.sampled_from(["99213", "36415", "93000", "93010", "9921", "99215", None])
diagnoses = st.lists(st.sampled_from(["E119", "E11", "E1199", "O80", "N401", "X"]), max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(codes, diagnoses, st.sampled_from(["E1", "E2", None]),
                          st.integers(-1, 3), st.sampled_from(["M", "F", "Q", None])),
                min_size=1, max_size=8))
def test_every_problem_points_at_a_cell_of_an_input_row(rows: list[Row]) -> None:
    lines = [line(row=2 + i, procedure_code=code, diagnoses=tuple(dx), encounter_id=enc,
                  units=units, patient_sex=sex, date_of_service=DAY)
             for i, (code, dx, enc, units, sex) in enumerate(rows)]
    result = run(lines)
    rows_given = {ln.origin.row for ln in lines}
    assert all(p.source.row in rows_given and p.source.cell for p in result.problems)
    found_rows = [p.source.row or 0 for p in result.problems]
    assert found_rows == sorted(found_rows)
    assert held_encounter_ids(result) <= {"E1", "E2"}
    assert all(ln.charge is None or ln.charge > 0 or any(
        p.code == "MS-CHARGE-ZERO" for p in result.problems) for ln in result.lines)


def test_the_cycle_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    run(line())
    assert gc.isenabled()
    gc.disable()
    try:
        run(line())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_problems_of_one_cell_come_in_the_edits_order() -> None:
    # too long for the ledger (MS-FIELD-LONG) and, in another script, nothing a claim can
    # carry (MS-X12-TEXT): the length edit runs before the claim-text edit
    found = run([line(row=2), line(row=3, patient_last_name="李" * 130)]).problems
    at_the_name = [p.code for p in found if p.source.cell == cell("patient_last_name", 3)]
    assert at_the_name == ["MS-FIELD-LONG", "MS-X12-TEXT"]


def test_progress_is_told_of_every_line_once() -> None:
    told: list[int] = []
    scrub([line(row=2 + i) for i in range(7)], codesets(), as_of=TODAY,
          default_place_of_service="11", advance=told.append)
    assert sum(told) == 7 and min(told) >= 0
