"""One medsheets run at a time per practice folder.

Two runs at once could bill the same encounter twice or post the same remittance twice, so a
run first takes an exclusive OS lock on PRACTICE/.medsheets.lock. A second run fails at once
with LedgerBusyError naming the holder's pid, and writes nothing. The lock belongs to the open
file, not to the file's existence: when the holder exits, crashes or is killed with SIGKILL,
the operating system releases it, so a stale lock file never blocks the next run.

On POSIX this is fcntl.flock. On Windows, msvcrt.locking on a byte far past the pid text, so
the text itself stays readable by the run that was refused.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from medsheets.errors import LedgerBusyError

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
def hold_practice(practice_root: Path, command: str) -> Iterator[None]:
    """Hold the practice for one run of `command`; raise LedgerBusyError if another run has it.

    Nothing is written to the lock file unless the lock was won.
    """
    path = Path(practice_root) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(fd):
            raise LedgerBusyError(f"another medsheets run holds the practice (pid {_holder(fd)})")
        try:
            _write_holder(fd, command)
            yield
        finally:
            os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)
