"""Refunds: money paid back to a patient out of a credit balance (the `Refunds` sheet).

A refund may not exceed the patient's credit on its date: the credit as ledger/accounts.py
works it out, so a copay waiting on a claim still with insurance (a prepayment) is not
refundable. A refund larger than that is an error at its amount cell (`MS-REFUND-OVER`) and
nothing of its reference is posted. A refund is posted as negative patient payments where the
credit sits (the account first, then visits paid beyond their share), so the credit closes
where it was shown, and each reference is posted once like a payment.
"""

from __future__ import annotations

from medsheets.ledger import JournalEntry, Kind, Party, Transaction
from medsheets.ledger.accounts import credit_places, standings
from medsheets.model import Problem, error
from medsheets.money import from_cents, to_cents
from medsheets.payments.groups import RefGroup
from medsheets.workbook.payments import PatientPaymentRow


def refund_problems(tx: Transaction, group: RefGroup[PatientPaymentRow]) -> list[Problem]:
    """An error at each row's amount that is more than the credit left for it."""
    problems: list[Problem] = []
    asked: dict[str, int] = {}
    for row in group.rows:
        assert row.patient_id and row.amount is not None and row.date is not None
        asked[row.patient_id] = asked.get(row.patient_id, 0) + to_cents(row.amount)
        credit = standings(tx, row.date, [row.patient_id]).get(row.patient_id)
        available = credit.credit if credit else 0
        if asked[row.patient_id] > available:
            problems.append(error(
                row.origin.at("amount"), "MS-REFUND-OVER",
                f"refund of {row.amount} is more than the credit of {from_cents(available)} on "
                f"account {row.patient_id} on {row.date.isoformat()}; refund at most the credit "
                "(see the Refunds sheet of the aging workbook)"))
    return problems


def refund_entries(tx: Transaction, run_id: int,
                   group: RefGroup[PatientPaymentRow]) -> list[JournalEntry]:
    """Each row as negative patient payments on the places its credit sits, account first."""
    entries: list[JournalEntry] = []
    for row in group.rows:
        assert row.patient_id and row.amount is not None and row.date is not None
        left = to_cents(row.amount)
        for place in credit_places(tx, row.patient_id, row.date):
            take = min(left, -place.patient_cents)
            if take <= 0:
                break
            entries.append(JournalEntry(
                run_id=run_id, kind=Kind.PAYMENT, party=Party.PATIENT, amount=-from_cents(take),
                patient_id=row.patient_id, claim_id=place.claim_id,
                claim_line_id=place.claim_line_id, reference=group.reference,
                effective_date=row.date))
            left -= take
    return entries
