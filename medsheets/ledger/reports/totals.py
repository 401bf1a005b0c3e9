"""Bucket totals by responsible party and by patient account, summed by the database.

Each payer's share and each patient's share of every journal row (the sign rules of
ledger/balances.py, reused here so the aging and the ledger can never disagree) is grouped by
bucket with GROUP BY. The Summary and By Payer sheets come from `party_totals`, the By Patient
sheet streams `patient_rows` one account at a time, so neither holds the ledger in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.balances import PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.cob import pending_query, waits_on
from medsheets.ledger.records import Kind, Party
from medsheets.ledger.reports import accounts
from medsheets.ledger.reports.buckets import (
    COLUMNS,
    ON_ACCOUNT,
    UPPER_DAYS,
    Scope,
    bucket_expression,
    in_scope,
    journal_rows,
)
from medsheets.ledger.schema import collection_placements, journal, patients
from medsheets.money import from_cents

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction


@dataclass(frozen=True)
class Buckets:
    """Whole cents in each column: the five age bands, then On account."""

    cents: tuple[int, ...] = (0,) * COLUMNS

    @classmethod
    def of(cls, cells: Sequence[int]) -> Buckets:
        return cls(tuple(int(c) for c in cells))

    @property
    def total(self) -> int:
        return sum(self.cents)

    @property
    def over_90(self) -> int:
        """Cents in the bands past 90 days (91-120 and over 120)."""
        return sum(self.cents[UPPER_DAYS.index(90) + 1:ON_ACCOUNT])

    @property
    def is_zero(self) -> bool:
        return not any(self.cents)

    def __add__(self, other: Buckets) -> Buckets:
        return Buckets(tuple(a + b for a, b in zip(self.cents, other.cents)))

    def money(self) -> tuple[Decimal, ...]:
        return tuple(from_cents(c) for c in self.cents)


@dataclass(frozen=True)
class PartyTotals:
    """Who owes what, by bucket: each payer, patients, and patients placed with an agency."""

    payers: Mapping[str, Buckets]
    patients: Buckets
    placed: Buckets

    @property
    def grand(self) -> Buckets:
        total = self.patients + self.placed
        for owed in self.payers.values():
            total = total + owed
        return total


@dataclass(frozen=True)
class PatientAging:
    """One account's line on By Patient: what the patient owes by bucket, and its history."""

    patient_id: str
    last_name: str | None
    first_name: str | None
    phone: str | None
    owed: Buckets
    insurance_cents: int  # what payers still owe on this patient's claims (not aged here)
    last_payment: dt.date | None
    last_statement: dt.date | None
    statements: int
    cycle: int | None
    placed_on: dt.date | None


def _shares(scope: Scope) -> Any:
    """Every journal row in scope with its payer, bucket, placement and both shares, and the
    further payer its claim still waits for (`pending_payer`, its `pending_key`: that share is
    not the patient's yet)."""
    pending = pending_query(scope.as_of)
    placed = sa.case((collection_placements.c.id.is_(None), 0), else_=1)
    paid_on = sa.case(
        (
            sa.and_(journal.c.kind == Kind.PAYMENT.value, journal.c.party == Party.PATIENT.value,
                    journal.c.amount_cents > 0),
            journal.c.effective_date,
        ),
        else_=None,
    )
    return (
        sa.select(
            journal.c.patient_id.label("patient_id"),
            journal.c.payer_id.label("payer_id"),
            placed.label("placed"),
            bucket_expression(scope).label("bucket"),
            PAYER_SHARE.label("payer_share"),
            PATIENT_SHARE.label("patient_share"),
            paid_on.label("paid_on"),
            pending.c.key.label("pending_payer"),
        )
        .select_from(journal_rows(scope).outerjoin(pending, waits_on(pending, journal.c.claim_id,
                                                               journal.c.claim_line_id)))
        .where(in_scope(scope))
        .subquery("shares")
    )


def party_totals(tx: Transaction, scope: Scope) -> PartyTotals:
    """Bucket totals for each payer and for patients (placed accounts apart), in one scan."""
    conn = tx.conn
    rows = _shares(scope)
    query = sa.select(
        rows.c.payer_id, rows.c.placed, rows.c.bucket, rows.c.pending_payer,
        sa.func.sum(rows.c.payer_share), sa.func.sum(rows.c.patient_share),
    ).group_by(rows.c.payer_id, rows.c.placed, rows.c.bucket, rows.c.pending_payer)
    payers: dict[str, list[int]] = {}
    patients_cells = [0] * COLUMNS
    placed_cells = [0] * COLUMNS
    for payer_id, placed, bucket, pending, payer_share, patient_share in conn.execute(query):
        if payer_id is not None and payer_share:
            payers.setdefault(payer_id, [0] * COLUMNS)[int(bucket)] += int(payer_share)
        if pending is not None and not placed:  # left by the primary, expected from `pending`
            payers.setdefault(pending, [0] * COLUMNS)[int(bucket)] += int(patient_share or 0)
            continue
        (placed_cells if placed else patients_cells)[int(bucket)] += int(patient_share or 0)
    return PartyTotals(
        {payer: Buckets.of(cells) for payer, cells in sorted(payers.items())
         if any(cells)},
        Buckets.of(patients_cells),
        Buckets.of(placed_cells),
    )


def patient_rows(tx: Transaction, scope: Scope) -> Iterator[PatientAging]:
    """Every account whose patient owes (or is owed) anything, in account order, streamed."""
    conn = tx.conn
    rows = _shares(scope)
    waiting = sa.and_(rows.c.pending_payer.is_not(None), rows.c.placed == 0)
    grouped = (
        sa.select(
            rows.c.patient_id, rows.c.bucket,
            sa.func.sum(sa.case((waiting, 0), else_=rows.c.patient_share)).label("own"),
            sa.func.sum(rows.c.payer_share + sa.case((waiting, rows.c.patient_share), else_=0)
                        ).label("insurer"),
            sa.func.max(rows.c.paid_on).label("paid_on"),
        )
        .group_by(rows.c.patient_id, rows.c.bucket)
        .subquery("by_patient")
    )
    summary, last = accounts.statement_summary(scope.as_of), accounts.last_statement()
    joined = accounts.join_statements(
        grouped.join(patients, patients.c.patient_id == grouped.c.patient_id),
        grouped.c.patient_id, summary, last,
    ).outerjoin(collection_placements, accounts.placement_on(grouped.c.patient_id, scope.as_of))
    query = (
        sa.select(
            grouped.c.patient_id, grouped.c.bucket, grouped.c.own, grouped.c.insurer,
            grouped.c.paid_on, patients.c.last_name, patients.c.first_name, patients.c.phone,
            summary.c.last_statement, summary.c.statements, last.c.cycle_position,
            collection_placements.c.placed_on,
        )
        .select_from(joined)
        .order_by(grouped.c.patient_id, grouped.c.bucket)
    )
    yield from _pivot(conn.execute(query))


def _pivot(result: Any) -> Iterator[PatientAging]:
    """Fold the (account, bucket) rows of one account into its PatientAging."""
    current: list[Any] = []
    for row in result:
        if current and row.patient_id != current[0].patient_id:
            account = _account(current)
            if account is not None:
                yield account
            current = []
        current.append(row)
    if current and (account := _account(current)) is not None:
        yield account


def _account(rows: list[Any]) -> PatientAging | None:
    cells = [0] * COLUMNS
    for row in rows:
        cells[int(row.bucket)] += int(row.own or 0)
    if not any(cells):
        return None
    first = rows[0]
    payments = [row.paid_on for row in rows if row.paid_on is not None]
    return PatientAging(
        patient_id=first.patient_id, last_name=first.last_name, first_name=first.first_name,
        phone=first.phone, owed=Buckets.of(cells),
        insurance_cents=sum(int(row.insurer or 0) for row in rows),
        last_payment=_as_date(max(payments)) if payments else None,
        last_statement=first.last_statement, statements=int(first.statements or 0),
        cycle=first.cycle_position, placed_on=first.placed_on,
    )


def _as_date(value: Any) -> dt.date:
    """MAX over a CASE loses the Date type on SQLite (text comes back); read it as a date."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
