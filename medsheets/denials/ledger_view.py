"""What the worklist and the resubmission read from the ledger, beyond claims and lines.

Per line: the charge, what was paid, what is still owed and the payer's part of it (sums over
the journal with the sign rules of ledger/balances.py). Per claim: its patient and the 837 it
was last sent in (`batches.content`), which holds what the ledger keeps no column for: the
diagnoses, the subscriber, the providers. Reading only; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

import sqlalchemy as sa

from medsheets.denials.sent import SentClaim, sent_claim, subscriber_blocks
from medsheets.ledger.balances import OWED, PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.records import Kind, Party
from medsheets.ledger.schema import batches, journal, patients
from medsheets.model import Person
from medsheets.money import from_cents
from medsheets.x12.errors import X12FileError
from medsheets.x12.read837 import ClaimRecord, read_837p
from medsheets.x12.tree import Segment

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LineMoney:
    """One claim line's money: charged, paid (by anyone), owed, and the payer's and patient's parts."""

    charge: Decimal
    paid: Decimal
    balance: Decimal
    payer_balance: Decimal
    patient_balance: Decimal


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """A patient as the ledger knows them, for the worklist and for rebuilding a claim."""

    patient_id: str
    person: Person
    email: str | None
    phone: str | None

    @property
    def display_name(self) -> str:
        last, first = self.person.last_name or "", self.person.first_name or ""
        return f"{last}, {first}" if last and first else last or first


def line_money(conn: sa.Connection, line_ids: Iterable[int]) -> dict[int, LineMoney]:
    """The money of each line in `line_ids` (lines without entries are left out)."""
    wanted = list(line_ids)
    if not wanted:
        return {}
    kind, amount = journal.c.kind, journal.c.amount_cents
    query = (
        sa.select(
            journal.c.claim_line_id,
            sa.func.sum(sa.case((kind == Kind.CHARGE.value, amount), else_=0)),
            sa.func.sum(sa.case((kind == Kind.PAYMENT.value, amount), else_=0)),
            sa.func.sum(OWED), sa.func.sum(PAYER_SHARE), sa.func.sum(PATIENT_SHARE),
        )
        .where(journal.c.claim_line_id.in_(wanted))
        .group_by(journal.c.claim_line_id)
    )
    return {
        int(row[0]): LineMoney(*(from_cents(int(value or 0)) for value in row[1:]))
        for row in conn.execute(query)
    }


def patient_records(conn: sa.Connection, patient_ids: Iterable[str]) -> dict[str, PatientRecord]:
    wanted = sorted(set(patient_ids))
    if not wanted:
        return {}
    rows = conn.execute(sa.select(patients).where(patients.c.patient_id.in_(wanted)))
    return {
        row.patient_id: PatientRecord(
            row.patient_id,
            Person(row.last_name, row.first_name, row.dob, row.sex, row.address, row.city,
                   row.state, row.zip),
            row.email, row.phone,
        )
        for row in rows
    }


class SentBatches:
    """The 837 batches claims were last sent in, each read once, looked up by batch id."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._claims: dict[int, dict[str, ClaimRecord]] = {}
        self._blocks: dict[int, dict[str, list[Segment]]] = {}

    def claim(self, batch_id: int | None, encounter_id: str) -> ClaimRecord | None:
        """The claim as it was sent in `batch_id`, or None when the ledger lacks it."""
        if batch_id is None:
            return None
        if batch_id not in self._claims:
            self._claims[batch_id] = self._read(batch_id, lambda text, name: {
                claim.claim_id: claim for claim in read_837p(text, name)})
        return self._claims[batch_id].get(encounter_id)

    def sent(self, batch_id: int | None, encounter_id: str) -> SentClaim | None:
        """The claim as sent, with its subscriber loop's details, or None."""
        record = self.claim(batch_id, encounter_id)
        if record is None or batch_id is None:
            return None
        if batch_id not in self._blocks:
            self._blocks[batch_id] = self._read(batch_id, subscriber_blocks)
        return sent_claim(self._blocks[batch_id].get(encounter_id, []), record)

    def _read(self, batch_id: int, reader: Callable[[str, str], dict[str, T]]) -> dict[str, T]:
        row = self.conn.execute(
            sa.select(batches.c.file_name, batches.c.content).where(batches.c.id == batch_id)
        ).first()
        if row is None:
            return {}
        try:
            return reader(row.content, row.file_name)
        except X12FileError:
            return {}


def copays(conn: sa.Connection, line_ids: Iterable[int]) -> dict[int, Decimal]:
    """What the patient paid at the visit on each line (AMT*F5 of a claim sent again)."""
    wanted = list(line_ids)
    if not wanted:
        return {}
    query = (
        sa.select(journal.c.claim_line_id, sa.func.sum(journal.c.amount_cents))
        .where(journal.c.claim_line_id.in_(wanted), journal.c.kind == Kind.PAYMENT.value,
               journal.c.party == Party.PATIENT.value, journal.c.reference == "copay")
        .group_by(journal.c.claim_line_id)
    )
    found = {int(line_id): from_cents(int(cents or 0)) for line_id, cents in conn.execute(query)}
    return {line_id: amount for line_id, amount in found.items() if amount}
