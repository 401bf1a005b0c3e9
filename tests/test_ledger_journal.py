"""The journal: posting rules, reversals, append-only, and balances summed from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_ledger_support import ALICE, bill, encounter, line

from medsheets.ledger import JournalEntry, JournalError, Kind, Ledger, Party

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger.open(f"sqlite:///{tmp_path / 'medsheets.db'}")


def remittance(run_id: int, claim_id: int, line_id: int) -> list[JournalEntry]:
    """An 835 for a 120.00 line: paid 70, CO-45 write-down 30, PR-1 deductible 20 to the patient."""
    paid = JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, Decimal("70.00"), claim_id=claim_id,
                        claim_line_id=line_id, payer_id="BCBS", reference="EFT123",
                        effective_date=TODAY)
    return [
        paid,
        replace(paid, kind=Kind.ADJUSTMENT, amount=Decimal("30.00"), group_code="CO",
                reason_code="45"),
        replace(paid, kind=Kind.TRANSFER, party=Party.PATIENT, amount=Decimal("20.00"),
                group_code="PR", reason_code="1"),
    ]


def test_a_remittance_moves_the_balance_from_payer_to_patient(ledger: Ledger) -> None:
    run_id, claim_id = bill(ledger, encounter("E1"))
    with ledger.transaction() as tx:
        (line_row,) = tx.claim_lines(claim_id)
        tx.post(remittance(run_id, claim_id, line_row.id))
        assert tx.claim_balance(claim_id) == Decimal("20.00")
        assert tx.line_balances(claim_id) == {line_row.id: Decimal("20.00")}
        assert tx.claim_shares(claim_id) == {Party.PAYER: 0, Party.PATIENT: Decimal("20.00")}
        assert tx.patient_balances() == {"P1": Decimal("20.00")}
        assert tx.payer_balances() == {}
        posted = tx.entries(claim_id)
    assert [e.entry.patient_id for e in posted] == ["P1"] * 4  # filled in from the claim


def test_a_reversal_restores_the_balance_and_happens_once(ledger: Ledger) -> None:
    run_id, claim_id = bill(ledger, encounter("E1"))
    with ledger.transaction() as tx:
        (line_row,) = tx.claim_lines(claim_id)
        tx.post(remittance(run_id, claim_id, line_row.id)[:1])
        payment = tx.entries(claim_id)[-1]
        reversal_id = tx.reverse(payment.id, run_id, TODAY)
        assert tx.claim_balance(claim_id) == Decimal("120.00")
        assert tx.payer_balances() == {"BCBS": Decimal("120.00")}
        with pytest.raises(JournalError, match="already reversed"):
            tx.reverse(payment.id, run_id, TODAY)
        with pytest.raises(JournalError, match="itself a reversal"):
            tx.reverse(reversal_id, run_id, TODAY)
        reversal = tx.entries(claim_id)[-1]
    assert reversal.reverses_id == payment.id and reversal.entry.amount == Decimal("-70.00")


@pytest.mark.parametrize("statement", ["UPDATE journal SET amount_cents = 0", "DELETE FROM journal"])
def test_the_database_refuses_to_change_journal_rows(ledger: Ledger, statement: str) -> None:
    bill(ledger, encounter("E1"))
    with pytest.raises(sa.exc.DatabaseError, match="never changed"), ledger.transaction() as tx:
        tx.conn.exec_driver_sql(statement)
    with ledger.reading() as tx:
        assert tx.total_balance() == Decimal("120.00")


def test_postings_that_do_not_fit_their_claim_are_refused(ledger: Ledger) -> None:
    run_id, claim_id = bill(ledger, encounter("E1"))
    _, other_id = bill(ledger, encounter("E2", line("E2", charge="50.00")))
    with ledger.transaction() as tx:
        (line_row,) = tx.claim_lines(claim_id)
        tx.upsert_patient("P9", ALICE, None, None)
        pay = Decimal("10.00")
        bad = {
            "is not billed to payer": JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, pay,
                                                   claim_id=claim_id, payer_id="AETNA"),
            "is not on claim": JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, pay,
                                            claim_id=other_id, claim_line_id=line_row.id),
            "another patient": JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, pay,
                                            patient_id="P9", claim_id=claim_id),
            "party 'patient'": JournalEntry(run_id, Kind.TRANSFER, Party.PAYER, pay,
                                            claim_id=claim_id, payer_id="BCBS"),
            "needs the payer_id": JournalEntry(run_id, Kind.ADJUSTMENT, Party.PAYER, pay,
                                               claim_id=claim_id),
            "needs a patient": JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, pay),
            "does not have": JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, pay, patient_id="P0"),
            "no claim 999": JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, pay, claim_id=999),
            "needs its effective date": JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, pay,
                                                     patient_id="P1"),
        }
        for message, entry in bad.items():
            with pytest.raises(JournalError, match=message):
                tx.post([entry])
        assert tx.total_balance() == Decimal("170.00")


def test_an_unapplied_patient_payment_is_a_credit_on_the_account(ledger: Ledger) -> None:
    run_id, _ = bill(ledger, encounter("E1"))
    with ledger.transaction() as tx:
        tx.post([JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, Decimal("5.00"), patient_id="P1",
                                 effective_date=TODAY)])
        assert tx.patient_balances() == {"P1": Decimal("-5.00")}
        assert tx.total_balance() == Decimal("115.00")
