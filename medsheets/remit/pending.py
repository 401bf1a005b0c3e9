"""Journal entries and claim events of one remittance, written together in a few statements.

A remittance of thousands of claims would otherwise cost a few INSERTs per claim. Entries are
kept here with the remit_claims row each comes from, and written in one multi-row INSERT that
returns their ids in order (SQLAlchemy's insertmanyvalues, on SQLite and PostgreSQL alike),
followed by their journal_sources links and the claim events. All of it is still inside the
run's one database transaction: buffering changes when rows are sent, not what commits.

Entries are built by claim_post.py from the claim's own ledger rows (its id, lines, patient
and payer), which is what `Transaction.post` would otherwise check one query at a time; the
schema's CHECK constraints still apply to every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from medsheets.ledger import JournalEntry, Transaction
from medsheets.ledger.schema import claim_events, journal, journal_sources
from medsheets.ledger.sql import utc_now
from medsheets.money import to_cents

_ADD_JOURNAL = journal.insert().returning(journal.c.id, sort_by_parameter_order=True)
_ADD_SOURCE = journal_sources.insert()
_ADD_EVENT = claim_events.insert()


class Pending:
    """What is still to be written for the remittance being posted."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.sources: list[int] = []  # the remit_claims id of each entry, in the same order
        self.events: list[Mapping[str, Any]] = []

    def add_entries(self, entries: Iterable[JournalEntry], remit_claim_id: int) -> None:
        now = utc_now()
        for e in entries:
            self.entries.append({
                "run_id": e.run_id, "claim_id": e.claim_id, "claim_line_id": e.claim_line_id,
                "patient_id": e.patient_id, "kind": e.kind.value, "party": e.party.value,
                "payer_id": e.payer_id, "amount_cents": to_cents(e.amount),
                "group_code": e.group_code, "reason_code": e.reason_code,
                "reference": e.reference, "reverses_id": None, "posted_at": now,
                "effective_date": e.effective_date})
            self.sources.append(remit_claim_id)

    def add_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        self.events.extend(events)

    def flush(self, tx: Transaction) -> None:
        """Write everything pending (before anything reads the journal back, and at the end)."""
        if self.entries:
            ids = tx.conn.execute(_ADD_JOURNAL, self.entries).scalars().all()
            tx.conn.execute(_ADD_SOURCE, [{"journal_id": int(jid), "remit_claim_id": source}
                                          for jid, source in zip(ids, self.sources, strict=True)])
        if self.events:
            tx.conn.execute(_ADD_EVENT, list(self.events))
        self.entries, self.sources, self.events = [], [], []
