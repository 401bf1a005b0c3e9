"""One medsheets run at a time per practice folder, and per ledger.

Two runs at once could bill the same encounter twice or post the same remittance twice, so a
run first takes an exclusive OS lock on PRACTICE/.medsheets.lock, then one on its ledger: a lock
file beside an SQLite database (`medsheets.db.lock`), or a PostgreSQL advisory lock held by a
session of its own. Two billers whose practice folders share one ledger (`--db`, the shared
office) therefore exclude each other too. A second run fails at once with LedgerBusyError
naming the holder's pid, and writes nothing. The lock belongs to the open
file, not to the file's existence: when the holder exits, crashes or is killed with SIGKILL,
the operating system releases it, so a stale lock file never blocks the next run.

On POSIX this is fcntl.flock. On Windows, msvcrt.locking on a byte far past the pid text, so
the text itself stays readable by the run that was refused.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from medsheets.errors import LedgerBusyError

if TYPE_CHECKING:
    from medsheets.config import Config

# The advisory lock key of a medsheets ledger on PostgreSQL: one per database, any constant.
PG_LOCK_KEY = 0x6D656473  # "meds"


class HasLedger(Protocol):
    """What hold_practice needs of a practice: its folder, its ledger's URL, and its settings
    (the billing NPI and tax id the ledger must be keeping the books of)."""

    @property
    def root(self) -> Path: ...

    @property
    def db_url(self) -> str: ...

    @property
    def config(self) -> Config: ...

LOCK_NAME = ".medsheets.lock"
_WINDOWS_LOCK_OFFSET = 1 << 20  # the locked byte; the pid text is written at offset 0


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(fd: int) -> str:
    """The pid the current holder wrote, as text ('unknown' if it has not written it yet)."""
    os.lseek(fd, 0, os.SEEK_SET)
    words = os.read(fd, 200).decode("ascii", "replace").split()
    return words[0] if words and words[0].isdigit() else "unknown"


def _write_holder(fd: int, command: str) -> None:
    """Record who holds the lock: the pid (for the busy message) and the command name."""
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()} {command}\n".encode("ascii", "replace"))
    os.fsync(fd)


@contextmanager
def hold_practice(practice: HasLedger | Path, command: str) -> Iterator[None]:
    """Hold the practice folder, and the practice's ledger, for one run of `command`; raise
    LedgerBusyError if another run has either. Given a bare folder, only the folder is held.
    Once both are held, the ledger must be the one the folder knows, keeping the books of the
    practice medsheets.toml names (ledger/identity.py).

    Nothing is written to a lock file unless the lock was won.
    """
    with ExitStack() as held:
        root = practice if isinstance(practice, Path) else practice.root
        held.enter_context(_hold_file(Path(root) / LOCK_NAME, command,
                                      "another medsheets run holds the practice"))
        if not isinstance(practice, Path):
            held.enter_context(_hold_ledger(practice.db_url, command))
            from medsheets.ledger.identity import (
                PracticeIds,
                check_ledger_identity,
                remember_ledger,
            )

            ids = PracticeIds(practice.config.practice.npi, practice.config.practice.tax_id)
            check_ledger_identity(Path(root), practice.db_url, ids)
            yield
            remember_ledger(Path(root), practice.db_url)
        else:
            yield


def _hold_ledger(url: str, command: str) -> contextlib.AbstractContextManager[None]:
    from medsheets.ledger.store import sqlite_path

    if url.startswith("postgresql"):
        return _hold_advisory_lock(url)
    path = sqlite_path(url)
    if path is None or not path.parent.is_dir():
        return contextlib.nullcontext()  # in-memory, or a folder Ledger.open will refuse
    return _hold_file(Path(f"{path}.lock"), command,
                      "another medsheets run, from another practice folder, is using this ledger")


@contextmanager
def _hold_file(path: Path, command: str, busy: str) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(fd):
            raise LedgerBusyError(f"{busy} (pid {_holder(fd)})")
        try:
            _write_holder(fd, command)
            yield
        finally:
            os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)


@contextmanager
def _hold_advisory_lock(url: str) -> Iterator[None]:
    """A session-level advisory lock: released by PostgreSQL when the session ends, however
    the run ends (a crash or SIGKILL included)."""
    engine = sa.create_engine(url, hide_parameters=True, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            won = connection.execute(sa.select(sa.func.pg_try_advisory_lock(PG_LOCK_KEY))).scalar()
            connection.commit()
            if not won:
                raise LedgerBusyError("another medsheets run is using this ledger")
            try:
                yield
            finally:
                connection.execute(sa.select(sa.func.pg_advisory_unlock(PG_LOCK_KEY)))
                connection.commit()
    finally:
        engine.dispose()
