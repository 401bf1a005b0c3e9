"""`medsheets resubmit`: each worklist action, what it sends and records, and doing it once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from denials_support import (  # noqa: F401  (fixtures)
    NOW,
    answer,
    billed_template_fixture,
    count,
    deny,
    edit_worklist,
    practice_fixture,
    reject,
)
from x12_judge import check_837_rules, validate_with_pyx12

from medsheets.claims import bill_workbooks
from medsheets.denials.resubmit import ResubmitResult, resubmit_worklist
from medsheets.denials.worklist import make_worklist
from medsheets.ledger import ClaimStatus, Ledger, Party
from medsheets.ledger.schema import batches, claim_events, claims, journal
from medsheets.practice import Practice
from medsheets.x12.read837 import read_837p
from medsheets.x12.reader import read_x12


def work(practice: Practice, changes: dict[tuple[str, int], dict[str, object]]) -> ResubmitResult:
    made = make_worklist(practice, practice.root / "made.xlsx", as_of=NOW.date())
    edited = edit_worklist(made.path, changes, practice.root / "worklist.xlsx")
    return resubmit_worklist(practice, edited, now=NOW)


def segments_of(text: str, encounter_id: str) -> list[list[str]]:
    """The CLM and REF segments of one claim in an 837, as element lists."""
    (interchange,) = read_x12(text, "x.837")
    found, inside = [], False
    for transaction in interchange.transactions():
        for seg in transaction.body:
            if seg.id == "CLM":
                inside = seg.element(1) == encounter_id
            elif seg.id in ("HL", "LX"):
                inside = False
            if inside and seg.id in ("CLM", "REF"):
                found.append([seg.id, *seg.elements])
    return found


def judged(result: ResubmitResult) -> str:
    assert result.batch_file is not None and result.batch_file.parent.name == "claims"
    assert result.batch_file.stat().st_mode & 0o777 == 0o600
    assert validate_with_pyx12(result.batch_file) == []
    text = result.batch_file.read_text()
    assert check_837_rules(text) == []
    return text


def test_a_corrected_claim_is_frequency_7_naming_the_payer_claim_and_replaces_the_lines(practice: Practice) -> None:
    deny(practice, "E261125-02", "CO-11", "ICN222")
    result = work(practice, {("E261125-02", 1): {"action": "correct", "procedure_code": "99214",
                                                 "modifiers": "25", "diagnoses": "I10, E11.9"}})
    assert result.corrected == ["E261125-02"] and not result.has_errors
    text = judged(result)
    clm, *refs = segments_of(text, "E261125-02")
    assert clm[1] == "E261125-02" and clm[5] == "11:B:7"
    assert ["REF", "F8", "ICN222"] in refs
    [claim] = read_837p(text, "x.837")
    assert [(line.procedure_code, line.modifiers, line.charge) for line in claim.lines] == [
        ("99214", ("25",), Decimal(195)), ("83036", (), Decimal(30)), ("36415", (), Decimal(12))]
    assert claim.diagnoses == ("I10", "E119") and claim.lines[1].pointers == (2,)
    assert [line.control_number for line in claim.lines] == [f"E261125-02-{n}" for n in (1, 2, 3)]

    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        row = tx.find_claim("E261125-02")
        assert row is not None and row.status is ClaimStatus.BILLED and row.frequency_code == "7"
        original = tx.conn.execute(sa.select(claims.c.original_claim_id).where(claims.c.id == row.id))
        assert original.scalar_one() == row.id
        assert tx.conn.execute(sa.select(batches.c.file_name).where(batches.c.id == row.batch_id)
                               ).scalar_one() == result.batch_file.name
        first = tx.claim_lines(row.id)[0]
        assert (first.procedure_code, first.modifiers, first.charge, first.diagnosis_pointers) == (
            "99214", ("25",), Decimal("195.00"), (1, 2))
        charges = [(e.entry.amount, e.reverses_id is not None) for e in tx.entries(row.id)
                   if e.entry.claim_line_id == first.id]
        assert charges == [(Decimal("135.00"), False), (Decimal("-135.00"), True), (Decimal("195.00"), False)]
        assert tx.claim_shares(row.id)[Party.PAYER] == Decimal("237.00")
        event = tx.conn.execute(sa.select(claim_events).where(claim_events.c.event == "corrected")).one()
        assert event.detail["lines_were"] == {"1": {"procedure_code": "99213", "modifiers": [],
                                                    "units": 1, "charge": "135.00"}}
    ledger.close()
    rebilled = bill_workbooks(practice, sorted((practice.root / "encounters").glob("*.xlsx")), now=NOW)
    assert "E261125-02" in rebilled.already_billed and not rebilled.refused
    assert make_worklist(practice, practice.root / "again.xlsx", as_of=NOW.date()).rows == ()


def test_a_void_is_frequency_8_with_the_original_lines_and_cancels_the_charges(practice: Practice) -> None:
    deny(practice, "E261126-09", "CO-18", "ICN909")
    result = work(practice, {("E261126-09", 2): {"action": "void", "procedure_code": "99999"}})
    assert result.voided == ["E261126-09"] and not result.has_errors  # codes typed on a void are ignored
    text = judged(result)
    clm, *refs = segments_of(text, "E261126-09")
    assert clm[5] == "11:B:8"
    assert refs == [["REF", "G1", "PA2611-04417"], ["REF", "F8", "ICN909"]]  # in the guide's order
    [claim] = read_837p(text, "x.837")
    assert [line.procedure_code for line in claim.lines] == ["20610", "99214", "J3301", "96372", "J1885"]
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        row = tx.find_claim("E261126-09")
        assert row is not None and row.status is ClaimStatus.VOID and row.frequency_code == "8"
        assert claim.total == sum((line.charge for line in tx.claim_lines(row.id)), Decimal(0))
        assert tx.claim_shares(row.id) == {Party.PAYER: Decimal("0.00"), Party.PATIENT: Decimal("-40.00")}
    ledger.close()


def test_a_rejected_claim_goes_out_again_as_an_original_and_its_void_stays_in_the_ledger(practice: Practice) -> None:
    for encounter_id in ("E261125-03", "E261126-05", "E261125-13"):
        reject(practice, encounter_id)
    result = work(practice, {("E261125-03", 1): {"action": "correct"},
                             ("E261126-05", 2): {"action": "correct", "modifiers": "XU"},
                             ("E261125-13", 1): {"action": "void"}})
    assert sorted(result.sent_again) == ["E261125-03", "E261126-05"]
    assert result.voided_in_ledger == ["E261125-13"] and not result.problems
    text = judged(result)
    clm, *refs = segments_of(text, "E261125-03")
    assert clm[5] == "11:B:1" and not any(ref[1] == "F8" for ref in refs)
    child = next(c for c in read_837p(text, "x.837") if c.claim_id == "E261126-05")
    assert child.relationship == "19" and child.subscriber_name != child.patient_name
    assert child.lines[1].modifiers == ("XU",)
    assert "CLM*E261125-13*" not in text
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        voided = tx.find_claim("E261125-13")
        assert voided is not None and voided.status is ClaimStatus.VOID and voided.frequency_code == "1"
        assert tx.claim_balance(voided.id) == Decimal("-30.00")  # the copay, now a credit
    ledger.close()


def test_write_off_and_bill_patient_post_the_insurance_balance_of_their_line(practice: Practice) -> None:
    answer(practice, "E261125-06", {"event": "partly_paid", "number": "ICN606", "line": 1,
                                    "paid": Decimal("120.00")},
           {"event": "line_denied", "line": 2, "reasons": "CO-29"},
           {"event": "line_denied", "line": 3, "reasons": "PR-204"})
    batches_before = count(practice, batches)
    result = work(practice, {("E261125-06", 2): {"action": "write off"},
                             ("E261125-06", 3): {"action": "Bill Patient"}})
    assert result.written_off == [("E261125-06", 2, Decimal("60.00"))]
    assert result.billed_to_patient == [("E261125-06", 3, Decimal("28.00"))]
    assert result.batch_file is None and count(practice, batches) == batches_before
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        row = tx.find_claim("E261125-06")
        assert row is not None and row.status is ClaimStatus.PAID
        posted = [(e.entry.kind.value, e.entry.party.value, e.entry.amount, e.entry.group_code,
                   e.entry.reason_code) for e in tx.entries(row.id)]
        assert ("writeoff", "payer", Decimal("60.00"), "CO", "29") in posted
        assert ("transfer", "patient", Decimal("28.00"), "PR", "204") in posted
        assert tx.claim_shares(row.id) == {Party.PAYER: Decimal("117.00"), Party.PATIENT: Decimal("28.00")}
        events = tx.conn.execute(sa.select(claim_events.c.event, claim_events.c.reason_codes)
                                 .where(claim_events.c.source == "worklist")).all()
        assert sorted(events) == [("billed_to_patient", "PR-204"), ("written_off", "CO-29")]
    ledger.close()


def test_the_same_worklist_again_does_nothing_new(practice: Practice) -> None:
    deny(practice, "E261125-02", "CO-16", "ICN222")
    deny(practice, "E261126-01", "CO-18", "ICN701")
    answer(practice, "E261125-06", {"event": "line_denied", "line": 2, "reasons": "CO-29", "number": "ICN6"})
    changes = {("E261125-02", 2): {"action": "correct", "modifiers": "91"},
               ("E261126-01", 1): {"action": "void"}, ("E261125-06", 2): {"action": "write off"}}
    first = work(practice, changes)
    assert not first.problems, [str(p) for p in first.problems]
    assert first.corrected == ["E261125-02"] and first.voided == ["E261126-01"] and first.written_off
    judged(first)  # a void of a dependant's claim: the subscriber comes from the 837 sent
    tables = (claims, journal, claim_events, batches)
    before = [count(practice, table) for table in tables]
    files = sorted(p.name for p in (practice.root / "out" / "claims").iterdir())

    again = resubmit_worklist(practice, practice.root / "worklist.xlsx", now=NOW)
    assert not again.did_anything and not again.problems and again.batch_file is None
    assert sorted(again.done_before) == ["E261125-02", "E261125-06", "E261126-01"]
    assert [count(practice, table) for table in tables] == before
    assert sorted(p.name for p in (practice.root / "out" / "claims").iterdir()) == files


def test_an_837_lost_after_the_commit_is_restored_by_the_next_run(practice: Practice) -> None:
    deny(practice, "E261125-02", "CO-16", "ICN222")
    first = work(practice, {("E261125-02", 1): {"action": "correct"}})
    assert first.batch_file is not None
    content = first.batch_file.read_text()
    first.batch_file.unlink()  # as if killed between the commit and the rename
    again = resubmit_worklist(practice, practice.root / "worklist.xlsx", now=NOW)
    assert again.restored_files == [first.batch_file.name]
    assert first.batch_file.read_text() == content


def test_a_corrected_claim_denied_again_can_be_worked_again(practice: Practice, tmp_path: Path) -> None:
    deny(practice, "E261125-02", "CO-16", "ICN222")
    work(practice, {("E261125-02", 1): {"action": "correct", "procedure_code": "99214"}})
    deny(practice, "E261125-02", "CO-11", "ICN333")
    second = work(practice, {("E261125-02", 1): {"action": "correct", "procedure_code": "99215"}})
    assert second.corrected == ["E261125-02"]
    text = judged(second)
    assert ["REF", "F8", "ICN333"] in segments_of(text, "E261125-02")
    assert read_837p(text, "x.837")[0].lines[0].charge == Decimal(270)
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        row = tx.find_claim("E261125-02")
        assert row is not None and tx.claim_balance(row.id) == Decimal("312.00")
    ledger.close()


def test_a_corrected_claim_rejected_by_the_clearinghouse_is_still_a_replacement(practice: Practice) -> None:
    deny(practice, "E261125-02", "CO-16", "ICN222")
    work(practice, {("E261125-02", 1): {"action": "correct"}})
    reject(practice, "E261125-02", "A7:21")
    again = work(practice, {("E261125-02", 2): {"action": "correct", "modifiers": "91"}})
    assert again.corrected == ["E261125-02"] and again.sent_again == []
    clm, *refs = segments_of(judged(again), "E261125-02")
    assert clm[5] == "11:B:7" and ["REF", "F8", "ICN222"] in refs
