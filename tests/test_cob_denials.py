"""A secondary's denial on the worklist and through `resubmit`: worked against the COB claim it
denied (to the secondary, its own claim number, the COB loops kept), never rebuilt to the primary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from acks_support import ack_277, ack_999
from cob_denial_support import WORKED, claim_row, denied_by_medicaid, judged, work
from cob_support import (
    DUAL,
    LATER,
    bill,
    by_payer,
    medicaid_835,
    medicare_835,
    patient_owes,
    payer_owes,
    post,
    reversal_of,
    segments,
    transaction_to,
    visit,
    write_day,
)
from denials_support import cell_of, worklist_rows
from remit_support import Clp, Svc, era
from x12_judge import validate_with_pyx12

from medsheets.acks.process import read_acknowledgments
from medsheets.cli.denials import print_resubmit_report
from medsheets.denials.sent import SentBatches
from medsheets.denials.worklist import make_worklist
from medsheets.invoices.run import produce_statements
from medsheets.ledger import Ledger
from medsheets.ledger.cob import coverages
from medsheets.ledger.schema import claim_events
from medsheets.practice import open_practice


def test_the_worklist_names_the_secondary_that_denied_and_its_claim_number(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD1")
    rows = worklist_rows(make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).path)
    assert {(r["payer"], r["payer_claim_number"]) for r in rows} == {("ILMCD", "MCDDEN1")}
    # its member id, not Medicare's, in the yellow columns
    assert {(r["bill_payer"], r["member_id"]) for r in rows} == {("ILMCD", "119052278")}
    assert [r["status"] for r in rows] == ["denied", "denied"]


def test_corrected_diagnoses_go_to_the_secondary_as_frequency_7_with_the_cob_loops(
        practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD2")
    before, _ = claim_row(practice_dir, "ESD2")
    _, result = work(practice_dir, {("ESD2", 1): {"action": "correct", "diagnoses": "E11.65, I10"},
                                    ("ESD2", 2): {"diagnoses": "E11.65"}})
    assert result.corrected == ["ESD2"] and not result.has_errors, [str(p) for p in result.problems]
    judged(result)  # pyx12, and our rules with COB balance: SV102 = SVD02 + CAS, AMT*D = sum SVD02
    sent = transaction_to(result.batch_file, "ILMCD")
    assert "CLM*ESD2*147***11:B:7*Y*A*Y*Y" in sent and "REF*F8*MCDDEN1" in sent
    assert "HI*ABK:E1165*ABF:I10" in sent  # the new diagnoses, each line pointing at its own
    assert [s.split("*")[7] for s in sent if s.startswith("SV1*")] == ["1:2", "1"]
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
    # the corrected diagnoses are the claim's now
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        as_sent = SentBatches(tx).of_claim(after)
        pointers = [line.diagnosis_pointers for line in tx.claim_lines(after.id)]
    assert as_sent is not None and as_sent.record.diagnoses == ("E1165", "I10")
    assert pointers == [(1, 2), (1,)]
    assert make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).rows == ()
    _, again = work(practice_dir, {("ESD2", 1): {"action": "correct"}})
    assert again.batch_file is None and not again.corrected
    # Medicaid pays the corrected claim: the patient owes nothing, to the cent
    assert patient_owes(practice_dir, "900100") == Decimal("19.11")
    post(practice_dir, medicaid_835("ESD2"), "medicaid.835")
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")
    assert payer_owes(practice_dir).get("ILMCD", Decimal("0.00")) == Decimal("0.00")
    assert claim_row(practice_dir, "ESD2")[1] == {}


def test_denied_again_the_worklist_shows_the_corrected_diagnoses(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD13")
    _, result = work(practice_dir, {("ESD13", 1): {"action": "correct", "diagnoses": "E11.65"},
                                    ("ESD13", 2): {"diagnoses": "E11.65"}})
    assert result.corrected == ["ESD13"], [str(p) for p in result.problems]
    post(practice_dir, era([Clp("ESD13", "4", "147", "0", icn="MCDDEN2", svcs=(
        Svc("99213", "135", "0", (("OA", "23", "117.45"), ("CO", "16", "17.55")), "ESD13-1"),
        Svc("36415", "12", "0", (("OA", "23", "10.44"), ("CO", "16", "1.56")), "ESD13-2"),
    ))], trace="MCDDEN2", payer_key="1ILMCD"), "medicaid-denial-2.835")
    rows = worklist_rows(make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).path)
    assert [(r["payer"], r["diagnoses"]) for r in rows] == [("ILMCD", "E11.65")] * 2
    # as shown, the rows change nothing: refused, saying what to change
    edited, unchanged = work(practice_dir, {("ESD13", 1): {"action": "correct"}})
    [problem] = [p for p in unchanged.problems if p.is_error]
    assert problem.code == "MS-WL-SECONDARY-UNCHANGED"
    assert problem.source.cell == cell_of(edited, ("ESD13", 1), "action")
    assert unchanged.batch_file is None and unchanged.held == ["ESD13"]


def test_a_correct_that_changes_nothing_is_refused_saying_what_to_change(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD14")
    edited, result = work(practice_dir, {("ESD14", 1): {"action": "correct"}})
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "MS-WL-SECONDARY-UNCHANGED"
    assert problem.source.cell == cell_of(edited, ("ESD14", 1), "action")
    for words in ("ILMCD", "CO-16", "diagnoses", "member_id", "void"):
        assert words in problem.message
    assert result.batch_file is None and result.corrected == [] and result.held == ["ESD14"]
    assert len(make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).rows) == 2


def test_corrected_diagnoses_pass_the_edits_check_runs_at_their_cell(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD15")
    for typed in ("E11", "E11.9, E10.9"):  # a category header; an Excludes1 pair
        edited, result = work(practice_dir, {("ESD15", 1): {"action": "correct", "diagnoses": typed}})
        errors = [p for p in result.problems if p.is_error]
        assert errors and all(p.code != "MS-WL-SECONDARY-CODES" for p in errors), typed
        assert {p.source.cell for p in errors} == {cell_of(edited, ("ESD15", 1), "diagnoses")}, \
            [str(p) for p in errors]
        assert result.batch_file is None and result.corrected == [] and result.held == ["ESD15"]
    claim, _ = claim_row(practice_dir, "ESD15")
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        as_sent = SentBatches(tx).of_claim(claim)
    assert as_sent is not None and as_sent.record.diagnoses == ("E119",)  # nothing kept


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


def test_what_the_primary_adjudicated_is_refused_at_its_cell(practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD4")
    said = {}
    for column, typed in (("procedure_code", "99214"), ("modifiers", "25"), ("units", 2),
                          ("new_charge", 150)):
        edited, result = work(practice_dir, {("ESD4", 1): {"action": "correct", column: typed,
                                                           "diagnoses": "E11.65"}})
        [problem] = [p for p in result.problems if p.is_error]
        assert problem.code == "MS-WL-SECONDARY-CODES" and "ILMCD" in problem.message
        assert problem.source.cell == cell_of(edited, ("ESD4", 1), column)
        assert result.batch_file is None and result.corrected == [] and result.held == ["ESD4"]
        said[column] = problem.message
    # why, and where the fix goes
    assert "MCRB1 adjudicated line 1's procedure, modifiers, units and charge" in said["units"]
    assert "correct them with MCRB1 first" in said["procedure_code"]
    # a void repeats the claim as sent: new diagnoses on it are refused too
    edited, result = work(practice_dir, {("ESD4", 1): {"action": "void", "diagnoses": "E11.65"}})
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.code == "MS-WL-SECONDARY-CODES"
    assert problem.source.cell == cell_of(edited, ("ESD4", 1), "diagnoses")
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


def _rejected_by_medicaid(practice_dir: Path, tmp_path: Path, eid: str) -> Path:
    """Medicare pays, Medicaid is billed; the 277CA in which Medicaid's front end rejects it."""
    bill(practice_dir, [write_day(practice_dir, visit(eid, **DUAL))])
    post(practice_dir, medicare_835(eid), "medicare.835")
    cob = bill(practice_dir, [], now=LATER)
    path = tmp_path / "medicaid.277"
    path.write_text(ack_277(_bht03(cob.batch_file, "ILMCD"),
                            [(eid, "147", "119052278", ["A7:562:85"])]))
    return path


def test_a_277ca_rejecting_the_secondarys_claim_is_recorded_on_the_secondary(
        practice_dir: Path, tmp_path: Path) -> None:
    path = _rejected_by_medicaid(practice_dir, tmp_path, "ESD9")
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


def test_a_void_of_a_claim_the_secondarys_front_end_rejected_sends_nothing_and_ends_the_wait(
        practice_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _rejected_by_medicaid(practice_dir, tmp_path, "ESD16")
    read_acknowledgments(open_practice(practice_dir), [path], as_of=WORKED.date())
    assert produce_statements(open_practice(practice_dir), as_of=WORKED.date()).plan.new == []
    _, result = work(practice_dir, {("ESD16", 1): {"action": "void"}})
    assert not result.has_errors, [str(p) for p in result.problems]
    # Medicaid never had the claim: nothing to void there, no 837; the wait for it ends
    assert result.batch_file is None and result.voided == [] and result.corrected == []
    assert result.secondary_ended == [("ESD16", "ILMCD", Decimal("19.11"))]
    claim, pending = claim_row(practice_dir, "ESD16")
    assert pending == {} and claim.status.value == "paid" and claim.payer_claim_number == "MCRICN1"
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        said = tx.conn.execute(sa.select(claim_events.c.payer_id, claim_events.c.detail).where(
            claim_events.c.claim_id == claim.id, claim_events.c.event == "voided")).all()
    assert [(payer, detail["sent"], detail["batch_id"]) for payer, detail in said] == [
        ("ILMCD", False, None)]
    # what Medicare left the patient is the patient's to pay now, to the cent
    assert patient_owes(practice_dir, "900100") == Decimal("19.11")
    [statement] = produce_statements(open_practice(practice_dir), as_of=WORKED.date()).plan.new
    assert statement.amount_due == Decimal("19.11")
    print_resubmit_report(result)
    out = capsys.readouterr().out
    assert ("voided in the ledger only: claim ESD16, which ILMCD's front end rejected (nothing on "
            "file there, no 837 sent); no longer waiting for ILMCD: the patient's 19.11 on it is billable") in out
    assert make_worklist(open_practice(practice_dir), None, as_of=WORKED.date()).rows == ()


def test_a_later_cob_claim_carries_the_diagnoses_corrected_for_the_secondary(
        practice_dir: Path) -> None:
    denied_by_medicaid(practice_dir, "ESD17")
    _, result = work(practice_dir, {("ESD17", 1): {"action": "correct", "diagnoses": "E11.65"},
                                    ("ESD17", 2): {"diagnoses": "E11.65"}})
    assert result.corrected == ["ESD17"], [str(p) for p in result.problems]
    # Medicare takes its payment back and pays again: the secondary gets a corrected COB claim
    post(practice_dir, reversal_of(medicare_835("ESD17"), "ESD17", "MCRICN1", "MCR2", "1MCRB1"),
         "reversal.835")
    post(practice_dir, medicare_835("ESD17", trace="MCR3", icn="MCRICN3"), "again.835")
    again = bill(practice_dir, [], now=WORKED + dt.timedelta(days=1))
    [cob] = again.secondary
    assert (cob.resubmission.frequency_code, cob.resubmission.payer_claim_number) == ("7", "MCDDEN1")
    sent = transaction_to(again.batch_file, "ILMCD")
    assert "HI*ABK:E1165" in sent and "REF*F8*MCDDEN1" in sent and "AMT*D*76.44" in sent
