"""The ledger reads and writes of remittance posting, as plain functions over a transaction.

Everything an 835 leaves in the ledger besides journal entries is written here: the
`remittances` row that makes a second posting of the same payment recognisable, one
`remit_claims` row per CLP (claim_id NULL when it matched none of ours), the
`journal_sources` links a later reversal follows, `claim_events` and `provider_adjustments`.
The remit_claims rows, journal entries, claim events and claim status changes are buffered and
written per remittance (`Pending`): a remittance of thousands of claims would otherwise cost a
few statements per claim. The remit_claims rows go first (multi-row INSERT ... RETURNING,
sql.insert_ids), then the entries through the one journal writer (journal.append_entries:
checked, multi-row INSERTs), their journal_sources links and the claim events (multi-row
INSERTs too, sql.insert_rows) and the statuses (one executemany UPDATE), all still inside the
run's one transaction: buffering changes when rows are sent, not what commits. No row
written here holds a patient's name, birth date or diagnosis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.balances import PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.claims import status_change
from medsheets.ledger.journal import Known, append_entries
from medsheets.ledger.records import ClaimRow, ClaimStatus, JournalEntry, LineRow
from medsheets.ledger.schema import (
    claim_events,
    journal,
    journal_sources,
    provider_adjustments,
    remit_claims,
    remittances,
)
from medsheets.ledger.sql import insert_all, insert_id, insert_ids, insert_rows, utc_now
from medsheets.money import from_cents, to_cents

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction
    from medsheets.remit.records import ClaimPayment, Remittance

PRIMARY_STATUSES = ("1", "19")
CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit
_ADD_REMIT_CLAIM = remit_claims.insert()
_ADD_SOURCE = journal_sources.insert()
SOURCE_COLUMNS = ("journal_id", "remit_claim_id")


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(dict.fromkeys(values))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def load_claims(tx: Transaction, encounter_ids: Iterable[str]) -> dict[str, ClaimRow]:
    """Our claims for these encounter ids (CLP01s), in as few queries as the list allows."""
    return tx.find_claims(encounter_ids)


def load_lines(tx: Transaction, claim_ids: Iterable[int]) -> dict[int, list[LineRow]]:
    """The lines of these claims, in line-number order, by claim id."""
    return tx.lines_of(claim_ids)


def find_remittance(tx: Transaction, payer_key: str, trace: str) -> Any:
    """The posted remittance with this payer and trace number (a row), or None."""
    query = sa.select(remittances).where(remittances.c.payer_key == payer_key,
                                         remittances.c.trace_number == trace)
    return tx.conn.execute(query).first()


def add_remittance(tx: Transaction, run_id: int, remittance: Remittance,
                   detail: Mapping[str, Any]) -> int:
    return insert_id(tx.conn, remittances.insert().values(
        run_id=run_id, file_name=remittance.file[:255], payer_key=remittance.payer_key,
        payer_name=remittance.payer_name[:120] or None, trace_number=remittance.trace_number,
        content_sha256=remittance.content_sha256, payment_cents=to_cents(remittance.payment),
        payment_method=remittance.method[:3] or None, payment_date=remittance.payment_date,
        detail=dict(detail), posted_at=utc_now(),
    ))


def remit_claim_row(remittance_id: int, claim_id: int | None, claim: ClaimPayment,
                    detail: Mapping[str, Any]) -> dict[str, Any]:
    """The remit_claims row of one CLP (claim_id None when it matched none of our claims)."""
    responsibility = claim.patient_responsibility
    return {
        "remittance_id": remittance_id, "claim_id": claim_id,
        "patient_control_number": claim.patient_control_number[:38], "status_code": claim.status,
        "charge_cents": to_cents(claim.charge), "paid_cents": to_cents(claim.paid),
        "patient_responsibility_cents": (None if responsibility is None
                                         else to_cents(responsibility)),
        "payer_claim_number": claim.payer_claim_number or None, "detail": dict(detail),
    }


def add_paper_eob(tx: Transaction, run_id: int, *, file: str, reference: str, payer_id: str,
                  paid: Decimal, day: dt.date | None) -> int:
    """A paper EOB reference kept as a remittance (cob/paper.py): payer key `eob:<payer>`,
    trace number the reference, so its claims' adjudications sit where an 835's do."""
    key = f"eob:{payer_id}"[:80]
    content = hashlib.sha256(f"{key}\n{reference}".encode()).hexdigest()
    return insert_id(tx.conn, remittances.insert().values(
        run_id=run_id, file_name=file[:255], payer_key=key, payer_name=None,
        trace_number=reference[:80], content_sha256=content, payment_cents=to_cents(paid),
        payment_method=None, payment_date=day, detail={"paper_eob": True}, posted_at=utc_now(),
    ))


def add_eob_claim(tx: Transaction, remittance_id: int, claim: ClaimRow,
                  detail: Mapping[str, Any], status_code: str = "1") -> int:
    """A claim a paper EOB adjudicated (CLP02 1: processed as primary; 2 as secondary), with
    its detail."""
    adjudication = detail["adjudication"]
    key = tx.conn.execute(_ADD_REMIT_CLAIM, {
        "remittance_id": remittance_id, "claim_id": claim.id,
        "patient_control_number": claim.encounter_id[:38], "status_code": status_code,
        "charge_cents": to_cents(Decimal(adjudication["charge"])),
        "paid_cents": to_cents(Decimal(adjudication["paid"])),
        "patient_responsibility_cents": to_cents(Decimal(adjudication["patient_owes"])),
        "payer_claim_number": None, "detail": dict(detail),
    }).inserted_primary_key
    assert key is not None
    return int(key[0])


def link_eob_sources(tx: Transaction, journal_ids: Sequence[int], remit_claim_id: int) -> None:
    """Entries a payments import posted (linked to it already) are also its EOB claim's."""
    for chunk in _chunks(journal_ids):
        tx.conn.execute(journal_sources.update().where(journal_sources.c.journal_id.in_(chunk))
                        .values(remit_claim_id=remit_claim_id))


def link_sources(tx: Transaction, journal_ids: Iterable[int], remit_claim_id: int) -> None:
    rows = [{"journal_id": jid, "remit_claim_id": remit_claim_id} for jid in journal_ids]
    if rows:
        tx.conn.execute(_ADD_SOURCE, rows)


def event_row(*, run_id: int, claim_id: int, event: str, payer_id: str | None,
              payer_claim_number: str, reason_codes: str, effective_date: dt.date,
              detail: Mapping[str, Any], line_id: int | None = None) -> dict[str, Any]:
    return {"run_id": run_id, "claim_id": claim_id, "claim_line_id": line_id, "source": "835",
            "event": event, "payer_id": payer_id, "payer_claim_number": payer_claim_number or None,
            "reason_codes": reason_codes[:200] or None, "detail": dict(detail),
            "effective_date": effective_date, "created_at": utc_now()}


def add_provider_adjustments(tx: Transaction, remittance_id: int, remittance: Remittance) -> None:
    rows = [{"remittance_id": remittance_id, "reason_code": plb.reason,
             "reference": plb.reference or None, "amount_cents": to_cents(plb.amount),
             "fiscal_period_date": plb.fiscal_period_date}
            for plb in remittance.provider_adjustments]
    if rows:
        tx.conn.execute(provider_adjustments.insert(), rows)


def line_shares(tx: Transaction, claim_ids: Iterable[int]) -> dict[int, list[Decimal]]:
    """What each line of these claims still owes: [the payer's share, the patient's share]."""
    found: dict[int, list[Decimal]] = {}
    for chunk in _chunks(claim_ids):
        query = (sa.select(journal.c.claim_line_id, sa.func.sum(PAYER_SHARE),
                           sa.func.sum(PATIENT_SHARE))
                 .where(journal.c.claim_id.in_(chunk), journal.c.claim_line_id.is_not(None))
                 .group_by(journal.c.claim_line_id))
        for line, payer, patient in tx.conn.execute(query):
            found[int(line)] = [from_cents(int(payer or 0)), from_cents(int(patient or 0))]
    return found


def _unreversed(entry: Any) -> Any:
    later = journal.alias("later")
    return ~sa.exists().where(later.c.reverses_id == entry)


def primary_posted(tx: Transaction, claim_ids: Iterable[int]) -> set[int]:
    """Those of these claims whose primary adjudication (CLP02 1 or 19) is posted and stands."""
    found: set[int] = set()
    for chunk in _chunks(claim_ids):
        query = (sa.select(remit_claims.c.claim_id).distinct()
                 .join(journal_sources, journal_sources.c.remit_claim_id == remit_claims.c.id)
                 .where(remit_claims.c.claim_id.in_(chunk),
                        remit_claims.c.status_code.in_(PRIMARY_STATUSES),
                        _unreversed(journal_sources.c.journal_id)))
        found.update(int(c) for c in tx.conn.execute(query).scalars())
    return found


def earlier_posting(tx: Transaction, claim_id: int, payer_claim_number: str,
                    remittance_id: int) -> tuple[list[int], list[int]]:
    """The remit_claims rows of an earlier posting of this payer claim number (any, when the
    reversal gives none) and their journal entries not yet reversed, oldest first."""
    rc = remit_claims.c
    rows = sa.select(rc.id).where(rc.claim_id == claim_id, rc.status_code != "22",
                                  rc.remittance_id != remittance_id)
    if payer_claim_number:
        rows = rows.where(rc.payer_claim_number == payer_claim_number)
    found = [int(r) for r in tx.conn.execute(rows.order_by(rc.id)).scalars()]
    if not found:
        return [], []
    entries = (sa.select(journal.c.id)
               .join(journal_sources, journal_sources.c.journal_id == journal.c.id)
               .where(journal_sources.c.remit_claim_id.in_(found), journal.c.reverses_id.is_(None),
                      _unreversed(journal.c.id))
               .order_by(journal.c.id))
    return found, [int(e) for e in tx.conn.execute(entries).scalars()]


def posted_on(row: Any) -> str:
    """When an earlier remittance row was posted, for messages: YYYY-MM-DD."""
    when = row.posted_at
    return when.date().isoformat() if isinstance(when, dt.datetime) else str(when)


class Pending:
    """What is still to be written for the remittance being posted: its remit_claims rows,
    journal entries, claim events and claim status changes, each kind in one statement at the
    flush. A remit_claims row is known by its number in this posting until the flush gives it
    its id (`remit_claim_id`); an entry names the row it comes from by that number. `known`
    is what the poster read of the claims the entries are for (journal.Known.of_claims), so
    the journal writer checks them without reading those rows again (else it reads them)."""

    def __init__(self, known: Known | None = None) -> None:
        self.known = known
        self.remit_claims: list[tuple[int, dict[str, Any]]] = []
        self.entries: list[JournalEntry] = []
        self.sources: list[int] = []  # the remit claim number of each entry, in the same order
        self.events: list[Mapping[str, Any]] = []
        self.statuses: list[dict[str, Any]] = []
        self._ids: dict[int, int] = {}  # a remit claim's number in this posting → its row id
        self._numbered = 0

    def add_remit_claim(self, remittance_id: int, claim_id: int | None, claim: ClaimPayment,
                        detail: Mapping[str, Any]) -> int:
        """Buffer the remit_claims row of one CLP; its number in this posting."""
        number = self._numbered
        self._numbered += 1
        self.remit_claims.append((number, remit_claim_row(remittance_id, claim_id, claim, detail)))
        return number

    def remit_claim_id(self, number: int) -> int:
        """The row id of a remit claim added to this posting (known once flushed)."""
        return self._ids[number]

    def add_entries(self, entries: Iterable[JournalEntry], remit_claim: int) -> None:
        """Buffer the entries of one remit_claims row (by its number in this posting)."""
        added = list(entries)
        self.entries += added
        self.sources += [remit_claim] * len(added)

    def add_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        self.events.extend(events)

    def set_claim_status(self, claim_id: int, status: ClaimStatus,
                         payer_claim_number: str | None) -> None:
        """Move a claim to a new status at the flush (in the order given: a claim answered
        twice in one remittance ends at its last answer)."""
        self.statuses.append(status_change(claim_id, status, payer_claim_number))

    def flush(self, tx: Transaction) -> None:
        """Write everything pending (before anything reads the journal back, and at the end)."""
        if self.remit_claims:
            rows = [row for _, row in self.remit_claims]
            ids = insert_ids(tx.conn, remit_claims, rows)
            self._ids.update(zip((n for n, _ in self.remit_claims), ids, strict=True))
        if self.entries:
            ids = append_entries(tx.conn, self.entries, known=self.known)
            insert_rows(tx.conn, journal_sources, SOURCE_COLUMNS,
                        [(jid, self._ids[source]) for jid, source in zip(ids, self.sources, strict=True)])
        if self.events:
            insert_all(tx.conn, claim_events, self.events)
        if self.statuses:
            tx.set_claim_statuses(self.statuses)
        self.remit_claims, self.entries, self.sources, self.events, self.statuses = [], [], [], [], []
