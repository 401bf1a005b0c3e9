"""Patient statements in the ledger: what a statement reads, and what it records.

Every read takes a snapshot: entries effective on or before the statement date and posted no
later than the statement's own timestamp. A statement can therefore be rendered again later,
byte for byte, from the ledger as it stood (after a run killed between its commit and its
files), whatever has been posted since.

Records written: one `statements` row per patient per date (amount due, cycle position, file
name) and one `email_log` row per send attempt. Nothing here touches the journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.balances import PATIENT_SHARE
from medsheets.ledger.records import Kind, Party
from medsheets.ledger.schema import (
    claim_lines,
    claims,
    collection_placements,
    email_log,
    journal,
    patients,
    statements,
)
from medsheets.ledger.sql import insert_id
from medsheets.money import ZERO, from_cents, to_cents

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

CHUNK = 500  # patients per IN (...) list


@dataclass(frozen=True, slots=True)
class Posting:
    """A journal row as a statement needs it: what it is on (line, claim or just the account),
    whose share it changes, its amount, its CAS group and reason, and when it took effect."""

    id: int
    claim_id: int | None
    claim_line_id: int | None
    kind: Kind
    party: Party
    payer_id: str | None
    amount: Decimal
    group_code: str | None
    reason_code: str | None
    effective_date: dt.date

    @property
    def patient_share(self) -> Decimal:
        """How much this entry adds to what the patient owes (negative: lowers it)."""
        if self.party is not Party.PATIENT:
            return ZERO
        return self.amount if self.kind in (Kind.CHARGE, Kind.TRANSFER) else -self.amount

    @property
    def payer_share(self) -> Decimal:
        """How much this entry adds to what the payer owes (a transfer moves it to the patient)."""
        if self.kind is Kind.TRANSFER:
            return -self.amount
        if self.party is not Party.PAYER:
            return ZERO
        return self.amount if self.kind is Kind.CHARGE else -self.amount


@dataclass(frozen=True, slots=True)
class ServiceFact:
    """A billed service line: its claim, date, procedure code and units, and the claim's payer
    (None for a self-pay visit)."""

    line_id: int
    claim_id: int
    date_of_service: dt.date
    procedure_code: str
    units: int
    payer_id: str | None


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who the statement is addressed to: the account and the patient's name, birth date (to
    tell a minor, whose parent or guardian is addressed), postal address and email."""

    account: str
    last_name: str
    first_name: str
    dob: dt.date | None
    address: str
    city: str
    state: str
    zip: str
    email: str | None

    def is_minor_on(self, day: dt.date) -> bool:
        if self.dob is None:
            return False
        age = day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))
        return age < 18


@dataclass(frozen=True, slots=True)
class StatementRecord:
    """A `statements` row: which patient, which date, how much, which position, which file."""

    id: int
    patient_id: str
    statement_date: dt.date
    amount_due: Decimal
    cycle_position: int
    file_name: str
    created_at: dt.datetime


def _snapshot(as_of: dt.date, posted_by: dt.datetime) -> sa.ColumnElement[bool]:
    return sa.and_(journal.c.effective_date <= as_of, journal.c.posted_at <= posted_by)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def balances_at_least(
    tx: Transaction, minimum: Decimal, as_of: dt.date, posted_by: dt.datetime
) -> dict[str, Decimal]:
    """Patients owing at least `minimum` (and more than nothing) in the snapshot."""
    total = sa.func.sum(PATIENT_SHARE)
    query = (
        sa.select(journal.c.patient_id, total)
        .where(_snapshot(as_of, posted_by))
        .group_by(journal.c.patient_id)
        .having(total >= max(to_cents(minimum), 1))
    )
    return {patient: from_cents(int(cents)) for patient, cents in tx.conn.execute(query)}


def postings(
    tx: Transaction, patient_ids: Sequence[str], as_of: dt.date, posted_by: dt.datetime
) -> dict[str, list[Posting]]:
    """Each patient's journal entries in the snapshot, in effective-date then posting order."""
    found: dict[str, list[Posting]] = {pid: [] for pid in patient_ids}
    j = journal.c
    for chunk in _chunks(patient_ids):
        rows = tx.conn.execute(
            sa.select(j.id, j.patient_id, j.claim_id, j.claim_line_id, j.kind, j.party,
                      j.payer_id, j.amount_cents, j.group_code, j.reason_code, j.effective_date)
            .where(j.patient_id.in_(chunk), _snapshot(as_of, posted_by))
            .order_by(j.patient_id, j.effective_date, j.id)
        )
        for row in rows:
            found[row.patient_id].append(Posting(
                row.id, row.claim_id, row.claim_line_id, Kind(row.kind), Party(row.party),
                row.payer_id, from_cents(row.amount_cents), row.group_code, row.reason_code,
                row.effective_date,
            ))
    return found


def last_patient_payments(
    tx: Transaction, patient_ids: Sequence[str], as_of: dt.date, posted_by: dt.datetime
) -> dict[str, dt.date]:
    """The day of each patient's latest payment (more than nothing) in the snapshot."""
    found: dict[str, dt.date] = {}
    j = journal.c
    for chunk in _chunks(patient_ids):
        rows = tx.conn.execute(
            sa.select(j.patient_id, sa.func.max(j.effective_date))
            .where(j.patient_id.in_(chunk), _snapshot(as_of, posted_by),
                   j.kind == Kind.PAYMENT.value, j.party == Party.PATIENT.value, j.amount_cents > 0)
            .group_by(j.patient_id))
        for patient_id, day in rows:
            found[patient_id] = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
    return found


def services(tx: Transaction, patient_ids: Sequence[str]) -> dict[int, ServiceFact]:
    """The billed service lines of these patients, by claim line id."""
    found: dict[int, ServiceFact] = {}
    for chunk in _chunks(patient_ids):
        rows = tx.conn.execute(
            sa.select(claim_lines.c.id, claim_lines.c.claim_id, claim_lines.c.date_of_service,
                      claim_lines.c.procedure_code, claim_lines.c.units, claims.c.payer_id)
            .join(claims, claims.c.id == claim_lines.c.claim_id)
            .where(claims.c.patient_id.in_(chunk))
        )
        for row in rows:
            found[row.id] = ServiceFact(row.id, row.claim_id, row.date_of_service,
                                        row.procedure_code, row.units, row.payer_id)
    return found


def recipients(tx: Transaction, patient_ids: Sequence[str]) -> dict[str, Recipient]:
    """Name, birth date, postal address and email of these patients, as last known."""
    found: dict[str, Recipient] = {}
    p = patients.c
    for chunk in _chunks(patient_ids):
        rows = tx.conn.execute(
            sa.select(p.patient_id, p.last_name, p.first_name, p.dob, p.address, p.city,
                      p.state, p.zip, p.email).where(p.patient_id.in_(chunk))
        )
        for row in rows:
            found[row.patient_id] = Recipient(
                row.patient_id, row.last_name or "", row.first_name or "", row.dob,
                row.address or "", row.city or "", row.state or "", row.zip or "", row.email,
            )
    return found


def statement_history(
    tx: Transaction, patient_ids: Sequence[str]
) -> dict[str, list[StatementRecord]]:
    """Every statement each of these patients was sent, oldest first."""
    found: dict[str, list[StatementRecord]] = {pid: [] for pid in patient_ids}
    for chunk in _chunks(patient_ids):
        query = sa.select(statements).where(statements.c.patient_id.in_(chunk))
        for row in tx.conn.execute(query.order_by(statements.c.statement_date)):
            found[row.patient_id].append(_record(row))
    return found


def statements_since(tx: Transaction, first_day: dt.date) -> list[StatementRecord]:
    """Statements dated on or after `first_day` (the ones still current), oldest first."""
    query = sa.select(statements).where(statements.c.statement_date >= first_day)
    return [_record(row) for row in tx.conn.execute(query.order_by(statements.c.id))]


def placed_patients(tx: Transaction) -> set[str]:
    return set(tx.conn.execute(sa.select(collection_placements.c.patient_id)).scalars())


def _record(row: Any) -> StatementRecord:
    return StatementRecord(row.id, row.patient_id, row.statement_date,
                           from_cents(row.amount_due_cents), row.cycle_position, row.file_name,
                           row.created_at)


def add_statement(
    tx: Transaction, run_id: int, patient_id: str, statement_date: dt.date, amount_due: Decimal,
    cycle_position: int, file_name: str, created_at: dt.datetime, guarantor_key: str | None = None,
) -> int:
    return insert_id(tx.conn, statements.insert().values(
        run_id=run_id, patient_id=patient_id, statement_date=statement_date,
        amount_due_cents=to_cents(amount_due), cycle_position=cycle_position,
        file_name=file_name, created_at=created_at, guarantor_key=guarantor_key,
    ))


def email_outcomes(tx: Transaction, statement_ids: Sequence[int]) -> dict[int, list[str]]:
    """The results logged for each statement's sends, in order: sending, sent, failed."""
    found: dict[int, list[str]] = {sid: [] for sid in statement_ids}
    for start in range(0, len(statement_ids), CHUNK):
        chunk = statement_ids[start:start + CHUNK]
        rows = tx.conn.execute(
            sa.select(email_log.c.statement_id, email_log.c.result)
            .where(email_log.c.statement_id.in_(chunk)).order_by(email_log.c.id)
        )
        for statement_id, result in rows:
            found[statement_id].append(result)
    return found


def log_email(
    tx: Transaction, statement_id: int, run_id: int, at: dt.datetime, message_id: str,
    result: str, detail: str | None = None,
) -> None:
    """Record one step of a send: 'sending' before the message leaves, then 'sent' or 'failed'."""
    tx.conn.execute(email_log.insert().values(
        statement_id=statement_id, run_id=run_id, attempted_at=at, message_id=message_id[:250],
        result=result, detail=(detail or "")[:250] or None,
    ))


def latest_source_file(tx: Transaction, patient_id: str) -> str | None:
    """The encounter workbook that last billed this patient: where their email came from."""
    query = (sa.select(claims.c.source_file).where(claims.c.patient_id == patient_id)
             .order_by(claims.c.id.desc()).limit(1))
    return tx.conn.execute(query).scalar_one_or_none()


def mark_mailed(tx: Transaction, statement_date: dt.date, mailed_on: dt.date) -> int:
    """Mark the statements of `statement_date` not emailed (and not marked yet) as mailed on
    `mailed_on`; how many. From then on they count toward collections."""
    emailed = sa.exists().where(email_log.c.statement_id == statements.c.id,
                                email_log.c.result == "sent")
    result = tx.conn.execute(statements.update().where(
        statements.c.statement_date == statement_date, statements.c.mailed_on.is_(None),
        ~emailed).values(mailed_on=mailed_on))
    return int(result.rowcount or 0)
