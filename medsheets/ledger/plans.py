"""Payment plans agreed with patients (the payments workbook's `Plans` sheet), and how they go.

A plan is: from `start_date`, `installment_cents` every period (`frequency`: "monthly",
"weekly", "biweekly" or "every:N" days). The latest plan of a patient that has started is the
one in force. Whether it is kept is worked out from the journal, never stored: the patient's
payments since the start must cover every installment whose due date is at least
GRACE_DAYS past. A plan is over when the balance is paid (see `plan_standing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import sqlalchemy as sa

from medsheets.ledger.accounts import standings
from medsheets.ledger.records import Kind, Party
from medsheets.ledger.schema import journal, payment_plans
from medsheets.ledger.sql import insert_id, utc_now

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

GRACE_DAYS = 10  # an installment counts as missed this many days after its due date
FREQUENCIES = {"monthly": 0, "weekly": 7, "biweekly": 14}


class PaymentPlan(NamedTuple):
    patient_id: str
    start_date: dt.date
    installment_cents: int
    frequency: str


class PlanStanding(NamedTuple):
    """A plan on a day: what was due and paid, whether it is kept, the next installment."""

    plan: PaymentPlan
    due_cents: int  # installments due (GRACE_DAYS past) since the start
    paid_cents: int  # patient payments since the start
    balance_cents: int  # what the patient owes now
    next_due: dt.date  # the next installment's due date after the day
    next_cents: int  # what to pay then (the installment, or the balance if smaller)

    @property
    def kept(self) -> bool:
        return self.paid_cents >= self.due_cents

    @property
    def active(self) -> bool:
        return self.balance_cents > 0


def frequency_days(frequency: str) -> int | None:
    """Days between installments (0: monthly, same day of the month); None if not a frequency."""
    text = frequency.strip().lower()
    if text in FREQUENCIES:
        return FREQUENCIES[text]
    kind, _, number = text.partition(":")
    if kind == "every" and number.isdigit() and 1 <= int(number) <= 365:
        return int(number)
    return None


def due_dates(plan: PaymentPlan, until: dt.date) -> list[dt.date]:
    """The installment due dates from the start up to and including `until`."""
    days = frequency_days(plan.frequency) or 0
    found: list[dt.date] = []
    n = 0
    while True:
        day = _nth(plan.start_date, days, n)
        if day > until:
            return found
        found.append(day)
        n += 1


def _nth(start: dt.date, days: int, n: int) -> dt.date:
    if days:
        return start + dt.timedelta(days=days * n)
    month = start.month - 1 + n
    year, month = start.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(start.day, 28))


def record_plan(tx: Transaction, run_id: int, plan: PaymentPlan, file_name: str) -> str:
    """Keep a plan once: "new", "same" (already recorded), or "changed" (nothing written)."""
    conn = tx.conn
    earlier = conn.execute(sa.select(payment_plans).where(
        payment_plans.c.patient_id == plan.patient_id,
        payment_plans.c.start_date == plan.start_date)).first()
    if earlier is not None:
        same = (earlier.installment_cents, earlier.frequency) == (plan.installment_cents, plan.frequency)
        return "same" if same else "changed"
    insert_id(conn, payment_plans.insert().values(
        run_id=run_id, patient_id=plan.patient_id, start_date=plan.start_date,
        installment_cents=plan.installment_cents, frequency=plan.frequency, file_name=file_name,
        created_at=utc_now()))
    return "new"


def plans_in_force(tx: Transaction, as_of: dt.date,
                   patient_ids: Iterable[str] | None = None) -> dict[str, PaymentPlan]:
    """Each patient's latest plan started on or before `as_of`."""
    conn = tx.conn
    query = (sa.select(payment_plans).where(payment_plans.c.start_date <= as_of)
             .order_by(payment_plans.c.patient_id, payment_plans.c.start_date))
    if patient_ids is not None:
        query = query.where(payment_plans.c.patient_id.in_(sorted(set(patient_ids))))
    return {row.patient_id: PaymentPlan(row.patient_id, row.start_date, row.installment_cents,
                                        row.frequency)
            for row in conn.execute(query)}


def plan_standings(tx: Transaction, as_of: dt.date,
                   patient_ids: Iterable[str] | None = None) -> dict[str, PlanStanding]:
    """Every plan in force on `as_of` with what was due, what was paid, and what is next."""
    conn = tx.conn
    plans = plans_in_force(tx, as_of, patient_ids)
    if not plans:
        return {}
    balances = standings(tx, as_of, plans)
    found = {}
    for pid, plan in plans.items():
        paid = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(journal.c.amount_cents), 0))
            .where(journal.c.patient_id == pid, journal.c.kind == Kind.PAYMENT.value,
                   journal.c.party == Party.PATIENT.value, journal.c.amount_cents > 0,
                   sa.func.coalesce(journal.c.reference, "") != "applied",
                   journal.c.effective_date >= plan.start_date,
                   journal.c.effective_date <= as_of)).scalar_one()
        due = len(due_dates(plan, as_of - dt.timedelta(days=GRACE_DAYS))) * plan.installment_cents
        balance = balances[pid].balance if pid in balances else 0
        upcoming = [d for d in due_dates(plan, as_of + dt.timedelta(days=400)) if d > as_of]
        found[pid] = PlanStanding(plan, due, int(paid), balance, upcoming[0],
                                  max(0, min(plan.installment_cents, balance)))
    return found
