"""The practice's turnover rule: which patient accounts go to a collection agency.

An account is ready for collections, as of a day, when all of these hold:

- the patient owes at least statements.collections_minimum (and the statement minimum);
- part of it is on visits older than statements.collections_after_days (counted from the date
  of service, whatever age basis the aging report uses: a report option must not change who
  is sent to an agency);
- the last statement that reached the guarantor (emailed, or marked mailed) is at least number
  statements.collections_after_statements of its cycle: one produced but never sent warned
  nobody;
- the patient paid nothing on or after the day of that last statement;
- the account was not placed already;
- the patient is not keeping a payment plan (ledger/plans.py).

What the patient owes here never counts what a secondary insurance is still expected to pay
on that day (ledger/cob.py `pending_query`): the agency is not sent an amount the secondary
may yet pay, and an account waiting only on a secondary is not ready.

`place` records the hand-over in collection_placements: the statements stop (the invoices
command reads that table) and the aging shows the account apart from then on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from medsheets.config import Statements
from medsheets.guarantors import Addressee, guarantor_of
from medsheets.ledger import Transaction
from medsheets.ledger.balances import PATIENT_SHARE
from medsheets.ledger.cob import pending_query, waits_on
from medsheets.ledger.plans import plan_standings
from medsheets.ledger.records import Kind, Party
from medsheets.ledger.reports import accounts
from medsheets.ledger.reports.buckets import SERVICE_DATE, Scope, in_scope, journal_rows
from medsheets.ledger.schema import claims, collection_placements, journal, patients
from medsheets.money import from_cents, to_cents

CHUNK = 500  # account ids per IN (...) list


@dataclass(frozen=True)
class AgencyAccount:
    """What an agency needs about an account: who, where, how much, which visits, what was tried.

    `balance` is what the patient owes as of the day; `placed_on`/`placed_balance` are set for
    an account already handed over.
    """

    patient_id: str
    last_name: str | None
    first_name: str | None
    dob: dt.date | None
    address: str | None
    city: str | None
    state: str | None
    zip: str | None
    phone: str | None
    email: str | None
    balance: Decimal
    dates_of_service: tuple[dt.date, ...]
    statements: int
    first_statement: dt.date | None
    last_statement: dt.date | None
    last_payment: dt.date | None
    placed_on: dt.date | None = None
    placed_balance: Decimal | None = None
    debtor: Addressee | None = None  # the guarantor, who owes the account (never a minor)

    @property
    def patient_name(self) -> str:
        return f"{self.first_name or ''} {self.last_name or ''}".strip()


def _patient_payment(since: Any = None) -> Any:
    condition = sa.and_(journal.c.kind == Kind.PAYMENT.value, journal.c.party == Party.PATIENT.value)
    return condition if since is None else sa.and_(condition, journal.c.effective_date >= since)


def _owed(scope: Scope, rows: Any) -> tuple[Any, Any]:
    """The patient's own share of each journal row, as of the scope's day (what a pending
    secondary is expected to pay is not theirs yet), and `rows` joined to what tells that."""
    pending = pending_query(scope.as_of)
    own = sa.case((pending.c.payer_id.is_(None), PATIENT_SHARE), else_=0)
    return own, rows.outerjoin(pending, waits_on(pending, journal.c.claim_id, journal.c.claim_line_id))


def ready_ids(tx: Transaction, as_of: dt.date, rules: Statements) -> list[str]:
    """The accounts meeting the turnover rule as of `as_of`, in account order."""
    conn = tx.conn
    scope = Scope(as_of)
    limit = as_of - dt.timedelta(days=rules.collections_after_days)
    own, rows = _owed(scope, journal_rows(scope))
    older = sa.case(
        (sa.and_(journal.c.claim_id.is_not(None), SERVICE_DATE < limit), own), else_=0
    )
    owed = (
        sa.select(journal.c.patient_id, sa.func.sum(own).label("balance"),
                  sa.func.sum(older).label("older"))
        .select_from(rows)
        .where(in_scope(scope))
        .group_by(journal.c.patient_id)
        .subquery("owed")
    )
    summary = accounts.statement_summary(as_of, delivered_only=True)
    last = accounts.last_statement()
    paid_after = accounts.statement_summary(as_of, "paid_summary", delivered_only=True)
    since = (
        sa.select(journal.c.patient_id, sa.func.sum(journal.c.amount_cents).label("paid"))
        .join(paid_after, paid_after.c.patient_id == journal.c.patient_id)
        .where(_patient_payment(paid_after.c.last_statement), in_scope(scope))
        .group_by(journal.c.patient_id)
        .subquery("paid_since")
    )
    joined = accounts.join_statements(owed, owed.c.patient_id, summary, last).outerjoin(
        since, since.c.patient_id == owed.c.patient_id
    ).outerjoin(collection_placements, accounts.placement_on(owed.c.patient_id, as_of))
    query = (
        sa.select(owed.c.patient_id)
        .select_from(joined)
        .where(
            owed.c.balance >= to_cents(placement_minimum(rules)), owed.c.balance > 0,
            owed.c.older > 0,
            last.c.cycle_position >= rules.collections_after_statements,
            sa.func.coalesce(since.c.paid, 0) <= 0,
            collection_placements.c.id.is_(None),
        )
        .order_by(owed.c.patient_id)
    )
    found = [patient_id for (patient_id,) in conn.execute(query)]
    on_plan = {pid for pid, s in plan_standings(tx, as_of, found).items() if s.kept and s.active}
    return [pid for pid in found if pid not in on_plan]  # a plan kept: no collections


def placement_minimum(rules: Statements) -> Decimal:
    """The least balance placed with an agency: collections_minimum, never below the
    statement minimum (an account not sent statements is not placed either)."""
    return max(rules.minimum_balance, rules.collections_minimum)


def placed_ids(tx: Transaction, as_of: dt.date, file_name: str | None = None) -> list[str]:
    """Accounts placed on or before `as_of` (only those of one agency file, if named)."""
    conn = tx.conn
    query = sa.select(collection_placements.c.patient_id).where(
        collection_placements.c.placed_on <= as_of
    )
    if file_name is not None:
        query = query.where(collection_placements.c.file_name == file_name)
    return [patient_id for (patient_id,) in conn.execute(query.order_by("patient_id"))]


def describe(tx: Transaction, as_of: dt.date, ids: Sequence[str]) -> list[AgencyAccount]:
    """The agency's view of each account in `ids`, in that order."""
    found: dict[str, AgencyAccount] = {}
    for start in range(0, len(ids), CHUNK):
        for account in _describe_chunk(tx, as_of, list(ids[start:start + CHUNK])):
            found[account.patient_id] = account
    return [found[patient_id] for patient_id in ids if patient_id in found]


def _describe_chunk(tx: Transaction, as_of: dt.date, ids: list[str]) -> Iterator[AgencyAccount]:
    conn = tx.conn
    scope = Scope(as_of)
    paid_on = sa.case((sa.and_(_patient_payment(), journal.c.amount_cents > 0),
                       journal.c.effective_date), else_=None)
    own, rows = _owed(scope, journal)
    money = (
        sa.select(journal.c.patient_id, sa.func.sum(own).label("balance"),
                  sa.func.max(paid_on).label("last_payment"))
        .select_from(rows)
        .where(in_scope(scope), journal.c.patient_id.in_(ids))
        .group_by(journal.c.patient_id)
        .subquery("money")
    )
    summary = accounts.statement_summary(as_of)
    query = (
        sa.select(patients, money.c.balance, money.c.last_payment, summary.c.statements,
                  summary.c.first_statement, summary.c.last_statement,
                  collection_placements.c.placed_on, collection_placements.c.balance_cents)
        .select_from(
            patients.outerjoin(money, money.c.patient_id == patients.c.patient_id)
            .outerjoin(summary, summary.c.patient_id == patients.c.patient_id)
            .outerjoin(collection_placements,
                       accounts.placement_on(patients.c.patient_id, as_of))
        )
        .where(patients.c.patient_id.in_(ids))
    )
    visits = _open_visits(conn, scope, ids)
    profiles, payers = tx.patient_profiles(ids), tx.latest_payers(ids)
    for row in conn.execute(query):
        day = row.placed_on or as_of  # a minor then is a minor in the agency file restored later
        profile = profiles.get(row.patient_id)
        debtor = guarantor_of(profile, payers.get(row.patient_id), day) if profile else None
        yield AgencyAccount(
            patient_id=row.patient_id, last_name=row.last_name, first_name=row.first_name,
            dob=row.dob, address=row.address, city=row.city, state=row.state, zip=row.zip,
            phone=row.phone, email=row.email, balance=from_cents(int(row.balance or 0)),
            dates_of_service=tuple(visits.get(row.patient_id, ())),
            statements=int(row.statements or 0), first_statement=row.first_statement,
            last_statement=row.last_statement, last_payment=_date(row.last_payment),
            placed_on=row.placed_on,
            placed_balance=None if row.balance_cents is None else from_cents(row.balance_cents),
            debtor=debtor,
        )


def _open_visits(conn: sa.Connection, scope: Scope, ids: list[str]) -> dict[str, list[dt.date]]:
    """Per account, the dates of service of the claims on which the patient still owes."""
    own, rows = _owed(scope, journal.join(claims, claims.c.id == journal.c.claim_id))
    query = (
        sa.select(claims.c.patient_id, claims.c.date_of_service)
        .select_from(rows)
        .where(in_scope(scope), claims.c.patient_id.in_(ids))
        .group_by(claims.c.id, claims.c.patient_id, claims.c.date_of_service)
        .having(sa.func.sum(own) != 0)
    )
    visits: dict[str, set[dt.date]] = {}
    for patient_id, day in conn.execute(query):
        visits.setdefault(patient_id, set()).add(day)
    return {patient_id: sorted(days) for patient_id, days in visits.items()}


def place(tx: Transaction, run_id: int, chosen: Iterable[AgencyAccount], placed_on: dt.date,
          file_name: str) -> int:
    """Record the accounts as handed to the agency in `file_name`; how many were placed."""
    conn = tx.conn
    rows = [
        {"run_id": run_id, "patient_id": account.patient_id, "placed_on": placed_on,
         "balance_cents": to_cents(account.balance), "file_name": file_name}
        for account in chosen
    ]
    if rows:
        conn.execute(collection_placements.insert(), rows)
    return len(rows)


def latest_placement_file(tx: Transaction) -> str | None:
    """The agency file of the most recent placement run, to restore if it went missing."""
    conn = tx.conn
    query = (
        sa.select(collection_placements.c.file_name)
        .order_by(collection_placements.c.run_id.desc(), collection_placements.c.id.desc())
        .limit(1)
    )
    return conn.execute(query).scalar_one_or_none()


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
