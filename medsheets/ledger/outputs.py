"""Output files other than the 837 that a run promised: recorded with the run, restored after.

The 837's own batches table does this for claim batches; paper claim forms (kept as their
fields, JSON) and 276 claim-status requests (their X12 text) are recorded here in the run's
transaction, and a later run from the same practice folder writes any whose file is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa

from medsheets.ledger.schema import output_files
from medsheets.ledger.sql import insert_id, utc_now, written_by


class OutputFile(NamedTuple):
    """A recorded output: its kind (cms1500, 276), folder under out/, file name, content."""

    kind: str
    folder: str
    file_name: str
    content: str


class OutputsMixin:
    """Transaction methods for the output_files table."""

    conn: sa.Connection

    def add_output(self, run_id: int, output: OutputFile, *, folder_id: str | None) -> int:
        """Record a file run `run_id` is about to write in the practice folder `folder_id`."""
        return insert_id(self.conn, output_files.insert().values(
            run_id=run_id, kind=output.kind, folder=output.folder, file_name=output.file_name,
            content=output.content, created_at=utc_now(), folder_id=folder_id))

    def outputs_missing(self, out_dir: Path, kind: str, folder_id: str | None) -> list[OutputFile]:
        """The recorded outputs of `kind` that the folder `folder_id` wrote (or that predate
        folder ids) whose file is not under `out_dir`, oldest first; only their content is read."""
        c = output_files.c
        names = self.conn.execute(sa.select(c.id, c.folder, c.file_name)
                                  .where(c.kind == kind, written_by(output_files, folder_id))
                                  .order_by(c.id))
        missing = [row.id for row in names if not (out_dir / row.folder / row.file_name).exists()]
        if not missing:
            return []
        rows = self.conn.execute(sa.select(c.kind, c.folder, c.file_name, c.content)
                                 .where(c.id.in_(missing)).order_by(c.id))
        return [OutputFile(*row) for row in rows]

    def output_recorded(self, file_name: str) -> bool:
        """Whether a recorded output already has this file name (names are unique)."""
        c = output_files.c
        return self.conn.execute(sa.select(c.id).where(c.file_name == file_name)).first() is not None
