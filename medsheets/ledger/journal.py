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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.errors import JournalError
from medsheets.ledger.records import ClaimRow, JournalEntry, Kind, LineRow, Party, PostedEntry
from medsheets.ledger.schema import claim_coverages, claim_lines, claims, journal, patients
from medsheets.ledger.sql import insert_rows, utc_now
from medsheets.money import from_cents, to_cents

CHUNK = 500  # ids per IN (...) look-up: well under every database's parameter limit
KINDS = {kind.value: kind for kind in Kind}  # a dict look-up for the usual case, not Enum()'s
PARTIES = {party.value: party for party in Party}


JOURNAL_COLUMNS = ("run_id", "claim_id", "claim_line_id", "patient_id", "kind", "party", "payer_id",
                   "amount_cents", "group_code", "reason_code", "reference", "reverses_id",
                   "posted_at", "effective_date")


def append_entries(conn: sa.Connection, entries: Sequence[JournalEntry],
                   reverses: Sequence[int | None] | None = None, *,
                   known: Known | None = None) -> list[int]:
    """The one journal writer: check every entry, append them all; their ids, in order.

    Every path that adds to the journal comes through here (posting, reversing, billing a day,
    posting a remittance), so every entry is checked the same way: its line belongs to the
    claim named, its patient is the claim's, the payer of a payer entry or transfer is the
    claim's payer. The claims, lines and patients are read in a few queries for the whole set
    (or, for claims this transaction has just written, given as `known`: `Known.new_claims`)
    and the rows are written in multi-row INSERTs, so a day of thousands of entries costs a few
    round trips, not a few per entry. `reverses` gives, per entry, the id it reverses.
    """
    if not entries:
        return []
    if known is None:
        known = Known.load(conn, entries)
    now = utc_now()
    rows = [_values(entry, *known.checked(entry), now,
                    None if reverses is None else reverses[index])
            for index, entry in enumerate(entries)]
    return insert_rows(conn, journal, JOURNAL_COLUMNS, rows, ids=True)


def _values(entry: JournalEntry, kind: Kind, party: Party, claim_id: int | None, patient_id: str,
            now: dt.datetime, reverses_id: int | None) -> tuple[Any, ...]:
    """The entry as a journal row (JOURNAL_COLUMNS), with the kind, party, claim and patient
    `Known.checked` found. Its effective date is the day of the work it records, given by the
    caller: the ledger never dates money by the clock, or a report for a past day would
    change."""
    if entry.effective_date is None:
        raise JournalError("a journal entry needs its effective date (the day of the work it records)")
    return (entry.run_id, claim_id, entry.claim_line_id, patient_id, kind.value, party.value,
            entry.payer_id, to_cents(entry.amount), entry.group_code, entry.reason_code,
            entry.reference, reverses_id, now, entry.effective_date)


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(dict.fromkeys(v for v in values if v is not None))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


@dataclass
class Known:
    """The claims, lines and patients a set of entries names, read once for the whole set."""

    claim_of_line: dict[int, int]
    claims: dict[int, tuple[str, str | None]]  # claim id -> (patient_id, payer_id)
    patients: set[str]
    further: dict[int, set[str]] = field(default_factory=dict)  # claim id -> its secondary payers

    @classmethod
    def load(cls, conn: sa.Connection, entries: Sequence[JournalEntry]) -> Known:
        claim_of_line: dict[int, int] = {}
        for chunk in _chunks(e.claim_line_id for e in entries):
            query = sa.select(claim_lines.c.id, claim_lines.c.claim_id).where(claim_lines.c.id.in_(chunk))
            claim_of_line.update((int(line), int(claim)) for line, claim in conn.execute(query))
        found: dict[int, tuple[str, str | None]] = {}
        wanted = [*(e.claim_id for e in entries), *claim_of_line.values()]
        for chunk in _chunks(wanted):
            query = sa.select(claims.c.id, claims.c.patient_id, claims.c.payer_id).where(claims.c.id.in_(chunk))
            found.update((int(row.id), (row.patient_id, row.payer_id)) for row in conn.execute(query))
        people: set[str] = set()
        for chunk in _chunks([*(e.patient_id for e in entries), *(p for p, _ in found.values())]):
            query = sa.select(patients.c.patient_id).where(patients.c.patient_id.in_(chunk))
            people.update(conn.execute(query).scalars())
        further: dict[int, set[str]] = {}
        for chunk in _chunks(found):
            query = sa.select(claim_coverages.c.claim_id, claim_coverages.c.payer_id).where(
                claim_coverages.c.claim_id.in_(chunk))
            for claim_id, payer_id in conn.execute(query):
                further.setdefault(int(claim_id), set()).add(payer_id)
        return cls(claim_of_line, found, people, further)

    @classmethod
    def new_claims(cls, claim_of_line: dict[int, int], claims: dict[int, tuple[str, str | None]],
                   patients: set[str]) -> Known:
        """What a transaction has just written (claims with their lines, patients it checked
        are there), so their charges are checked without reading the rows back. No
        further insurance: those rows are written after the charges."""
        return cls(claim_of_line, claims, patients)

    @classmethod
    def of_claims(cls, claims: Iterable[ClaimRow], lines: Iterable[LineRow],
                  further: Mapping[int, Iterable[str]]) -> Known:
        """What a caller has already read in this transaction of the claims its entries name
        (their rows, their lines, the payers of their further insurance), so the entries are
        checked against it without reading it all again. Their patients are there: a claim's
        patient_id is a foreign key the database enforces."""
        rows = list(claims)
        return cls({line.id: line.claim_id for line in lines},
                   {claim.id: (claim.patient_id, claim.payer_id) for claim in rows},
                   {claim.patient_id for claim in rows},
                   {claim_id: set(payers) for claim_id, payers in further.items()})

    def checked(self, entry: JournalEntry) -> tuple[Kind, Party, int | None, str]:
        """The entry's kind, party, claim and patient (filled in from its line and claim), or
        JournalError saying what is wrong."""
        kind = KINDS.get(entry.kind) or Kind(entry.kind)
        party = PARTIES.get(entry.party) or Party(entry.party)
        owed_by_payer = party is Party.PAYER or kind is Kind.TRANSFER
        if kind is Kind.TRANSFER and party is not Party.PATIENT:
            raise JournalError("a transfer is posted with party 'patient' (see ledger/records.py)")
        if owed_by_payer and not entry.payer_id:
            raise JournalError(f"a payer {kind.value} needs the payer_id")
        claim_id = self._claim_of_line(entry) if entry.claim_line_id is not None else entry.claim_id
        patient_id = entry.patient_id
        if claim_id is not None:
            claim = self.claims.get(claim_id)
            if claim is None:
                raise JournalError(f"no claim {claim_id} to post to")
            claim_patient, claim_payer = claim
            if patient_id not in (None, claim_patient):
                raise JournalError(f"claim {claim_id} belongs to another patient")
            if (owed_by_payer and entry.payer_id != claim_payer
                    and entry.payer_id not in self.further.get(claim_id, ())):  # a secondary's
                raise JournalError(f"claim {claim_id} is not billed to payer {entry.payer_id}")
            patient_id = claim_patient
        if patient_id is None:
            raise JournalError("an entry needs a patient or a claim")
        if patient_id not in self.patients:
            raise JournalError("the entry names a patient the ledger does not have")
        return kind, party, claim_id, patient_id

    def _claim_of_line(self, entry: JournalEntry) -> int:
        """The claim of the entry's line, which must agree with the claim named (if any)."""
        line_claim = self.claim_of_line.get(entry.claim_line_id)  # type: ignore[arg-type]
        if line_claim is None:
            raise JournalError(f"no claim line {entry.claim_line_id} to post to")
        if entry.claim_id not in (None, line_claim):
            raise JournalError(f"line {entry.claim_line_id} is not on claim {entry.claim_id}")
        return line_claim


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
    runs: set[int]

    def post(self, entries: Sequence[JournalEntry]) -> list[int]:
        """Append entries after checking each against its claim, line and patient; their ids."""
        self.runs.update(entry.run_id for entry in entries)
        return append_entries(self.conn, entries)

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
        self.runs.add(run_id)
        [reversal_id] = append_entries(self.conn, [reversal], reverses=[entry_id])
        return reversal_id

    def entries(self, claim_id: int) -> list[PostedEntry]:
        """A claim's journal in posting order, reversals included."""
        rows = self.conn.execute(
            sa.select(journal).where(journal.c.claim_id == claim_id).order_by(journal.c.id)
        )
        return [_posted(row) for row in rows]
