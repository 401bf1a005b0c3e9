"""Which ledger a practice folder belongs to, so a lost or replaced ledger never re-bills.

A ledger truncated by a failed copy, an empty file put in its place, or another practice's
ledger named by mistake all look, to the commands, like a practice that never billed anything:
`claims` would bill the whole history again. So the folder remembers its ledger: after the
first run, PRACTICE/.medsheets-ledger holds the stamp of that ledger's first run (its id and
when it started), which no other ledger shares. A run refuses to start when

- the folder remembers a ledger, and the ledger now open is empty or has another first run;
- the folder remembers none, its ledger is empty, and out/claims/ already holds claim files
  (the folder billed before, from a ledger that is gone).

`medsheets init-ledger --adopt` tells the folder that the ledger now named is its own, for a
deliberate move. Several folders sharing one ledger (`--db`) each remember the same stamp.

The ledger in turn remembers whose books it keeps: the billing NPI and tax id of
medsheets.toml, recorded at its first run. A folder whose medsheets.toml names another practice
is refused even with no history of its own (a second practice pointed at the first one's
ledger would otherwise mix two practices' patients, claims and money in one set of books);
`init-ledger --adopt` records the folder's NPI and tax id, for a practice whose own changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa

from medsheets.files import write_atomic
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.schema import ledger_practice, runs
from medsheets.ledger.sql import utc_now
from medsheets.ledger.store import Ledger

MARKER_NAME = ".medsheets-ledger"
ADOPTED_EMPTY = "adopted-empty"  # an empty ledger adopted on purpose: the next run starts it
RESTORE = ("restore the ledger from your backup, or name the right one with --db; after a "
           "deliberate move, run 'medsheets init-ledger --adopt'")


class ForeignLedgerError(LedgerError):
    """The ledger open is not the one this practice folder has been using."""


class PracticeIds(NamedTuple):
    """Who a practice is to payers: its billing NPI and tax id (medsheets.toml [practice])."""

    npi: str
    tax_id: str

    def __str__(self) -> str:
        return f"NPI {self.npi or '(none)'}, tax id ending {self.tax_id[-4:] or '(none)'}"


def ledger_stamp(ledger: Ledger) -> str | None:
    """The ledger's first run as 'ID STARTED-AT', or None for a ledger with no run yet."""
    with ledger.reading() as tx:
        first = tx.conn.execute(sa.select(runs.c.id, runs.c.started_at)
                                .order_by(runs.c.id).limit(1)).first()
    return None if first is None else f"{first.id} {first.started_at.isoformat()}"


def _stamp_at(url: str) -> str | None:
    with Ledger.open(url) as ledger:
        return ledger_stamp(ledger)


def _remembered(root: Path) -> str | None:
    marker = root / MARKER_NAME
    return marker.read_text(encoding="ascii").strip() if marker.exists() else None


def _remember(root: Path, stamp: str) -> None:
    write_atomic(root / MARKER_NAME, (stamp + "\n").encode("ascii"))


def recorded_practice(ledger: Ledger) -> PracticeIds | None:
    """The practice whose books the ledger keeps, or None before its first run."""
    with ledger.reading() as tx:
        row = tx.conn.execute(sa.select(ledger_practice.c.npi, ledger_practice.c.tax_id)
                              .order_by(ledger_practice.c.id).limit(1)).first()
    return None if row is None else PracticeIds(row.npi, row.tax_id)


def _record_practice(ledger: Ledger, practice: PracticeIds) -> None:
    with ledger.transaction() as tx:
        tx.conn.execute(ledger_practice.delete())
        tx.conn.execute(ledger_practice.insert().values(
            npi=practice.npi, tax_id=practice.tax_id, recorded_at=utc_now()))


def check_practice(url: str, practice: PracticeIds) -> None:
    """Refuse a ledger that keeps another practice's books; record the practice at the first run
    (and on a ledger from before medsheets recorded it)."""
    with Ledger.open(url) as ledger:
        recorded = recorded_practice(ledger)
        if recorded is None:
            _record_practice(ledger, practice)
            return
    if recorded != practice:
        raise ForeignLedgerError(
            f"this ledger keeps the books of another practice ({recorded}), and medsheets.toml "
            f"here names {practice}: give this practice a ledger of its own (its own "
            f"medsheets.db, or another --db); if it is the same practice and its NPI or tax id "
            f"changed, run 'medsheets init-ledger --adopt' to record the new ones")


def check_ledger_identity(root: Path, url: str, practice: PracticeIds | None = None) -> None:
    """Refuse a ledger the folder does not know, or one keeping another practice's books
    (module docstring); remember a new one."""
    _check_stamp(root, url)
    if practice is not None:
        check_practice(url, practice)


def _check_stamp(root: Path, url: str) -> None:
    stamp = _stamp_at(url)
    remembered = _remembered(root)
    if remembered == ADOPTED_EMPTY:  # `init-ledger --adopt` of an empty ledger: start afresh
        if stamp is not None:
            _remember(root, stamp)
        return
    if remembered is not None and stamp is None:
        raise ForeignLedgerError(f"the ledger is empty, but this practice folder has used one "
                                 f"with history; {RESTORE}")
    if remembered is not None and stamp != remembered:
        raise ForeignLedgerError(f"the ledger is not the one this practice folder has been "
                                 f"using (it was replaced, or belongs elsewhere); {RESTORE}")
    if remembered is None and stamp is None:
        billed = sorted((root / "out" / "claims").glob("*.837"))
        if billed:
            raise ForeignLedgerError(
                f"the ledger is empty, but out/claims/ holds {len(billed)} claim file(s) this "
                f"practice sent; billing again would bill them twice: {RESTORE}")
    if remembered is None and stamp is not None:
        _remember(root, stamp)


def remember_ledger(root: Path, url: str) -> None:
    """After a run: a folder that does not yet remember its ledger remembers this one."""
    remembered = _remembered(root)
    if remembered is not None and remembered != ADOPTED_EMPTY:
        return
    stamp = _stamp_at(url)
    if stamp is not None:
        _remember(root, stamp)


def adopt_ledger(root: Path, url: str, practice: PracticeIds) -> str:
    """Make the ledger at `url` this folder's own (a deliberate move), keeping the books of
    `practice` from now on; its stamp."""
    with Ledger.open(url) as ledger:
        stamp = ledger_stamp(ledger) or ADOPTED_EMPTY
        _record_practice(ledger, practice)
    _remember(root, stamp)
    return stamp
