"""The ledger's SQLite file: readable by its owner only, its connection settings, its failures.

It holds patient data. Apart from store.py (which opens it through SQLAlchemy) so that check's
plain read path (`ledger/plain/`) opens it the same way without importing SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path

from medsheets.ledger.errors import LedgerError

# busy_timeout first: setting journal_mode takes a lock, and without the timeout already in
# place a second process opening the ledger mid-run fails at once instead of waiting.
SQLITE_PRAGMAS = ("busy_timeout=10000", "journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL")



def owner_only(path: Path) -> None:
    """Create the database file (if new) and its companions readable by the owner only."""
    if not path.parent.is_dir():
        raise LedgerError(f"{path.parent}: no such folder for the ledger database")
    if path.is_dir():
        raise LedgerError(f"the ledger path {path} is a folder, not a database file; move the "
                          "folder away, or name the ledger file with --db")
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if companion.exists():
            os.chmod(companion, 0o600)


# What the database says -> what to do about it (the run's transaction is rolled back first).
_PLAIN_ERRORS = (
    ("database or disk is full",
     "the disk holding the ledger is full; nothing of this run was saved: free some space and "
     "run again"),
    ("file is not a database",
     "the ledger file is not a medsheets ledger or is damaged; restore it from your backup, or "
     "name the right ledger with --db"),
    ("database disk image is malformed",
     "the ledger file is damaged; restore it from your backup, or name the right ledger with --db"),
    ("attempt to write a readonly database",
     "the ledger file is read-only; give yourself write access to it and run again"),
    ("unable to open database file",
     "the ledger file cannot be opened; check that its folder exists and is writable"),
)


def plain_error(said: str) -> str | None:
    """A line a person can act on for what the database said of a failure of the environment,
    or None for a failure that is a bug (a constraint broken, a statement wrong)."""
    text = said.lower()
    for cause, advice in _PLAIN_ERRORS:
        if cause in text:
            return advice
    return None
