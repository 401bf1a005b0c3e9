"""ledger/sql.insert_rows: plain tuples to the driver, stored exactly as SQLAlchemy stores them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from medsheets.ledger.sql import insert_all, insert_rows

table = sa.Table(
    "kinds", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label", sa.String(8)), sa.Column("day", sa.Date), sa.Column("at", sa.DateTime),
    sa.Column("cents", sa.BigInteger), sa.Column("counts", sa.JSON), sa.Column("rank", sa.Integer),
)
COLUMNS = ("label", "day", "at", "cents", "counts", "rank")
ROWS = [(f"r{n}", dt.date(2026, 11, 1 + n % 28), dt.datetime(2026, 11, 27, 10, 30, n % 60),
         n * 100, {"n": n}, None) for n in range(2_300)]  # `rank` NULL in every row


def engine_for(database: str, tmp_path: Path, request: pytest.FixtureRequest) -> sa.Engine:
    url = (f"sqlite:///{tmp_path / 'bulk.db'}" if database == "sqlite"
           else str(request.getfixturevalue("pg_url")))
    engine = sa.create_engine(url)
    table.metadata.create_all(engine)
    return engine


def stored(conn: sa.Connection) -> list[tuple[object, ...]]:
    """The rows as the database holds them (SQLite: the text SQLAlchemy made of a date)."""
    text = ("SELECT label, day, at, cents, counts, rank FROM kinds ORDER BY id"
            if conn.dialect.name == "sqlite" else
            "SELECT label, day::text, at::text, cents, counts::text, rank FROM kinds ORDER BY id")
    return [tuple(row) for row in conn.exec_driver_sql(text)]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_rows_are_stored_as_sqlalchemy_stores_them(database: str, tmp_path: Path,
                                                   request: pytest.FixtureRequest) -> None:
    engine = engine_for(database, tmp_path, request)
    with engine.begin() as conn:
        conn.execute(table.insert(), [dict(zip(COLUMNS, row)) for row in ROWS])
        by_sqlalchemy = stored(conn)
        conn.execute(table.delete())
        ids = insert_rows(conn, table, COLUMNS, ROWS, ids=True)
        assert stored(conn) == by_sqlalchemy
        labels = dict(conn.execute(sa.select(table.c.id, table.c.label)).all())
    assert [labels[i] for i in ids] == [row[0] for row in ROWS]  # each id is its row's
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_too_long_value_is_refused_not_cut(database: str, tmp_path: Path,
                                             request: pytest.FixtureRequest) -> None:
    """On PostgreSQL text goes in uncast, so VARCHAR(8) refuses nine characters as a plain
    INSERT would (SQLite keeps them, as it always has)."""
    engine = engine_for(database, tmp_path, request)
    with engine.begin() as conn:
        if database == "sqlite":
            insert_all(conn, table, [{"label": "ninechars"}])
            assert conn.execute(sa.select(table.c.label)).scalar_one() == "ninechars"
        else:
            with pytest.raises(sa.exc.DataError):
                insert_all(conn, table, [{"label": "ninechars"}])
    engine.dispose()


def test_nothing_to_insert_sends_nothing(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    engine = engine_for("sqlite", tmp_path, request)
    with engine.begin() as conn:
        assert insert_rows(conn, table, COLUMNS, [], ids=True) == []
        insert_all(conn, table, [])
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0
    engine.dispose()
