"""Small helpers ledger modules share: the timestamp clock, inserted ids, who wrote a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa


def utc_now() -> dt.datetime:
    """Now in UTC, without a zone attached: how every ledger timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def insert_ids(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """INSERT many rows in a few multi-row statements; their new ids in the order of `rows`.

    SQLAlchemy keeps RETURNING in parameter order only where the database promises an order
    (PostgreSQL); on SQLite it falls back to one INSERT per row, about three times slower.
    SQLite numbers the rows of a multi-row INSERT in the order of its VALUES (each new row
    takes one more than the table's largest id, and the transaction is the only writer), so
    there the ids returned, sorted, are the rows' ids in order."""
    if not rows:
        return []
    if conn.dialect.name == "sqlite":
        ids = sorted(int(i) for i in conn.execute(table.insert().returning(table.c.id), rows).scalars())
    else:
        statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        ids = [int(i) for i in conn.execute(statement, rows).scalars()]
    if len(ids) != len(rows):
        raise RuntimeError(f"{len(rows)} rows inserted into {table.name}, {len(ids)} ids returned")
    return ids


def insert_id(conn: sa.Connection, statement: sa.Insert) -> int:
    """Run an INSERT of one row and return the new row's integer primary key."""
    key = conn.execute(statement).inserted_primary_key
    assert key is not None, "an INSERT of one row has a primary key"
    return int(key[0])


def written_by(table: sa.Table, folder_id: str | None) -> sa.ColumnElement[bool]:
    """The rows of a kept-file table (batches, output_files) that the practice folder
    `folder_id` may restore: its own, and those kept before folders had ids (NULL)."""
    column = table.c.folder_id
    if folder_id is None:
        return column.is_(None)
    return sa.or_(column == folder_id, column.is_(None))
