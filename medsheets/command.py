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

A file the run owes and the ledger holds nowhere else (a report workbook, a 276, paper claim
forms) is kept with the run instead (`run.keep(KIND, name, content)`: recorded in the same
transaction, written after the commit from that content). Should a kill or a full disk stop
the write, the command's next run writes it from the ledger (`session.restore(KIND)`), into
the practice folder that ran it only:

    REPORT = Kept("remit", "reports", write_report)   # kind, folder under out/, writer
    with command_session(practice, "remit") as session:
        result.restored = session.restore(REPORT)
        with session.run(inputs, as_of=as_of) as run:
            ...
            result.report = run.keep(REPORT, name, content)

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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from medsheets.files import remove_stale_parts, write_atomic
from medsheets.ledger import Ledger, Transaction, hold_practice
from medsheets.ledger.outputs import OutputFile
from medsheets.practice import Practice
from medsheets.practice_files import folder_id
from medsheets.progress import NO_PROGRESS, Progress


@dataclass(frozen=True)
class Kept:
    """A kind of file a run owes that is kept in the ledger with the run (output_files):
    `write(path, content)` makes the file from the recorded content, after the commit and
    again whenever a later run finds it missing. `prefix` names the files of this kind, so
    that clearing a killed write's temporaries (.NAME.part) touches no other command's."""

    kind: str  # output_files.kind
    folder: str  # under out/
    write: Callable[[Path, str], object]
    prefix: str = ""


@dataclass
class Run:
    """One command's run inside its transaction: the run id, the counts its row will carry
    and the files to write once the transaction has committed (then `written`)."""

    tx: Transaction
    id: int
    session: CommandSession
    counts: dict[str, int] = field(default_factory=dict)
    pending: list[tuple[Path, Callable[[], object]]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def write_after(self, path: Path, data: str | bytes) -> Path:
        """Write `data` to `path` (atomically, owner-only) after the commit; returns `path`."""
        self.pending.append((path, lambda: write_atomic(path, data)))
        return path

    def write_with(self, path: Path, write: Callable[[Path], object]) -> Path:
        """Write the file at `path` with `write(path)` after the commit (a workbook the
        writer saves atomically itself); returns `path`."""
        self.pending.append((path, lambda: write(path)))
        return path

    def keep(self, kept: Kept, name: str, content: str,
             write_now: Callable[[Path], object] | None = None) -> Path:
        """Record the file `name` of kind `kept` with this run, write it after the commit;
        returns its path (out/FOLDER/NAME). `write_now(path)`, when given, writes the same
        file from the records `content` was made of, so the run need not read its own
        content back (a day's 4,545 paper forms took 0.7 s to rebuild from their JSON);
        a restore still writes with `kept.write` from the content."""
        self.tx.add_output(self.id, OutputFile(kept.kind, kept.folder, name, content),
                           folder_id=self.session.folder_id)
        path = self.session.practice.out_dir / kept.folder / name
        if write_now is None:
            self.pending.append((path, lambda: kept.write(path, content)))
        else:
            self.pending.append((path, lambda: write_now(path)))
        return path


@dataclass
class CommandSession:
    """A command holding its practice and ledger: read with `reading`, record with `run`."""

    practice: Practice
    command: str
    ledger: Ledger
    progress: Progress = NO_PROGRESS

    @cached_property
    def folder_id(self) -> str:
        """The practice folder's id, recorded with every file kept, restored only there."""
        return folder_id(self.practice.root)

    def restore(self, *kinds: Kept) -> list[str]:
        """Write the kept files of `kinds` that this folder's runs recorded and out/ lacks
        (a run stopped between its commit and its write), after clearing what such a write
        left half-saved; the names written."""
        by_kind = {kept.kind: kept for kept in kinds}
        for kept in kinds:
            folder = self.practice.out_dir / kept.folder
            if folder.is_dir():
                remove_stale_parts(folder, kept.prefix)
        with self.reading() as tx:
            missing = [output for kept in kinds
                       for output in tx.outputs_missing(self.practice.out_dir, kept.kind,
                                                        self.folder_id)]
        for output in missing:
            by_kind[output.kind].write(self.practice.out_dir / output.folder / output.file_name,
                                       output.content)
        return [output.file_name for output in missing]

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A consistent read that never takes the write lock (step 3)."""
        with self.ledger.reading() as tx:
            yield tx

    @contextmanager
    def run(self, inputs: Sequence[tuple[str, str]] = (), *, as_of: dt.date | None,
            command: str | None = None) -> Iterator[Run]:
        """The run's one transaction (step 4); its files are written after the commit (step 5).

        `inputs` are the files read, as (name, sha256); `command` names the run when it is
        not the session's command (`invoices --mailed` records a "mailed" run). An exception
        inside leaves nothing in the ledger and writes no file.
        """
        with self.ledger.transaction() as tx:
            run = Run(tx, tx.start_run(command or self.command, inputs, as_of=as_of), self)
            yield run
            tx.finish_run(run.id, run.counts)
        for path, write in run.pending:
            with self.progress.phase(f"Writing {path.name}"):
                write()
            run.written.append(path)


@contextmanager
def command_session(practice: Practice, command: str,
                    progress: Progress = NO_PROGRESS) -> Iterator[CommandSession]:
    """Hold the practice and its ledger for `command` and open the ledger (steps 1 and 2);
    `progress` is told each file written after the commit."""
    with hold_practice(practice, command), Ledger.open(practice.db_url) as ledger:
        yield CommandSession(practice, command, ledger, progress)
