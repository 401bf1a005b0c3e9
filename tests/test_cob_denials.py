"""A secondary's denial on the worklist and through `resubmit`: worked against the COB claim it
denied (to the secondary, its own claim number, the COB loops kept), never rebuilt to the primary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from acks_support import ack_277, ack_999
from cob_support import (
    DUAL,
    LATER,
    bill,
    by_payer,
    medicare_835,
    patient_owes,
    payer_owes,
    post,
    segments,
    transaction_to,
    visit,
    write_day,
)
from denials_support import cell_of, edit_worklist, worklist_rows
from remit_support import Clp, Svc, era
from x12_judge import check_837_rules, validate_with_pyx12

from medsheets.acks.process import read_acknowledgments
from medsheets.denials.resubmit import ResubmitResult, resubmit_worklist
from medsheets.denials.worklist import make_worklist
from medsheets.invoices.run import produce_statements
from medsheets.ledger import Ledger
from medsheets.ledger.cob import coverages, secondary_pending
from medsheets.ledger.schema import claim_events
from medsheets.practice import open_practice

WORKED = dt.datetime(2026, 12, 10, 9, 0)


def denied_by_medicaid(practice_dir: Path, eid: str) -> None:
    """Medicare pays (19.11 left to the patient), Medicaid is billed, then denies it (CO-16)."""
    bill(practice_dir, [write_day(practice_dir, visit(eid, **DUAL))])
    post(practice_dir, medicare_835(eid), "medicare.835")
    assert len(bill(practice_dir, [], now=LATER).secondary) == 1
    post(practice_dir, era([Clp(eid, "4", "147", "0", icn="MCDDEN1", svcs=(
        Svc("99213", "135", "0", (("OA", "23", "117.45"), ("CO", "16", "17.55")), f"{eid}-1"),
        Svc("36415", "12", "0", (("OA", "23", "10.44"), ("CO", "16", "1.56")), f"{eid}-2"),
    ))], trace="MCDDEN", payer_key="1ILMCD"), "medicaid-denial.835")


def work(practice_dir: Path, changes: dict[tuple[str, int], dict[str, object]]) -> tuple[Path, ResubmitResult]:
    practice = open_practice(practice_dir)
    made = make_worklist(practice, practice_dir / "made.xlsx", as_of=WORKED.date())
    edited = edit_worklist(made.path, changes, practice_dir / "worklist.xlsx")
    return edited, resubmit_worklist(practice, edited, now=WORKED)


def judged(result: ResubmitResult) -> str:
    assert result.batch_file is not None
    assert validate_with_pyx12(result.batch_file) == []
    text = result.batch_file.read_text()
    assert check_837_rules(text) == []
    return text


def claim_row(practice_dir: Path, eid: str):  # type: ignore[no-untyped-def]
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        claim = tx.find_claim(eid)
        assert claim is not None
        return claim, secondary_pending(tx)


def test_the_worklist_names_the_secondary_that_denied_and_its_claim_number(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD1")
    rows = worklist_rows(make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).path)
    assert {(r["payer"], r["payer_claim_number"]) for r in rows} == {("ILMCD", "MCDDEN1")}
    # its member id, not Medicare's, in the yellow columns
    assert {(r["bill_payer"], r["member_id"]) for r in rows} == {("ILMCD", "119052278")}
    assert [r["status"] for r in rows] == ["denied", "denied"]


def test_a_correction_goes_to_the_secondary_as_frequency_7_with_the_cob_loops(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD2")
    before, _ = claim_row(practice_dir, "ESD2")
    _, result = work(practice_dir, {("ESD2", 1): {"action": "correct"}})
    assert result.corrected == ["ESD2"] and not result.has_errors, [str(p) for p in result.problems]
    judged(result)
    sent = transaction_to(result.batch_file, "ILMCD")
    assert "CLM*ESD2*147***11:B:7*Y*A*Y*Y" in sent and "REF*F8*MCDDEN1" in sent
    assert "SBR*S*18*******MC" in sent and "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in sent
    assert "AMT*D*76.44" in sent and "SVD*MCRB1*70.2*HC:99213**1" in sent
    assert "CAS*PR*2*17.55" in sent and "REF*F8*MCRICN1" not in sent
    with pytest.raises(AssertionError):  # nothing went to Medicare
        transaction_to(result.batch_file, "MCRB1")
    after, pending = claim_row(practice_dir, "ESD2")
    # the claim stays the primary's: its number, frequency and last batch are Medicare's
    assert (after.payer_claim_number, after.frequency_code, after.batch_id) == (
        before.payer_claim_number, before.frequency_code, before.batch_id) == ("MCRICN1", "1", before.batch_id)
    assert {claim for claim, _ in pending} == {after.id} and set(pending.values()) == {"ILMCD"}
    assert len(pending) == 3  # both lines and the claim-level part wait for Medicaid's answer
    assert make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).rows == ()
    _, again = work(practice_dir, {("ESD2", 1): {"action": "correct"}})
    assert again.batch_file is None and not again.corrected


def test_a_void_goes_to_the_secondary_and_leaves_the_patient_the_coinsurance(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD3")
    assert patient_owes(practice_dir, "900100") == Decimal("19.11")
    _, result = work(practice_dir, {("ESD3", 1): {"action": "void"}})
    assert result.voided == ["ESD3"] and not result.has_errors, [str(p) for p in result.problems]
    judged(result)
    sent = transaction_to(result.batch_file, "ILMCD")
    assert "CLM*ESD3*147***11:B:8*Y*A*Y*Y" in sent and "REF*F8*MCDDEN1" in sent
    assert "AMT*D*76.44" in sent
    claim, pending = claim_row(practice_dir, "ESD3")
    assert claim.status.value != "void" and pending == {}  # Medicare's claim and payment stand
    assert patient_owes(practice_dir, "900100") == Decimal("19.11")


def test_a_code_change_on_a_secondary_denial_is_refused_at_its_cell(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD4")
    edited, result = work(practice_dir, {("ESD4", 1): {"action": "correct", "procedure_code": "99214"}})
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "MS-WL-SECONDARY-CODES" and "ILMCD" in problem.message
    assert problem.source.cell == cell_of(edited, ("ESD4", 1), "procedure_code")
    assert result.batch_file is None and result.corrected == [] and result.held == ["ESD4"]
    assert len(make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).rows) == 2


def test_writing_off_a_secondary_denial_takes_the_share_it_was_to_pay_under_that_payer(
        practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD5")
    _, result = work(practice_dir, {("ESD5", 1): {"action": "write off", "reason": "CO-16"},
                                    ("ESD5", 2): {"action": "write off", "reason": "CO-16"}})
    assert result.written_off == [("ESD5", 1, Decimal("17.55")), ("ESD5", 2, Decimal("1.56"))]
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")
    money = by_payer(practice_dir)
    assert money[("writeoff", "ILMCD")] == Decimal("19.11") and ("writeoff", "MCRB1") not in money
    assert payer_owes(practice_dir).get("ILMCD", Decimal("0.00")) == Decimal("0.00")
    claim, pending = claim_row(practice_dir, "ESD5")
    assert pending == {} and claim.status.value == "paid"


def test_billing_the_patient_for_a_secondary_denial_ends_the_wait_and_moves_nothing(
        practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD6")
    before = by_payer(practice_dir)
    _, result = work(practice_dir, {("ESD6", 1): {"action": "bill patient"},
                                    ("ESD6", 2): {"action": "bill patient"}})
    assert result.billed_to_patient == [("ESD6", 1, Decimal("17.55")), ("ESD6", 2, Decimal("1.56"))]
    assert by_payer(practice_dir) == before and patient_owes(practice_dir, "900100") == Decimal("19.11")
    assert claim_row(practice_dir, "ESD6")[1] == {}


def test_a_patient_field_change_or_a_rebill_on_a_secondary_denial_is_refused(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD7")
    edited, result = work(practice_dir, {("ESD7", 1): {"action": "correct", "patient_zip": "62704"}})
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "MS-WL-SECONDARY-CODES"
    assert problem.source.cell == cell_of(edited, ("ESD7", 1), "patient_zip")
    _, result = work(practice_dir, {("ESD7", 1): {"action": "rebill", "bill_payer": "BSTAR"}})
    assert [p.code for p in result.problems if p.is_error] == ["MS-WL-SECONDARY-REBILL"]
    assert result.batch_file is None and not result.rebilled
    claim, _ = claim_row(practice_dir, "ESD7")
    assert claim.payer_id == "MCRB1" and claim.status.value == "paid"


def test_a_corrected_member_id_of_the_secondary_goes_to_it_as_frequency_7(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD10")
    # a member id a claim cannot carry is refused at its cell
    edited, bad = work(practice_dir, {("ESD10", 1): {"action": "correct", "member_id": "119*52"}})
    [problem] = [p for p in bad.problems if p.is_error]
    assert problem.code == "MS-X12-ID" and problem.source.cell == cell_of(edited, ("ESD10", 1), "member_id")
    assert bad.batch_file is None and bad.corrected == []
    _, result = work(practice_dir, {("ESD10", 1): {"action": "correct", "member_id": "119052278X"}})
    assert result.corrected == ["ESD10"] and not result.has_errors, [str(p) for p in result.problems]
    sent = transaction_to(result.batch_file, "ILMCD")
    judged(result)
    assert "CLM*ESD10*147***11:B:7*Y*A*Y*Y" in sent and "REF*F8*MCDDEN1" in sent
    assert "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278X" in sent and "AMT*D*76.44" in sent
    claim, _ = claim_row(practice_dir, "ESD10")
    assert claim.member_id == "5VX3GE8QM27"  # Medicare's member id stays on the claim
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        [covered] = coverages(tx, [claim.id])[claim.id].values()
        profile = tx.patient_profiles(["900100"])["900100"]
    assert covered.coverage.member_id == profile.coverages["ILMCD"].member_id == "119052278X"


def test_billing_the_patient_one_line_of_a_secondary_denial_ends_the_wait_for_that_line_only(
        practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD8")
    _, result = work(practice_dir, {("ESD8", 1): {"action": "bill patient"}})
    assert result.billed_to_patient == [("ESD8", 1, Decimal("17.55"))]
    # the statement asks for the visit's 17.55; the draw's 1.56 still awaits Medicaid
    statements = produce_statements(open_practice(practice_dir), as_of=WORKED.date())
    [statement] = statements.plan.new
    assert statement.amount_due == Decimal("17.55")
    draw = next(r for r in statement.account.rows if r.code == "36415")
    assert (draw.balance, draw.pending) == (Decimal("0.00"), Decimal("1.56"))
    claim, pending = claim_row(practice_dir, "ESD8")
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        second = next(line.id for line in tx.claim_lines(claim.id) if line.line_number == 2)
    assert pending == {(claim.id, second): "ILMCD", (claim.id, None): "ILMCD"}
    # writing off the other line ends the wait for it too
    _, result = work(practice_dir, {("ESD8", 2): {"action": "write off", "reason": "CO-16"}})
    assert result.written_off == [("ESD8", 2, Decimal("1.56"))]
    assert claim_row(practice_dir, "ESD8")[1] == {}


def _bht03(batch_file: Path, payer_id: str) -> str:
    """Our batch reference of the transaction to `payer_id`: ISA13 then that set's ST02."""
    isa13 = segments(batch_file)[0].split("*")[13]
    return isa13 + transaction_to(batch_file, payer_id)[0].split("*")[2]


def test_a_277ca_rejecting_the_secondarys_claim_is_recorded_on_the_secondary(
        practice_dir: Path, tmp_path: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("ESD9", **DUAL))])
    post(practice_dir, medicare_835("ESD9"), "medicare.835")
    cob = bill(practice_dir, [], now=LATER)
    path = tmp_path / "medicaid.277"
    path.write_text(ack_277(_bht03(cob.batch_file, "ILMCD"),
                            [("ESD9", "147", "119052278", ["A7:562:85"])]))
    assert validate_with_pyx12(path) == []
    result = read_acknowledgments(open_practice(practice_dir), [path], as_of=WORKED.date())
    assert [(o.encounter_id, o.event) for o in result.outcomes] == [("ESD9", "rejected")]
    claim, pending = claim_row(practice_dir, "ESD9")
    assert claim.status.value == "paid" and set(pending.values()) == {"ILMCD"}
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        said = tx.conn.execute(sa.select(claim_events.c.payer_id).where(
            claim_events.c.claim_id == claim.id, claim_events.c.source == "277CA")).scalars().all()
    assert said == ["ILMCD"]  # Medicaid's front end refused its claim, not Medicare's
    rows = worklist_rows(make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).path)
    assert {(r["payer"], r["status"]) for r in rows} == {("ILMCD", "rejected")}
    # Medicaid never took the claim (no number): corrected, it goes to Medicaid anew
    _, result = work(practice_dir, {("ESD9", 1): {"action": "correct"}})
    assert result.corrected == ["ESD9"] and not result.has_errors, [str(p) for p in result.problems]
    sent = transaction_to(result.batch_file, "ILMCD")
    judged(result)
    assert "CLM*ESD9*147***11:B:1*Y*A*Y*Y" in sent and not any(s.startswith("REF*F8") for s in sent)
    assert "AMT*D*76.44" in sent


def test_a_999_rejecting_the_secondarys_set_is_recorded_on_the_secondary(
        practice_dir: Path, tmp_path: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("ESD12", **DUAL))])
    post(practice_dir, medicare_835("ESD12"), "medicare.835")
    cob = bill(practice_dir, [], now=LATER)
    gs06 = int(segments(cob.batch_file)[1].split("*")[6])
    st02 = transaction_to(cob.batch_file, "ILMCD")[0].split("*")[2]
    path = tmp_path / "medicaid.999"
    path.write_text(ack_999(gs06, [(st02, "R", [])], "R", (1, 1, 0)))
    result = read_acknowledgments(open_practice(practice_dir), [path], as_of=WORKED.date())
    assert [(o.encounter_id, o.event) for o in result.outcomes] == [("ESD12", "rejected")]
    claim, _ = claim_row(practice_dir, "ESD12")
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        said = tx.conn.execute(sa.select(claim_events.c.payer_id).where(
            claim_events.c.claim_id == claim.id, claim_events.c.source == "999")).scalars().all()
    assert said == ["ILMCD"] and claim.status.value == "paid"
