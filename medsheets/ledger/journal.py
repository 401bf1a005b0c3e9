"""The journal: every financial event, appended, never changed.

A charge, payment, adjustment, write-off or transfer is one row. Nothing ever updates or
deletes a row (the database refuses it, see migration 0002); a mistake is corrected by
`reverse`, which appends the same entry with the amount negated and `reverses_id` pointing at
the original. Balances are sums over these rows (see balances.py), so the history explains
every balance there is. The sign conventions are in records.py.

Posting checks what the schema cannot: a line belongs to the claim named, the patient is the
claim's patient, and the payer of a payer entry or transfer is the claim's payer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.errors import JournalError
from medsheets.ledger.records import JournalEntry, Kind, Party, PostedEntry
from medsheets.ledger.schema import claim_lines, claims, journal, patients
from medsheets.ledger.sql import insert_id, utc_now
from medsheets.money import from_cents, to_cents


def write_entry(conn: sa.Connection, entry: JournalEntry, reverses_id: int | None = None) -> int:
    """Append one entry exactly as given (already checked); return its id.

    The entry's effective date is the day of the work it records, given by the caller: the
    ledger never dates money by the clock, or a report for a past day would change.
    """
    if entry.effective_date is None:
        raise JournalError("a journal entry needs its effective date (the day of the work it records)")
    values: dict[str, Any] = {
        "run_id": entry.run_id,
        "claim_id": entry.claim_id,
        "claim_line_id": entry.claim_line_id,
        "patient_id": entry.patient_id,
        "kind": Kind(entry.kind).value,
        "party": Party(entry.party).value,
        "payer_id": entry.payer_id,
        "amount_cents": to_cents(entry.amount),
        "group_code": entry.group_code,
        "reason_code": entry.reason_code,
        "reference": entry.reference,
        "reverses_id": reverses_id,
        "posted_at": utc_now(),
        "effective_date": entry.effective_date,
    }
    return insert_id(conn, journal.insert().values(**values))


def _posted(row: sa.Row[Any]) -> PostedEntry:
    entry = JournalEntry(
        run_id=row.run_id, kind=Kind(row.kind), party=Party(row.party),
        amount=from_cents(row.amount_cents), patient_id=row.patient_id, claim_id=row.claim_id,
        claim_line_id=row.claim_line_id, payer_id=row.payer_id, group_code=row.group_code,
        reason_code=row.reason_code, reference=row.reference, effective_date=row.effective_date,
    )
    return PostedEntry(row.id, entry, row.posted_at, row.reverses_id)


class JournalMixin:
    """Transaction methods that append to the journal and read it back."""

    conn: sa.Connection

    def post(self, entries: Sequence[JournalEntry]) -> list[int]:
        """Append entries after checking each against its claim, line and patient; their ids."""
        return [write_entry(self.conn, self._checked(entry)) for entry in entries]

    def reverse(self, entry_id: int, run_id: int, effective_date: dt.date) -> int:
        """Cancel entry `entry_id` by appending its negation (posted by `run_id`); return its id.

        The reversal is dated `effective_date`, the day of the posting that reverses (a 835
        reversal's payment date, a correction's day), never the original's date: what a report
        for an earlier day said stays true.
        """
        row = self.conn.execute(sa.select(journal).where(journal.c.id == entry_id)).first()
        if row is None:
            raise JournalError(f"no journal entry {entry_id} to reverse")
        if row.reverses_id is not None:
            raise JournalError(f"entry {entry_id} is itself a reversal; post the entry again instead")
        already = sa.select(journal.c.id).where(journal.c.reverses_id == entry_id)
        if self.conn.execute(already).first() is not None:
            raise JournalError(f"entry {entry_id} is already reversed")
        original = _posted(row).entry
        reversal = replace(original, run_id=run_id, amount=-original.amount,
                           effective_date=effective_date)
        return write_entry(self.conn, reversal, reverses_id=entry_id)

    def entries(self, claim_id: int) -> list[PostedEntry]:
        """A claim's journal in posting order, reversals included."""
        rows = self.conn.execute(
            sa.select(journal).where(journal.c.claim_id == claim_id).order_by(journal.c.id)
        )
        return [_posted(row) for row in rows]

    def _checked(self, entry: JournalEntry) -> JournalEntry:
        """The entry with claim and patient filled in, or JournalError saying what is wrong."""
        kind, party = Kind(entry.kind), Party(entry.party)
        owed_by_payer = party is Party.PAYER or kind is Kind.TRANSFER
        if kind is Kind.TRANSFER and party is not Party.PATIENT:
            raise JournalError("a transfer is posted with party 'patient' (see ledger/records.py)")
        if owed_by_payer and not entry.payer_id:
            raise JournalError(f"a payer {kind.value} needs the payer_id")
        claim_id = self._claim_of_line(entry) if entry.claim_line_id is not None else entry.claim_id
        patient_id = entry.patient_id
        if claim_id is not None:
            claim = self.conn.execute(
                sa.select(claims.c.patient_id, claims.c.payer_id).where(claims.c.id == claim_id)
            ).first()
            if claim is None:
                raise JournalError(f"no claim {claim_id} to post to")
            if patient_id not in (None, claim.patient_id):
                raise JournalError(f"claim {claim_id} belongs to another patient")
            if owed_by_payer and entry.payer_id != claim.payer_id:
                raise JournalError(f"claim {claim_id} is not billed to payer {entry.payer_id}")
            patient_id = claim.patient_id
        if patient_id is None:
            raise JournalError("an entry needs a patient or a claim")
        known = sa.select(patients.c.patient_id).where(patients.c.patient_id == patient_id)
        if self.conn.execute(known).first() is None:
            raise JournalError("the entry names a patient the ledger does not have")
        return replace(entry, kind=kind, party=party, patient_id=patient_id, claim_id=claim_id)

    def _claim_of_line(self, entry: JournalEntry) -> int:
        """The claim of the entry's line, which must agree with the claim named (if any)."""
        line_claim = self.conn.execute(
            sa.select(claim_lines.c.claim_id).where(claim_lines.c.id == entry.claim_line_id)
        ).scalar_one_or_none()
        if line_claim is None:
            raise JournalError(f"no claim line {entry.claim_line_id} to post to")
        if entry.claim_id not in (None, line_claim):
            raise JournalError(f"line {entry.claim_line_id} is not on claim {entry.claim_id}")
        return int(line_claim)
