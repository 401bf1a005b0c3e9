"""Runs, control numbers and 837 batches: the ledger's record of what medsheets did.

A run row says which command ran on which files (name and sha256) with which counts and how it
ended, and nothing about any patient: counts are whole numbers under plain identifier keys, and
statuses and commands are identifiers too, so a name cannot slip in through them.

Control numbers (ISA13, GS06, ST02) come from one counter row per kind, advanced with an UPDATE
before it is read: the UPDATE takes the row's write lock (the database's, in SQLite), so two
transactions can never be handed the same number, and a rolled-back run gives its numbers back.

A batch keeps the full 837 text, so an output file lost before it reached the clearinghouse can
be written again from the ledger, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from medsheets.ledger.errors import LedgerError
from medsheets.ledger.schema import batches, control_numbers, run_inputs, runs
from medsheets.ledger.sql import insert_id, utc_now, written_by

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_CONTROL_NUMBER = 999_999_999  # ISA13 and GS06 have nine digits


def _identifier(value: str, what: str) -> str:
    if not IDENTIFIER.match(value):
        raise LedgerError(f"{what} {value!r} must be a short lower-case identifier like 'claims'")
    return value


def _plain_file_name(name: str) -> str:
    """A bare file name: batches are rewritten into out/claims, never anywhere a name points."""
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name:
        raise LedgerError(f"batch file name {name!r} must be a plain file name")
    return name


@dataclass(frozen=True, slots=True)
class StoredBatch:
    """An 837 batch as the ledger keeps it: its id, file name and the text that was sent."""

    id: int
    file_name: str
    content: str


def batch_by_group(tx: Transaction, group_control: int) -> StoredBatch | None:
    """The batch sent with GS06 `group_control` (what a 999 answers), or None."""
    return _batch(tx, batches.c.group_control == group_control)


def batch_id_by_interchange(tx: Transaction, interchange_control: int) -> int | None:
    """The id of the batch sent with ISA13 `interchange_control` (a 277CA's batch reference,
    our BHT03, begins with it), or None."""
    return tx.conn.execute(sa.select(batches.c.id).where(
        batches.c.interchange_control == interchange_control)).scalar_one_or_none()


def batch_by_id(tx: Transaction, batch_id: int) -> StoredBatch | None:
    """The batch with this id (the one a claim was last sent in), or None."""
    return _batch(tx, batches.c.id == batch_id)


def _batch(tx: Transaction, where: sa.ColumnElement[bool]) -> StoredBatch | None:
    row = tx.conn.execute(sa.select(batches.c.id, batches.c.file_name, batches.c.content)
                          .where(where)).first()
    return None if row is None else StoredBatch(row.id, row.file_name, row.content)


class RunsMixin:
    """Transaction methods for runs, control numbers and batches."""

    conn: sa.Connection
    runs: set[int]

    def start_run(self, command: str, inputs: Sequence[tuple[str, str]],
                  as_of: dt.date | None = None) -> int:
        """Record the start of a run of `command` over input files given as (name, sha256), for
        the day `as_of` (the --as-of its entries are dated by; None for no particular day)."""
        run_id = insert_id(self.conn, runs.insert().values(
            command=_identifier(command, "command"),
            as_of=as_of,
            status="running",
            counts={},
            started_at=utc_now(),
        ))
        for name, digest in inputs:
            if not SHA256.match(digest):
                raise LedgerError(f"input {name}: {digest!r} is not a lower-case sha256 hex digest")
            self.conn.execute(run_inputs.insert().values(run_id=run_id, file_name=name, sha256=digest))
        self.runs.add(run_id)
        return run_id

    def finish_run(self, run_id: int, counts: Mapping[str, int], status: str = "ok") -> None:
        """Record how a run ended: its counts (e.g. {"claims": 12, "held": 1}) and its status."""
        for key, value in counts.items():
            _identifier(key, "count name")
            if isinstance(value, bool) or not isinstance(value, int):
                raise LedgerError(f"count {key!r} must be a whole number")
        result = self.conn.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(counts=dict(counts), status=_identifier(status, "status"), finished_at=utc_now())
        )
        if result.rowcount != 1:
            raise LedgerError(f"no run {run_id} to finish")

    def input_seen(self, sha256: str, command: str) -> bool:
        """Whether a run of `command` that did not fail already read a file with this content."""
        query = (
            sa.select(run_inputs.c.id)
            .join(runs, runs.c.id == run_inputs.c.run_id)
            .where(run_inputs.c.sha256 == sha256, runs.c.command == command)
            .where(runs.c.status != "failed")
            .limit(1)
        )
        return self.conn.execute(query).first() is not None

    def allocate_control_numbers(self, transactions: int) -> tuple[int, int, int]:
        """Unique numbers for one interchange: (ISA13, GS06, first ST02 of `transactions`)."""
        if transactions < 1:
            raise LedgerError("an interchange carries at least one transaction")
        return (
            self._advance("interchange", 1),
            self._advance("group", 1),
            self._advance("transaction", transactions),
        )

    def _advance(self, kind: str, count: int) -> int:
        """Move the `kind` counter on by `count` and return the first number handed out."""
        row = control_numbers.c
        self.conn.execute(
            control_numbers.update().where(row.kind == kind).values(last_value=row.last_value + count)
        )
        last = int(self.conn.execute(sa.select(row.last_value).where(row.kind == kind)).scalar_one())
        if last > MAX_CONTROL_NUMBER:
            raise LedgerError(f"the {kind} control numbers are used up (more than nine digits)")
        return last - count + 1

    def add_batch(self, run_id: int, file_name: str, control: tuple[int, int, int], content: str,
                  *, folder_id: str | None) -> int:
        """Keep an 837 batch written by run `run_id` from the practice folder `folder_id`: its
        file name, control numbers and text."""
        isa, gs, st = control
        return insert_id(self.conn, batches.insert().values(
            run_id=run_id,
            file_name=_plain_file_name(file_name),
            interchange_control=isa,
            group_control=gs,
            first_transaction_control=st,
            content=content,
            created_at=utc_now(),
            folder_id=folder_id,
        ))

    def batches_missing_files(self, out_dir: Path, folder_id: str | None) -> list[tuple[str, str]]:
        """(file name, 837 text) of every batch the folder `folder_id` wrote (or that predates
        folder ids) whose file is not in `out_dir`, oldest first. Another folder sharing the
        ledger keeps its own batches: they are never restored here."""
        names = self.conn.execute(sa.select(batches.c.id, batches.c.file_name)
                                  .where(written_by(batches, folder_id))
                                  .order_by(batches.c.id))
        missing = [batch_id for batch_id, name in names if not (out_dir / name).exists()]
        if not missing:
            return []
        rows = self.conn.execute(
            sa.select(batches.c.file_name, batches.c.content)
            .where(batches.c.id.in_(missing))
            .order_by(batches.c.id)
        )
        return [(name, content) for name, content in rows]
