"""Writing output files so that a crash never leaves half a file and only the owner can read it.

Every output (837 batches, workbooks, PDFs, messages) is written to a temporary file in the
target folder, flushed to disk, made owner-only, then renamed over the final name in one atomic
step. A reader of the folder sees the old file or the new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from medsheets.errors import BadFileError

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR)
    return path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success fsync it and rename it into place.

    The caller writes the whole file to the yielded path (any library that takes a file name).
    On an exception the temporary file is removed and `target` is untouched.
    """
    ensure_private_dir(target.parent)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        os.chmod(temp, OWNER_ONLY_FILE)
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, target)
        _fsync_dir(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def remove_stale_parts(folder: Path, name_prefix: str = "") -> None:
    """Remove the temporary files a run killed inside `atomic_path` left in `folder` (named
    `.<target name>.<random>.part`); `name_prefix` limits it to targets named so (`remit-`),
    for a folder other commands write to as well."""
    for stale in folder.glob(f".{name_prefix}*.part"):
        stale.unlink(missing_ok=True)


def restore_files(folder: Path, missing: Sequence[tuple[str, bytes | str]]) -> list[str]:
    """Put back files a committed run recorded but a crash kept from `folder`, as (name,
    content), after clearing that run's temporaries; the names written."""
    remove_stale_parts(folder)
    for name, content in missing:
        write_atomic(folder / name, content)
    return [name for name, _ in missing]


def write_atomic(target: Path, data: bytes | str) -> Path:
    """Write bytes (or UTF-8 text) to `target` atomically and owner-only."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(target) as temp:
        temp.write_bytes(payload)
    return target


def read_input(path: Path) -> bytes:
    """An input file's bytes, or a BadFileError that names it (exit 2, one line)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadFileError(f"{path.name}: no such file") from None
    except IsADirectoryError:
        raise BadFileError(f"{path.name}: is a folder, not a file") from None
    except OSError as exc:
        raise BadFileError(f"{path.name}: cannot be read ({exc.strerror})") from None


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX: the directory entry lives in the directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
