"""Small helpers ledger modules share: the timestamp clock, inserted ids, who wrote a file."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa


def utc_now() -> dt.datetime:
    """Now in UTC, without a zone attached: how every ledger timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


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
