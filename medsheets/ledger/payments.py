"""Payments posted from a payments workbook: which references were posted, and what the payer
still owes per line (where an EOB's claim-level amounts go).

A reference (a check number, a receipt) is recorded once in `payment_imports` with the
fingerprint of its rows, so the same reference again is recognised and never posted twice;
`journal_sources` links each journal entry to the import it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.balances import PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.schema import claim_lines, journal, journal_sources, payment_imports, runs
from medsheets.ledger.sql import insert_id, utc_now
from medsheets.money import from_cents

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction


@dataclass(frozen=True, slots=True)
class PaymentImport:
    """A reference posted before: its rows' fingerprint, when (the day of its run, else the
    instant it was posted) and from which file."""

    id: int
    fingerprint: str
    posted_at: dt.datetime
    file_name: str
    as_of: dt.date | None = None


def find_import(tx: Transaction, kind: str, reference: str) -> PaymentImport | None:
    """The earlier posting of reference `reference` of `kind` (patient, eob), or None."""
    row = tx.conn.execute(
        sa.select(payment_imports, runs.c.as_of).join(runs, runs.c.id == payment_imports.c.run_id)
        .where(payment_imports.c.kind == kind, payment_imports.c.reference == reference)).first()
    return None if row is None else PaymentImport(row.id, row.fingerprint, row.posted_at,
                                                  row.file_name, row.as_of)


def add_import(tx: Transaction, run_id: int, kind: str, reference: str, fingerprint: str,
               file_name: str) -> int:
    """Record that `reference` is posted by run `run_id`; its import id."""
    return insert_id(tx.conn, payment_imports.insert().values(
        run_id=run_id, kind=kind, reference=reference, fingerprint=fingerprint,
        file_name=file_name, posted_at=utc_now()))


def link_entries(tx: Transaction, journal_ids: Iterable[int], import_id: int) -> None:
    """Note that the journal entries `journal_ids` came from payment import `import_id`."""
    for journal_id in journal_ids:
        tx.conn.execute(journal_sources.insert().values(journal_id=journal_id,
                                                        payment_import_id=import_id))


def line_patient_shares(tx: Transaction, claim_id: int) -> dict[int, Decimal]:
    """What the patient owes on each line of the claim (0.00 included): where a secondary's
    EOB is placed, after the primary left it to the patient."""
    return _line_sums(tx, claim_id, PATIENT_SHARE)


def line_payer_shares(tx: Transaction, claim_id: int) -> dict[int, Decimal]:
    """The payer's open balance on each line of the claim, by claim line id (0.00 included).

    The balances module sums what is owed per line by anyone; an EOB for the whole claim must
    be placed by what the payer still owes (a line already moved to the patient has nothing
    left for the payer to pay or adjust). Same sign rules, same SUM, grouped by line.
    """
    return _line_sums(tx, claim_id, PAYER_SHARE)


def _line_sums(tx: Transaction, claim_id: int, share: Any) -> dict[int, Decimal]:
    query = (
        sa.select(claim_lines.c.id, sa.func.sum(share))
        .select_from(claim_lines.outerjoin(journal, journal.c.claim_line_id == claim_lines.c.id))
        .where(claim_lines.c.claim_id == claim_id)
        .group_by(claim_lines.c.id)
    )
    return {int(line_id): from_cents(int(cents or 0)) for line_id, cents in tx.conn.execute(query)}
