"""The order of events every recording command shares, written once.

A command that records something goes through the same steps, and the order is what makes a
crash harmless:

1. hold the practice folder and its ledger (one medsheets run at a time, `ledger/lock.py`);
2. open the ledger (created or migrated on first use);
3. read its inputs and look things up (`session.reading()`), outside the write transaction;
4. plan and record in ONE transaction (`session.run(...)`): the run row is started and
   finished inside it, so a run is in the ledger with all its entries or not at all;
5. write its files only once that transaction has committed (`run.write_after`): a crash
   before the commit leaves no file claiming what the ledger does not hold, and a crash after
   it leaves files the command's next run restores from the ledger.

    with command_session(practice, "followup") as session:
        with session.reading() as tx:
            known = tx.known_patients()
        with session.run(inputs, as_of=as_of) as run:
            ...                                   # plan (pure) and record through run.tx
            run.counts["asked"] = len(asked)
            run.write_after(out_dir / name, text)
        paths = run.written                       # the files, written after the commit

The command itself stays one function a newcomer finds from its name (`followup/run.py`
`follow_up`); this module only keeps the order the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.files import write_atomic
from medsheets.ledger import Ledger, Transaction, hold_practice
from medsheets.practice import Practice


@dataclass
class Run:
    """One command's run inside its transaction: the run id, the counts its row will carry
    and the files to write once the transaction has committed (then `written`)."""

    tx: Transaction
    id: int
    counts: dict[str, int] = field(default_factory=dict)
    pending: list[tuple[Path, str | bytes]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def write_after(self, path: Path, data: str | bytes) -> Path:
        """Write `data` to `path` (atomically, owner-only) after the commit; returns `path`."""
        self.pending.append((path, data))
        return path


@dataclass
class CommandSession:
    """A command holding its practice and ledger: read with `reading`, record with `run`."""

    practice: Practice
    command: str
    ledger: Ledger

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A consistent read that never takes the write lock (step 3)."""
        with self.ledger.reading() as tx:
            yield tx

    @contextmanager
    def run(self, inputs: Sequence[tuple[str, str]] = (), *, as_of: dt.date | None) -> Iterator[Run]:
        """The run's one transaction (step 4); its files are written after the commit (step 5).

        `inputs` are the files read, as (name, sha256). An exception inside leaves nothing in
        the ledger and writes no file.
        """
        with self.ledger.transaction() as tx:
            run = Run(tx, tx.start_run(self.command, inputs, as_of=as_of))
            yield run
            tx.finish_run(run.id, run.counts)
        run.written = [write_atomic(path, data) for path, data in run.pending]


@contextmanager
def command_session(practice: Practice, command: str) -> Iterator[CommandSession]:
    """Hold the practice and its ledger for `command` and open the ledger (steps 1 and 2)."""
    with hold_practice(practice, command), Ledger.open(practice.db_url) as ledger:
        yield CommandSession(practice, command, ledger)
