"""`medsheets eligibility`: one 270 per run that x12sdk reads back, carrying the members asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clock import NOW
from previsit_support import ADULT, CHILD, SELF_PAY, appointment, write_appointments

from medsheets.eligibility.run import ask_eligibility
from medsheets.practice import open_practice

x12sdk_io = pytest.importorskip("x12sdk.io", reason="x12sdk (the test extra) reads the 270s")


def read_back(path: Path) -> list[object]:
    with x12sdk_io.X12ModelReader(path.read_text()) as reader:
        return list(reader.models())


def test_a_270_reads_back_with_subscriber_dependent_traces_and_service_types(practice_dir: Path) -> None:
    book = write_appointments(practice_dir / "appointments.xlsx", [
        ADULT, appointment(ADULT, procedure_code="80053"), CHILD, SELF_PAY])
    practice = open_practice(practice_dir)
    result = ask_eligibility(practice, [book], now=NOW)
    assert not result.has_errors, [str(p) for p in result.problems]
    assert result.self_pay == ["A3"]
    assert result.file is not None and result.file.parent.name == "eligibility"
    assert result.file.stat().st_mode & 0o077 == 0
    models = read_back(result.file)
    assert [type(m).__name__ for m in models] == ["EligibilityInquiry", "EligibilityInquiry"]
    members = {m.member_id: m for model in models for m in model.members()}
    assert set(members) == {"BST44120001", "NEM8800231"}
    adult, child = members["BST44120001"], members["NEM8800231"]
    assert adult.name == ("OKAFOR", "GRACE") and not adult.is_dependent
    assert adult.service_type_codes == ("30", "98", "5")  # the visit and the lab panel
    assert child.is_dependent and child.name == ("LINDQVIST", "NILS")
    assert child.subscriber_name == ("LINDQVIST", "KARIN")
    assert child.service_type_codes == ("30", "98")
    traces = {}
    for model in models:
        for source in model.loop_2000a:
            for receiver in source.loop_2000b:
                assert receiver.loop_2100b.nm1_segment.identification_code == practice.config.practice.npi
                for sub in receiver.loop_2000c:
                    holder = sub.loop_2000d[0] if sub.loop_2000d else sub
                    traces[sub.loop_2100c.nm1_segment.identification_code] = \
                        holder.trn_segment[0].reference_identification_1
    assert traces["BST44120001"].startswith("A1-") and traces["NEM8800231"].startswith("A2-")


def test_the_same_question_is_not_sent_twice_and_a_held_row_points_at_its_cell(
        practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    good = write_appointments(practice_dir / "a.xlsx", [ADULT])
    first = ask_eligibility(practice, [good], now=NOW)
    again = ask_eligibility(practice, [good], now=NOW + dt.timedelta(minutes=5))
    assert len(first.asked) == 1 and again.asked == [] and again.already_asked == ["A1"]
    assert again.file is None
    bad = write_appointments(practice_dir / "b.xlsx", [appointment(CHILD, member_id=None)])
    held = ask_eligibility(practice, [bad], now=NOW)
    assert held.has_errors and held.book.held == {"A2"}
    assert [(p.code, p.source.cell) for p in held.problems] == [("MS-REQUIRED", "J2")]


def test_the_cli_reports_ids_only(practice_dir: Path, invoke) -> None:
    book = write_appointments(practice_dir / "a.xlsx", [ADULT, SELF_PAY])
    result = invoke("eligibility", book, "--practice", practice_dir)
    assert result.exit_code == 0, result.output
    assert "asked BSTAR about account 700001 for 2026-11-30" in result.output
    assert "self-pay: 1 appointments" in result.output
    assert "Okafor" not in result.output and "Brennan" not in result.output


def test_a_name_a_270_cannot_carry_is_held_at_its_cell(practice_dir: Path) -> None:
    book = write_appointments(practice_dir / "a.xlsx", [
        appointment(ADULT, patient_last_name="山田"), appointment(CHILD, patient_last_name="Peña")])
    result = ask_eligibility(open_practice(practice_dir), [book], now=NOW)
    assert [(p.code, p.source.cell) for p in result.problems] == [("MS-NAME-X12", "D2")]
    assert [i.member_id for _, i in result.asked] == ["NEM8800231"]  # Peña goes as PENA


def test_every_segment_of_our_270_is_where_the_declared_grammar_puts_it(practice_dir: Path) -> None:
    """The writer builds through the grammar; reading it back places each segment in its loop."""
    from medsheets.x12.grammar import X270, locate
    from medsheets.x12.reader import read_x12

    book = write_appointments(practice_dir / "appointments.xlsx", [ADULT, CHILD])
    result = ask_eligibility(open_practice(practice_dir), [book], now=NOW)
    assert result.file is not None
    placed = [(found.loop, found.id, found.definition is not None)
              for interchange in read_x12(result.file.read_text(), "t.270")
              for transaction in interchange.transactions()
              for found in locate(X270, transaction.body)]
    assert all(declared for _, _, declared in placed)
    loops = {(loop, segment) for loop, segment, _ in placed}
    # the adult asks in the subscriber's loops; the child, a dependent, in 2000D/2100D/2110D
    assert {("2000C", "TRN"), ("2100C", "DTP"), ("2110C", "EQ")} <= loops
    assert {("2000D", "TRN"), ("2100D", "NM1"), ("2100D", "DTP"), ("2110D", "EQ")} <= loops
