"""Patients and claims: what add_claim records, and what it refuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_ledger_support import ALICE, SHA, bill, encounter, line

from medsheets.ledger import ClaimStatus, Kind, Ledger, LedgerError, Party


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger.open(f"sqlite:///{tmp_path / 'medsheets.db'}")


def test_a_billed_claim_has_its_lines_and_one_payer_charge_per_line(ledger: Ledger) -> None:
    enc = encounter(
        "E1",
        line("E1", code="99213", charge="120.00", diagnoses=("E119", "I10")),
        line("E1", code="81002", charge="15.50", diagnoses=("I10",), modifiers=("QW",)),
    )
    _, claim_id = bill(ledger, enc)
    with ledger.reading() as tx:
        claim = tx.find_claim("E1")
        lines = tx.claim_lines(claim_id)
        entries = tx.entries(claim_id)
        assert tx.claim_balance(claim_id) == Decimal("135.50")
        assert tx.claim_shares(claim_id) == {Party.PAYER: Decimal("135.50"), Party.PATIENT: 0}
    assert claim is not None and claim.id == claim_id
    assert (claim.status, claim.payer_id, claim.fingerprint) == (ClaimStatus.BILLED, "BCBS", "f" * 64)
    assert [(ln.line_control_number, ln.charge, ln.diagnosis_pointers) for ln in lines] == [
        ("E1-1", Decimal("120.00"), (1, 2)),
        ("E1-2", Decimal("15.50"), (2,)),
    ]
    assert lines[1].modifiers == ("QW",)
    assert [(e.entry.kind, e.entry.party, e.entry.amount) for e in entries] == [
        (Kind.CHARGE, Party.PAYER, Decimal("120.00")),
        (Kind.CHARGE, Party.PAYER, Decimal("15.50")),
    ]


def test_self_pay_charges_the_patient_and_a_copay_is_a_patient_payment(ledger: Ledger) -> None:
    _, self_pay = bill(ledger, encounter("S1", line("S1", payer_id=None, charge="80.00")))
    _, insured = bill(ledger, encounter("I1", line("I1", charge="100.00", copay="25.00")))
    with ledger.reading() as tx:
        claim = tx.find_claim("S1")
        assert claim is not None and claim.status is ClaimStatus.SELF_PAY and claim.payer_id is None
        assert tx.claim_shares(self_pay) == {Party.PAYER: 0, Party.PATIENT: Decimal("80.00")}
        # The copay is a patient credit until the remittance moves the copay to the patient.
        assert tx.claim_shares(insured) == {Party.PAYER: Decimal("100.00"),
                                            Party.PATIENT: Decimal("-25.00")}
        copay = tx.entries(insured)[1].entry
    assert (copay.kind, copay.reference, copay.payer_id) == (Kind.PAYMENT, "copay", None)


def test_the_same_encounter_cannot_be_recorded_twice(ledger: Ledger) -> None:
    bill(ledger, encounter("E1"))
    with pytest.raises(sa.exc.IntegrityError):
        bill(ledger, encounter("E1"))
    with ledger.reading() as tx:
        assert tx.conn.exec_driver_sql("SELECT COUNT(*) FROM claims").scalar_one() == 1


def test_a_claim_needs_its_patient_and_one_control_number_per_line(ledger: Ledger) -> None:
    with ledger.transaction() as tx:
        run_id = tx.start_run("claims", [("day.xlsx", SHA)])
        with pytest.raises(LedgerError, match="upsert the patient"):
            tx.add_claim(encounter("E1"), fingerprint="f" * 64, run_id=run_id, batch_id=None,
                         line_control_numbers=["E1-1"], source_file="day.xlsx")
        tx.upsert_patient("P1", ALICE, None, None)
        with pytest.raises(LedgerError, match="one line control number per line"):
            tx.add_claim(encounter("E1"), fingerprint="f" * 64, run_id=run_id, batch_id=None,
                         line_control_numbers=[], source_file="day.xlsx")


def test_a_claim_in_a_batch_is_marked_first_billed(ledger: Ledger) -> None:
    with ledger.transaction() as tx:
        run_id = tx.start_run("claims", [("day.xlsx", SHA)])
        tx.upsert_patient("P1", ALICE, None, None)
        batch = tx.add_batch(run_id, "claims-1.837", (1, 1, 1), "ISA*...~", folder_id=None)
        tx.add_claim(encounter("E1"), fingerprint="f" * 64, run_id=run_id, batch_id=batch,
                     line_control_numbers=["E1-1"], source_file="day.xlsx")
        claim = tx.find_claim("E1")
    assert claim is not None and claim.batch_id == batch and claim.first_billed_at is not None
    assert claim.date_of_service == dt.date(2026, 3, 2)


def test_upsert_patient_updates_but_never_erases(ledger: Ledger) -> None:
    moved = dataclasses.replace(ALICE, address="9 Oak Ave", city=None)
    with ledger.transaction() as tx:
        tx.upsert_patient("P1", ALICE, "alice@example.com", None)
        tx.upsert_patient("P1", moved, None, "2175550199")
        tx.upsert_patient("P2", dataclasses.replace(ALICE, first_name="Zoë"), None, None)
    with ledger.reading() as tx:
        known = tx.known_patients()
        email, phone = tx.conn.exec_driver_sql(
            "SELECT email, phone FROM patients WHERE patient_id = 'P1'"
        ).one()
    assert known["P1"].address == "9 Oak Ave" and known["P1"].city == "Springfield"
    assert known["P2"].first_name == "Zoë" and known["P2"].dob == dt.date(1980, 5, 17)
    assert (email, phone) == ("alice@example.com", "2175550199")


def test_claim_status_changes_and_keeps_the_payer_claim_number(ledger: Ledger) -> None:
    _, claim_id = bill(ledger, encounter("E1"))
    with ledger.transaction() as tx:
        tx.set_claim_status(claim_id, ClaimStatus.ACCEPTED, payer_claim_number="PCN77")
        tx.set_claim_status(claim_id, ClaimStatus.PAID)
        claim = tx.find_claim("E1")
        with pytest.raises(LedgerError, match="no claim"):
            tx.set_claim_status(claim_id + 100, ClaimStatus.PAID)
    assert claim is not None and (claim.status, claim.payer_claim_number) == (ClaimStatus.PAID, "PCN77")
