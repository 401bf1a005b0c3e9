"""`medsheets followup`: 276 requests for unanswered claims, the worklist, and 277 answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from followup_support import BILLED_AT, BILLED_ON, bill_example, claim_status_277
from x12sdk.io import X12ModelReader

from medsheets.acks.process import read_acknowledgments
from medsheets.followup.run import follow_up
from medsheets.ledger import Ledger
from medsheets.practice import open_practice


def later(days: int) -> tuple[dt.date, dt.datetime]:
    return BILLED_ON + dt.timedelta(days=days), BILLED_AT + dt.timedelta(days=days)


def run_followup(practice_dir: Path, days: int):
    as_of, now = later(days)
    return follow_up(open_practice(practice_dir), as_of=as_of, now=now)


def asked_in(path: Path) -> dict[str, str]:
    """TRN02 -> member id of every claim in a 276, read by the x12sdk models."""
    found = {}
    with X12ModelReader(path.read_text()) as reader:
        for model in reader.models():
            assert model.header.st_segment.implementation_convention_reference == "005010X212"
            for source in model.loop_2000a:
                for receiver in source.loop_2000b:
                    for provider in receiver.loop_2000c:
                        for subscriber in provider.loop_2000d:
                            member = subscriber.loop_2100d.nm1_segment.identification_code
                            claims = list(subscriber.loop_2200d or [])
                            for dependent in subscriber.loop_2000e or []:
                                claims += dependent.loop_2200e or []
                            for claim in claims:
                                found[claim.trn_segment.reference_identification_1] = member
    return found


def worklist(path: Path) -> dict[str, dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)["Follow-up"].iter_rows(values_only=True))
    return {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_nothing_is_asked_before_followup_days_and_the_worklist_shows_the_deadline(practice_dir: Path) -> None:
    billed = bill_example(practice_dir)
    result = run_followup(practice_dir, 29)
    assert result.asked == [] and result.request_file is None
    rows = worklist(result.report_file)
    paper = set(rows) - set(billed)
    assert len(paper) == 1 and set(billed) <= set(rows)
    for eid in paper:  # the example's union fund takes paper: followed up by a call, not a 276
        assert rows[eid]["last from"] == "paper" and "Billed on paper" in rows[eid]["next action"]
    for row in (rows[eid] for eid in billed):
        dos = row["date of service"].date()
        assert row["timely filing deadline"].date() == dos + dt.timedelta(days=365)
        assert row["days left"] == (dos + dt.timedelta(days=365) - later(29)[0]).days
        assert row["age (days)"] == 29 and row["billed"].date() == BILLED_ON
        assert row["last status"] == "no answer yet" and "2026-12-27" in row["next action"]
    days_left = [row["days left"] for row in worklist(result.report_file).values()]
    assert days_left == sorted(days_left)  # most at risk first
    assert result.report_file.stat().st_mode & 0o777 == 0o600


def test_claims_past_followup_days_get_a_276_once_per_period(practice_dir: Path) -> None:
    billed = bill_example(practice_dir)
    result = run_followup(practice_dir, 30)
    assert sorted(result.asked) == sorted(billed)
    assert result.request_file is not None and result.request_file.parent.name == "followup"
    asked = asked_in(result.request_file)
    assert sorted(asked) == sorted(billed)
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        members = {c.encounter_id: c.member_id for c in tx.unpaid_insurance_claims()}
    assert asked == {eid: members[eid] for eid in asked}
    rows = worklist(result.report_file)
    assert all(rows[eid]["276 sent now"] == "yes" for eid in billed)
    assert all(row["276 sent now"] != "yes" for eid, row in rows.items() if eid not in billed)

    again = run_followup(practice_dir, 45)
    assert again.asked == [] and again.request_file is None
    assert all("Asked on 2026-12-27" in worklist(again.report_file)[eid]["next action"] for eid in billed)
    assert sorted(run_followup(practice_dir, 60).asked) == sorted(billed)  # a new period


def test_a_277_answer_changes_the_worklist_and_answered_claims_are_not_asked(practice_dir: Path) -> None:
    billed = bill_example(practice_dir)
    pending, denied, lost = billed[:3]
    members = {}
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        members = {c.encounter_id: c.member_id for c in tx.unpaid_insurance_claims()}
    answer = practice_dir / "remits" / "status.277"
    answer.write_text(claim_status_277(later(20)[0], [
        (pending, members[pending], ["P1:20:PR"], "IN REVIEW"),
        (denied, members[denied], ["F2:65:PR"], "NOT A COVERED SERVICE"),
        (lost, members[lost], ["A4:35:PR"], ""),
    ]))
    read = read_acknowledgments(open_practice(practice_dir), [answer], as_of=later(21)[0])
    assert [o.event for o in read.outcomes] == ["pending", "finalized_denied", "not_found"]
    result = run_followup(practice_dir, 31)
    rows = worklist(result.report_file)
    assert rows[pending]["last from"] == "277" and rows[pending]["last status"] == "pending P1-20-PR"
    assert "pending: in process at the payer" in rows[pending]["what it says"]
    assert "IN REVIEW" in rows[pending]["what it says"]
    assert rows[pending]["payer claim number"] == "ICN0004"
    assert "Pending at the payer" in rows[pending]["next action"]
    assert "finalized: denied" in rows[denied]["what it says"]
    assert "NOT A COVERED SERVICE" in rows[denied]["what it says"]
    assert "work the denial" in rows[denied]["next action"]
    assert "no record of this claim" in rows[lost]["what it says"]
    assert "bill it again" in rows[lost]["next action"]
    # answered 11 days ago: not asked; the others (no answer for 31 days) are
    assert set(result.asked) == set(billed) - {pending, denied, lost}


def test_a_paid_claim_leaves_the_worklist(practice_dir: Path, invoke) -> None:
    billed = bill_example(practice_dir)
    remits = sorted((practice_dir / "remits").glob("*.835"))
    if not remits:
        pytest.skip("the example practice has no 835")
    result = invoke("remit", "--practice", practice_dir, *remits)
    assert result.exit_code in (0, 1), result.output
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        unpaid = {c.encounter_id for c in tx.unpaid_insurance_claims()}
    assert unpaid - set(billed) == {"E261126-15"}  # on paper: its EOB comes by mail
    assert unpaid & set(billed) < set(billed)
    followed = run_followup(practice_dir, 40)
    assert set(followed.asked) <= unpaid and set(worklist(followed.report_file)) == unpaid


def test_followup_command_and_run_step(practice_dir: Path, invoke) -> None:
    bill_example(practice_dir)
    result = invoke("followup", "--practice", practice_dir, "--as-of", "2027-01-15")
    assert result.exit_code == 0, result.output
    assert "claim-status requests:" in result.output and "worklist:" in result.output
    assert list((practice_dir / "out" / "followup").glob("*.276"))
    assert (practice_dir / "out" / "reports" / "followup-2027-01-15.xlsx").exists()
