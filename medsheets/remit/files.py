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
from medsheets.remit.parse import RemittanceReader
from medsheets.remit.records import Remittance
from medsheets.x12.reader import EnvelopeChecker, iter_segments

# The largest 835 read at once: its remittance records stay in memory until the run commits
# (about 10 times the file's size), so a bigger file is refused before it is read.
MAX_835_BYTES = 50_000_000
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
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_input names what is wrong with it
    if size > MAX_835_BYTES:
        raise BadFileError(f"{path.name}: is {size / 1e6:,.0f} MB; medsheets posts 835 files of up "
                           f"to {MAX_835_BYTES // 1_000_000} MB at once (a practice's 835 is "
                           "rarely over a few MB): ask the payer or clearinghouse to split it "
                           "into smaller files, one payment each")
    data = read_input(path)
    return read_remit_bytes(data, path.name)


def read_remit_bytes(data: bytes, name: str) -> RemitFile:
    """`read_remit_file` for bytes already in memory (tests, the benchmark).

    Segments stream from the splitter to the 835 reader one at a time: no transaction is held
    as segments, only the remittance records it becomes.
    """
    checker = EnvelopeChecker(name, keep=False)
    read: list[ReadTransaction] = []
    reader: RemittanceReader | None = None
    for seg in iter_segments(data, name):
        checker.add(seg)  # raises at the first envelope fault: the whole file is refused
        if seg.id == "ST":
            _refuse_other_type(seg.element(1), name)
            reader = RemittanceReader(name, seg)
        elif seg.id == "SE" and reader is not None:
            remittance, problems = reader.finish(reader.walk.st.element(2))
            read.append(ReadTransaction(name, reader.walk.st.position, reader.walk.st.element(2),
                                        remittance, tuple(problems)))
            reader = None
        elif reader is not None:
            reader.add(seg)
    interchanges = checker.finish()
    if not read:
        raise BadFileError(f"{name}: holds no transactions; ask the payer for the complete 835")
    notes = [warning(Source(name), "MS-REMIT-ENVELOPE", f"{note}; posted anyway")
             for interchange in interchanges for note in interchange.warnings]
    return RemitFile(name, hashlib.sha256(data).hexdigest(), tuple(read), tuple(notes))


def _refuse_other_type(transaction_type: str, name: str) -> None:
    if transaction_type != "835":
        what = OTHER_TYPES.get(transaction_type,
                               f"holds a {transaction_type or 'nameless'} transaction, not an 835 "
                               "remittance; check that the right file was chosen")
        raise BadFileError(f"{name}: {what}")
