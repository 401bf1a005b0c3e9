"""The practice's files as every command meets them: input hashes, the code sets, lost claim files.

These belong to the practice folder, not to any one command: claims, resubmit, payments,
aging and invoices all hash the files they read, load the same codesets.xlsx, and (where they
write 837 batches) first put back a batch file the ledger has but out/claims/ lost. The folder
has an id of its own (`folder_id`), recorded with every file it writes, so that of the folders
sharing one ledger only the one that wrote a file gets it back.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from medsheets.errors import BadFileError, PracticeError
from medsheets.files import restore_files, write_atomic
from medsheets.model import CodeSets, Problem
from medsheets.practice import Practice
from medsheets.workbook.codesets import read_codesets

if TYPE_CHECKING:  # `check` reads the code sets without loading the ledger (SQLAlchemy)
    from medsheets.ledger import Ledger


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


FOLDER_ID_NAME = ".medsheets-folder"
FOLDER_ID = re.compile(r"^[0-9a-f]{32}$")


def folder_id(root: Path) -> str:
    """The practice folder's own id (PRACTICE/.medsheets-folder), made at its first need.

    Billers in two folders may share one ledger (`--db`); each 837 batch and kept output is
    recorded with the id of the folder whose run wrote it, and restored only into that folder.
    A copy of the folder (a backup put back, a move) keeps the id, and with it its files.
    """
    path = root / FOLDER_ID_NAME
    if not path.exists():
        write_atomic(path, (uuid.uuid4().hex + "\n").encode("ascii"))
    try:
        text = path.read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if not FOLDER_ID.match(text):
        raise PracticeError(f"{path} is not a medsheets folder id; put it back from your backup, "
                            "or delete it (claim files this folder lost are then not restored)")
    return text


def restore_missing_batches(ledger: Ledger, claims_dir: Path, folder: str) -> list[str]:
    """Write out any committed batch of the folder `folder` whose file is missing; remove
    stale temporary files.

    A run killed between its commit and its rename leaves the 837 in the ledger only; the next
    run that writes batches from the same folder puts it back, byte for byte, before doing
    anything new. Batches another folder on the ledger wrote are its own: not written here.
    """
    with ledger.transaction() as tx:
        missing = tx.batches_missing_files(claims_dir, folder)
    return restore_files(claims_dir, missing)
