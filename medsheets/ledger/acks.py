"""The acknowledgment files (999, 277CA) read: recorded in `ack_files` by content hash, so
reading the same file again (under any name) changes nothing. The batch a 999 answers is
found with runs.batch_by_group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.schema import ack_files
from medsheets.ledger.sql import insert_id, utc_now

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction


def ack_file_read(tx: Transaction, sha256: str) -> bool:
    """Whether an acknowledgment file with this content was read before."""
    seen = sa.select(ack_files.c.id).where(ack_files.c.content_sha256 == sha256)
    return tx.conn.execute(seen).first() is not None


def add_ack_file(tx: Transaction, run_id: int, kind: str, file_name: str, sha256: str,
                 detail: Mapping[str, Any]) -> int:
    """Record that run `run_id` read the `kind` (999, 277CA) file; its counts go in `detail`."""
    return insert_id(tx.conn, ack_files.insert().values(
        run_id=run_id, kind=kind, file_name=file_name, content_sha256=sha256,
        detail=dict(detail), read_at=utc_now(),
    ))
