"""The practice's files as every command meets them: input hashes, the code sets, lost claim files.

These belong to the practice folder, not to any one command: claims, resubmit, payments,
aging and invoices all hash the files they read, load the same codesets.xlsx, and (where they
write 837 batches) first put back a batch file the ledger has but out/claims/ lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from medsheets.errors import BadFileError
from medsheets.files import write_atomic
from medsheets.ledger import Ledger
from medsheets.model import CodeSets, Problem
from medsheets.practice import Practice
from medsheets.workbook.codesets import read_codesets


def file_sha256(path: Path) -> str:
    """The input's sha256 for the run record; a file that cannot be read stops the command."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise BadFileError(f"{path.name}: no such file") from None
    except OSError as exc:
        raise BadFileError(f"{path.name}: cannot be read ({exc.strerror})") from None
    return digest.hexdigest()


@dataclass(frozen=True)
class LoadedCodeSets:
    """The practice's code sets and the problems reading codesets.xlsx found."""

    codesets: CodeSets
    problems: tuple[Problem, ...]


def load_codesets(practice: Practice) -> LoadedCodeSets:
    codesets, problems = read_codesets(practice.codesets_path)
    return LoadedCodeSets(codesets, tuple(problems))


def restore_missing_batches(ledger: Ledger, claims_dir: Path) -> list[str]:
    """Write out any committed batch whose file is missing; remove stale temporary files.

    A run killed between its commit and its rename leaves the 837 in the ledger only; the next
    run that writes batches puts it back, byte for byte, before doing anything new.
    """
    for stale in claims_dir.glob(".*.part"):
        stale.unlink(missing_ok=True)
    with ledger.transaction() as tx:
        missing = tx.batches_missing_files(claims_dir)
    for name, content in missing:
        write_atomic(claims_dir / name, content)
    return [name for name, _ in missing]
