"""Two small helpers every ledger module needs: the timestamp clock and inserted ids."""

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
