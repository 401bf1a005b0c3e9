"""The Detail sheet's rows: every open claim line with its money, its age and its last action.

One GROUP BY over the journal gives each line's charge, payments, adjustments and the shares
still owed by the payer and by the patient; joins add the claim, the patient, the claim's
latest event and the account's latest statement. Entries on a claim but on none of its lines
form a row of their own, and entries on no claim form one "on account" row per patient, so the
Detail sheet adds up to the same totals as the Summary. Rows are streamed in account order.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa

from medsheets.ledger.balances import PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.cob import pending_query, waits_on
from medsheets.ledger.history import LineCodes, line_codes_before
from medsheets.ledger.records import Kind
from medsheets.ledger.reports import accounts
from medsheets.ledger.reports.buckets import Scope, in_scope
from medsheets.ledger.schema import (
    claim_events,
    claim_lines,
    claims,
    collection_placements,
    journal,
    patients,
)

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction


class DetailRow(NamedTuple):
    """One open line (line_number None: the claim as a whole; claim_id None: the account).

    Money is in whole cents: charge, paid (payer and patient payments), adjusted (adjustments
    and write-offs), and what the payer and the patient still owe. `event`/`event_date` are
    the claim's latest event; `statement_date`/`cycle` the account's latest statement.
    """

    claim_id: int | None
    patient_id: str
    last_name: str | None
    first_name: str | None
    encounter_id: str | None
    line_number: int | None
    service_date: dt.date
    procedure_code: str | None
    modifiers: str | None
    payer_id: str | None
    billed_at: dt.datetime | None
    charge: int
    paid: int
    adjusted: int
    payer_share: int
    patient_share: int
    event: str | None
    event_reasons: str | None
    event_date: dt.date | None
    statement_date: dt.date | None
    statement_count: int
    cycle: int | None
    placed_on: dt.date | None
    # the further payer the claim waits for, as its `pending_key` (ledger/cob.py)
    pending_payer: str | None = None

    @property
    def balance(self) -> int:
        return self.payer_share + self.patient_share


def _sum_of(kinds: tuple[Kind, ...]) -> Any:
    chosen = sa.case((journal.c.kind.in_([k.value for k in kinds]), journal.c.amount_cents), else_=0)
    return sa.func.sum(chosen)


def _money_columns() -> list[Any]:
    return [
        _sum_of((Kind.CHARGE,)).label("charge"),
        _sum_of((Kind.PAYMENT,)).label("paid"),
        _sum_of((Kind.ADJUSTMENT, Kind.WRITEOFF)).label("adjusted"),
        sa.func.sum(PAYER_SHARE).label("payer_share"),
        sa.func.sum(PATIENT_SHARE).label("patient_share"),
    ]


def _open() -> Any:
    return sa.or_(sa.func.sum(PAYER_SHARE) != 0, sa.func.sum(PATIENT_SHARE) != 0)


def _line_query(scope: Scope) -> Any:
    """Open lines (and claim-level remainders) with their claim, patient and latest actions."""
    money = (
        sa.select(journal.c.claim_id, journal.c.claim_line_id, *_money_columns())
        .where(in_scope(scope), journal.c.claim_id.is_not(None))
        .group_by(journal.c.claim_id, journal.c.claim_line_id)
        .having(_open())
        .subquery("line_money")
    )
    latest = (
        sa.select(claim_events.c.claim_id, sa.func.max(claim_events.c.id).label("event_id"))
        .where(claim_events.c.effective_date <= scope.as_of)
        .group_by(claim_events.c.claim_id)
        .subquery("latest_event")
    )
    summary, last = accounts.statement_summary(scope.as_of), accounts.last_statement()
    pending = pending_query(scope.as_of)
    joined = accounts.join_statements(
        money.join(claims, claims.c.id == money.c.claim_id)
        .outerjoin(pending, waits_on(pending, money.c.claim_id, money.c.claim_line_id))
        .outerjoin(claim_lines, claim_lines.c.id == money.c.claim_line_id)
        .join(patients, patients.c.patient_id == claims.c.patient_id)
        .outerjoin(latest, latest.c.claim_id == money.c.claim_id)
        .outerjoin(claim_events, claim_events.c.id == latest.c.event_id),
        claims.c.patient_id, summary, last,
    ).outerjoin(collection_placements, accounts.placement_on(claims.c.patient_id, scope.as_of))
    service = sa.func.coalesce(claim_lines.c.date_of_service, claims.c.date_of_service)
    return (
        sa.select(
            claims.c.id, claims.c.patient_id, patients.c.last_name, patients.c.first_name,
            claims.c.encounter_id, claim_lines.c.line_number, service.label("service_date"),
            claim_lines.c.procedure_code, claim_lines.c.modifiers, claims.c.payer_id,
            claims.c.first_billed_at, money.c.charge, money.c.paid, money.c.adjusted,
            money.c.payer_share, money.c.patient_share, claim_events.c.event,
            claim_events.c.reason_codes, claim_events.c.effective_date,
            summary.c.last_statement, summary.c.statements, last.c.cycle_position,
            collection_placements.c.placed_on, pending.c.key,
        )
        .select_from(joined)
        .order_by(claims.c.patient_id, service, claims.c.encounter_id, claim_lines.c.line_number)
    )


def _account_query(scope: Scope) -> Any:
    """Per patient, what sits on the account outside any claim (unapplied payments, credits)."""
    money = (
        sa.select(journal.c.patient_id, sa.func.max(journal.c.effective_date).label("day"),
                  sa.func.max(journal.c.payer_id).label("payer_id"), *_money_columns())
        .where(in_scope(scope), journal.c.claim_id.is_(None))
        .group_by(journal.c.patient_id)
        .having(_open())
        .subquery("account_money")
    )
    summary, last = accounts.statement_summary(scope.as_of), accounts.last_statement()
    joined = accounts.join_statements(
        money.join(patients, patients.c.patient_id == money.c.patient_id),
        money.c.patient_id, summary, last,
    ).outerjoin(collection_placements, accounts.placement_on(money.c.patient_id, scope.as_of))
    return (
        sa.select(
            sa.null(), money.c.patient_id, patients.c.last_name, patients.c.first_name,
            sa.null(), sa.null(), money.c.day, sa.null(), sa.null(), money.c.payer_id,
            sa.null(), money.c.charge, money.c.paid, money.c.adjusted, money.c.payer_share,
            money.c.patient_share, sa.null(), sa.null(), sa.null(), summary.c.last_statement,
            summary.c.statements, last.c.cycle_position, collection_placements.c.placed_on,
            sa.null(),
        )
        .select_from(joined)
        .order_by(money.c.patient_id)
    )


def _rows(result: Any) -> Iterator[DetailRow]:
    for row in result:
        values = list(row)
        for money_index in range(11, 16):
            values[money_index] = int(values[money_index] or 0)
        values[20] = int(values[20] or 0)
        if isinstance(values[6], str):  # MAX(date) comes back as text on SQLite
            values[6] = dt.date.fromisoformat(values[6][:10])
        yield DetailRow(*values)


def detail_rows(tx: Transaction, scope: Scope) -> Iterator[DetailRow]:
    """Every open line, then each account's off-claim remainder, in account order; a line
    corrected after the as-of day with the codes it had on that day."""
    conn = tx.conn
    on_account = list(_rows(conn.execute(_account_query(scope))))  # one row per account at most
    codes = line_codes_before(conn, scope.as_of)
    lines = (_as_it_was(row, codes) for row in _rows(conn.execute(_line_query(scope))))
    yield from heapq.merge(lines, on_account, key=lambda row: row.patient_id)


def _as_it_was(row: DetailRow, codes: dict[tuple[int, int], LineCodes]) -> DetailRow:
    was = codes.get((row.claim_id, row.line_number)) if row.claim_id and row.line_number else None
    return row if was is None else row._replace(procedure_code=was.procedure_code,
                                                modifiers=was.modifiers)
