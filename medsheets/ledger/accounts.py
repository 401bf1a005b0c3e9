"""A patient's account on a day: what is open on each visit line, and what is truly a credit.

Two questions the payments, the statements, the aging and the refunds ask alike, answered
once so they agree to the cent:

- which visit lines the patient still owes on, oldest first (a payment without an encounter is
  applied to them in that order, docs/payments.md);
- how much of a negative balance is a credit to refund, and how much is a prepayment: money
  paid on a visit whose claim is still with insurance (a copay collected at the desk) waits
  for the payer's answer, it is not a credit.

Every sum is over journal entries dated up to the day asked, with the sign rules of
records.py (ledger/balances.py has the expressions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import sqlalchemy as sa

from medsheets.ledger.balances import PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.records import Kind, Party
from medsheets.ledger.schema import claim_lines, claims, journal, patients

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction


class OpenLine(NamedTuple):
    """A visit line the patient owes on: its claim, line, date of service, open cents."""

    claim_id: int
    claim_line_id: int
    date_of_service: dt.date
    cents: int


class Standing(NamedTuple):
    """A patient's position in cents: the balance, the credit to refund, the prepayments."""

    balance: int
    credit: int  # > 0: money the practice owes the patient back
    prepaid: int  # > 0: paid on visits still with insurance


class Place(NamedTuple):
    """One claim line (or claim, or the account: ids None) of a patient, with both shares."""

    claim_id: int | None
    claim_line_id: int | None
    date_of_service: dt.date | None
    patient_cents: int
    payer_cents: int


def places(tx: Transaction, patient_id: str, as_of: dt.date) -> list[Place]:
    """The patient's shares on `as_of`, per line (claim, account), oldest visit first, the
    account last."""
    conn = tx.conn
    patient, payer = sa.func.sum(PATIENT_SHARE), sa.func.sum(PAYER_SHARE)
    query = (
        sa.select(journal.c.claim_id, journal.c.claim_line_id, claim_lines.c.date_of_service,
                  claim_lines.c.line_number, patient.label("patient"), payer.label("payer"))
        .outerjoin(claim_lines, claim_lines.c.id == journal.c.claim_line_id)
        .where(journal.c.patient_id == patient_id, journal.c.effective_date <= as_of)
        .group_by(journal.c.claim_id, journal.c.claim_line_id, claim_lines.c.date_of_service,
                  claim_lines.c.line_number)
    )
    rows = [Place(r.claim_id, r.claim_line_id,
                  _day(r.date_of_service) if r.date_of_service is not None else None,
                  int(r.patient or 0), int(r.payer or 0)) for r in conn.execute(query)]
    return sorted(rows, key=lambda p: (p.claim_id is None, p.date_of_service or dt.date.max,
                                       p.claim_id or 0, p.claim_line_id or 0))


def open_lines(tx: Transaction, patient_id: str, as_of: dt.date) -> list[OpenLine]:
    """The patient's lines with a share still open on `as_of`, oldest visit first."""
    return [OpenLine(p.claim_id, p.claim_line_id, p.date_of_service, p.patient_cents)
            for p in places(tx, patient_id, as_of)
            if p.claim_line_id is not None and p.claim_id is not None
            and p.date_of_service is not None and p.patient_cents > 0]


def credit_places(tx: Transaction, patient_id: str, as_of: dt.date) -> list[Place]:
    """Where the patient's refundable credit sits on `as_of`: the account first, then visits
    paid beyond their share that no payer still owes on (a prepayment is not refundable)."""
    found = [p for p in places(tx, patient_id, as_of) if p.patient_cents < 0]
    pending = {p.claim_id for p in places(tx, patient_id, as_of)
               if p.claim_id is not None and p.payer_cents > 0}
    return sorted((p for p in found if p.claim_id is None or p.claim_id not in pending),
                  key=lambda p: p.claim_id is not None)


def standings(tx: Transaction, as_of: dt.date,
              patient_ids: Iterable[str] | None = None) -> dict[str, Standing]:
    """Each patient's balance, refundable credit and prepayments on `as_of` (patients with
    any entry; only `patient_ids` when given)."""
    conn = tx.conn
    per_claim = (
        sa.select(journal.c.patient_id, journal.c.claim_id,
                  sa.func.sum(PATIENT_SHARE).label("patient"),
                  sa.func.sum(PAYER_SHARE).label("payer"))
        .where(journal.c.effective_date <= as_of)
        .group_by(journal.c.patient_id, journal.c.claim_id)
    )
    if patient_ids is not None:
        per_claim = per_claim.where(journal.c.patient_id.in_(sorted(set(patient_ids))))
    totals: dict[str, list[int]] = {}
    for row in conn.execute(per_claim):
        patient, payer = int(row.patient or 0), int(row.payer or 0)
        entry = totals.setdefault(row.patient_id, [0, 0])
        entry[0] += patient
        if row.claim_id is not None and payer > 0 and patient < 0:
            entry[1] -= patient  # prepaid on a visit the payer has not settled
    found = {}
    for patient_id, (balance, prepaid) in totals.items():
        credit = max(0, -(balance + prepaid))
        found[patient_id] = Standing(balance, credit, prepaid)
    return found


def account_credits(tx: Transaction, as_of: dt.date) -> dict[str, int]:
    """patient -> cents on the account outside any visit in the patient's favour on `as_of`
    (an unapplied payment's remainder), for every patient who has one."""
    conn = tx.conn
    share = sa.func.sum(PATIENT_SHARE)
    query = (
        sa.select(journal.c.patient_id, share.label("cents"))
        .where(journal.c.claim_id.is_(None), journal.c.effective_date <= as_of)
        .group_by(journal.c.patient_id)
        .having(share < 0)
        .order_by(journal.c.patient_id)
    )
    return {row.patient_id: -int(row.cents) for row in conn.execute(query)}


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class RefundDue(NamedTuple):
    """A credit to pay back: to whom, how much, and the last payment that made it."""

    patient_id: str
    last_name: str | None
    first_name: str | None
    credit_cents: int
    last_payment: dt.date | None
    last_reference: str | None


class Overpaid(NamedTuple):
    """A claim a payer paid beyond what it owed (e.g. paid twice): the payer's money to return."""

    encounter_id: str
    patient_id: str
    payer_id: str
    cents: int
    references: str


def refunds_due(tx: Transaction, as_of: dt.date) -> list[RefundDue]:
    """Every patient with a refundable credit on `as_of`, by account number."""
    conn = tx.conn
    due = {pid: s.credit for pid, s in standings(tx, as_of).items() if s.credit > 0}
    if not due:
        return []
    people = {r.patient_id: r for r in conn.execute(
        sa.select(patients.c.patient_id, patients.c.last_name, patients.c.first_name)
        .where(patients.c.patient_id.in_(sorted(due))))}
    paid = (
        sa.select(journal.c.patient_id, journal.c.effective_date, journal.c.reference)
        .where(journal.c.patient_id.in_(sorted(due)), journal.c.party == Party.PATIENT.value,
               journal.c.kind == Kind.PAYMENT.value, journal.c.amount_cents > 0,
               journal.c.effective_date <= as_of)
        .order_by(journal.c.effective_date, journal.c.id)
    )
    last: dict[str, tuple[dt.date, str | None]] = {}
    for row in conn.execute(paid):
        last[row.patient_id] = (_day(row.effective_date), row.reference)
    return [RefundDue(pid, getattr(people.get(pid), "last_name", None),
                      getattr(people.get(pid), "first_name", None), cents,
                      *last.get(pid, (None, None)))
            for pid, cents in sorted(due.items())]


def payer_overpayments(tx: Transaction, as_of: dt.date) -> list[Overpaid]:
    """Claims on which a payer's share is below zero on `as_of`, by encounter id."""
    conn = tx.conn
    share = sa.func.sum(PAYER_SHARE)
    query = (
        sa.select(claims.c.encounter_id, claims.c.patient_id, claims.c.payer_id,
                  share.label("cents"))
        .join(claims, claims.c.id == journal.c.claim_id)
        .where(journal.c.effective_date <= as_of, claims.c.payer_id.is_not(None))
        .group_by(claims.c.encounter_id, claims.c.patient_id, claims.c.payer_id)
        .having(share < 0)
        .order_by(claims.c.encounter_id)
    )
    found = []
    for row in conn.execute(query):
        references = conn.execute(
            sa.select(journal.c.reference).distinct()
            .join(claims, claims.c.id == journal.c.claim_id)
            .where(claims.c.encounter_id == row.encounter_id, journal.c.party == Party.PAYER.value,
                   journal.c.kind == Kind.PAYMENT.value, journal.c.effective_date <= as_of,
                   journal.c.reference.is_not(None))).scalars()
        found.append(Overpaid(row.encounter_id, row.patient_id, row.payer_id, -int(row.cents),
                              ", ".join(sorted(references))))
    return found
