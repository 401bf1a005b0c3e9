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
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from medsheets.files import write_atomic
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.schema import runs
from medsheets.ledger.store import Ledger

MARKER_NAME = ".medsheets-ledger"
ADOPTED_EMPTY = "adopted-empty"  # an empty ledger adopted on purpose: the next run starts it
RESTORE = ("restore the ledger from your backup, or name the right one with --db; after a "
           "deliberate move, run 'medsheets init-ledger --adopt'")


class ForeignLedgerError(LedgerError):
    """The ledger open is not the one this practice folder has been using."""


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


def check_ledger_identity(root: Path, url: str) -> None:
    """Refuse a ledger the folder does not know (module docstring); remember a new one."""
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


def adopt_ledger(root: Path, url: str) -> str:
    """Make the ledger at `url` this folder's own (a deliberate move); its stamp."""
    stamp = _stamp_at(url) or ADOPTED_EMPTY
    _remember(root, stamp)
    return stamp
