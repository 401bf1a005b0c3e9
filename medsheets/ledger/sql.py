"""Small helpers ledger modules share: the timestamp clock, bulk inserts, who wrote a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

# Rows per INSERT statement, and parameters per statement: under SQLite's 32,766 variables
# and PostgreSQL's 65,535 bind parameters, whatever the table's width.
ROWS_PER_STATEMENT = 1_000
PARAMETERS_PER_STATEMENT = 30_000


def utc_now() -> dt.datetime:
    """Now in UTC, without a zone attached: how every ledger timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def insert_ids(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """INSERT many rows (dicts with the same keys) in a few statements; their new ids in the
    order of `rows` (`insert_rows` with the first row's keys as the columns)."""
    return insert_rows(conn, table, *_as_tuples(rows), ids=True)


def insert_all(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT many rows (dicts with the same keys) in a few statements, ids not wanted."""
    insert_rows(conn, table, *_as_tuples(rows))


def _as_tuples(rows: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    if not rows:
        return (), []
    columns = tuple(rows[0])
    values = itemgetter(*columns)
    if len(columns) == 1:
        return columns, [(values(row),) for row in rows]
    return columns, [values(row) for row in rows]


def insert_rows(conn: sa.Connection, table: sa.Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]], *, ids: bool = False) -> list[int]:
    """INSERT `rows` (plain tuples, values in the order of `columns`) in multi-row statements;
    with `ids`, their new ids in the order of `rows` (else an empty list).

    A day's claims are ~300,000 rows; handed to SQLAlchemy's executemany each row's parameters
    are built and processed in Python one by one, which cost more than the database's work.
    Here each statement is compiled once per (table, columns, rows) and the driver gets one
    flat tuple per statement; each value goes through its column type's bind processor (how
    SQLAlchemy stores a date on SQLite, say), so the rows stored are the same.

    The ids: SQLite numbers the rows of one INSERT in the order of its VALUES (each new row
    takes one more than the table's largest id; the run's transaction is the only writer).
    PostgreSQL takes the rows from an ordered SELECT over the VALUES (as SQLAlchemy's own
    ordered multi-row INSERT does), so its serial ids come in that order too. Either way the
    ids returned, sorted, are the rows' ids in order."""
    if not rows:
        return []
    dialect = conn.dialect
    columns = tuple(columns)
    processors = [(index, _once_per_value(process))
                  for index, process in _processors(dialect, table, columns).items()]
    per_statement = max(1, min(ROWS_PER_STATEMENT, PARAMETERS_PER_STATEMENT // len(columns)))
    new_ids: list[int] = []
    for start in range(0, len(rows), per_statement):
        page = rows[start:start + per_statement]
        flat: list[Any] = []
        if processors:
            for row in page:
                values = list(row)
                for index, process in processors:
                    values[index] = process(values[index])
                flat.extend(values)
        else:
            for row in page:
                flat.extend(row)
        statement = _statement(dialect, table, columns, len(page), ids)
        result = conn.exec_driver_sql(statement, tuple(flat))
        if ids:
            got = sorted(int(i) for (i,) in result.cursor.fetchall())
            if len(got) != len(page):
                raise RuntimeError(f"{len(page)} rows inserted into {table.name}, {len(got)} ids returned")
            new_ids += got
    return new_ids


def _processors(dialect: sa.Dialect, table: sa.Table,
                columns: tuple[str, ...]) -> dict[int, Callable[[Any], Any]]:
    """Position -> bind processor of each column whose type converts values for the driver."""
    found: dict[int, Callable[[Any], Any]] = {}
    for index, name in enumerate(columns):
        process = table.c[name].type._cached_bind_processor(dialect)
        if process is not None:
            found[index] = process
    return found


def _once_per_value(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`process`, run once per distinct value: a day's rows share a few dates and one instant."""
    made: dict[tuple[type, Any], Any] = {}

    def once(value: Any) -> Any:
        key = (value.__class__, value)
        try:
            return made[key]
        except KeyError:
            made[key] = done = process(value)
            return done
        except TypeError:  # unhashable (a JSON document)
            return process(value)
    return once


@lru_cache(maxsize=256)
def _statement(dialect: sa.Dialect, table: sa.Table, columns: tuple[str, ...], rows: int,
               ids: bool) -> str:
    """The INSERT text for `rows` rows of `columns`, in the driver's parameter style."""
    preparer = dialect.identifier_preparer
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(preparer.quote(name) for name in columns)
    into = f"INSERT INTO {preparer.format_table(table)} ({names}) "
    returning = f" RETURNING {preparer.quote(table.c.id.name)}" if ids else ""
    if dialect.name != "postgresql":
        one = "(" + ", ".join([marker] * len(columns)) + ")"
        return into + "VALUES " + ", ".join([one] * rows) + returning
    # Typed parameters (a column of NULLs in VALUES would otherwise be text) and the order.
    casts = [_cast(table.c[name].type, dialect) for name in columns]
    values = ", ".join("(" + ", ".join(marker + cast for cast in casts) + f", {number})"
                       for number in range(rows))
    aliases = ", ".join(f"p{index}" for index in range(len(columns)))
    return (into + f"SELECT {aliases} FROM (VALUES {values}) AS v({aliases}, ordinal) "
            f"ORDER BY ordinal" + returning)


def _cast(column_type: sa.types.TypeEngine[Any], dialect: sa.Dialect) -> str:
    """`::TYPE` for a parameter of this column, none for text (which the INSERT then checks
    against the column's length, as it would a plain VALUES: a cast to VARCHAR(n) truncates)."""
    if isinstance(column_type, sa.String):
        return ""
    return "::" + column_type.compile(dialect=dialect)


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
