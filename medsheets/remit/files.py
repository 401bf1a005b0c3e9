"""Open an 835 file: every remittance in it, or a one-line refusal of the whole file.

A file the command cannot use at all (missing, not X12, an ST..SE fragment without its
envelope, an 837 or a 999 given by mistake) stops the command before the ledger is touched:
`BadFileError`, exit code 2. A file that is a proper 835 interchange is read transaction by
transaction; one transaction that cannot be interpreted is refused on its own (its problems
name the segment) while the others in the file still post.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from medsheets.errors import BadFileError
from medsheets.files import read_input
from medsheets.model import Problem, Source, warning
from medsheets.remit.parse import parse_remittance
from medsheets.remit.records import Remittance
from medsheets.x12.reader import read_x12

OTHER_TYPES = {
    "837": "holds claims (837), not a remittance; give 'medsheets remit' the payer's 835 files",
    "999": "is an acknowledgment (999); read it with 'medsheets acks'",
    "277": "is a claim acknowledgment (277CA); read it with 'medsheets acks'",
}


@dataclass(frozen=True)
class ReadTransaction:
    """One ST..SE of an 835 file: the remittance, or None and the errors that refuse it."""

    file: str
    position: int  # of its ST
    control_number: str
    remittance: Remittance | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RemitFile:
    """An 835 file read: its name and sha256 (for the run record), transactions, notes."""

    name: str
    sha256: str
    transactions: tuple[ReadTransaction, ...]
    notes: tuple[Problem, ...]  # envelope oddities tolerated by the reader (warnings)


def read_remit_file(path: Path) -> RemitFile:
    """Read and interpret one 835 file, or raise BadFileError saying why it cannot be used."""
    data = read_input(path)
    return read_remit_bytes(data, path.name)


def read_remit_bytes(data: bytes, name: str) -> RemitFile:
    """`read_remit_file` for bytes already in memory (tests, the benchmark)."""
    interchanges = read_x12(data, name)
    transactions = [t for interchange in interchanges for t in interchange.transactions()]
    if not transactions:
        raise BadFileError(f"{name}: holds no transactions; ask the payer for the complete 835")
    for transaction in transactions:
        if transaction.type != "835":
            what = OTHER_TYPES.get(transaction.type,
                                   f"holds a {transaction.type or 'nameless'} transaction, not an "
                                   "835 remittance; check that the right file was chosen")
            raise BadFileError(f"{name}: {what}")
    notes = [warning(Source(name), "MS-REMIT-ENVELOPE", f"{note}; posted anyway")
             for interchange in interchanges for note in interchange.warnings]
    read = []
    for transaction in transactions:
        remittance, problems = parse_remittance(transaction, name)
        read.append(ReadTransaction(name, transaction.segments[0].position,
                                    transaction.control_number, remittance, tuple(problems)))
    return RemitFile(name, hashlib.sha256(data).hexdigest(), tuple(read), tuple(notes))
