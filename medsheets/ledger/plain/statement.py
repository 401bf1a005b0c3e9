"""A SELECT compiled for one database driver: its text, its parameters, how to read its columns.

Written into `sqlite_statements.py` by build.py from the ledger's Core statements; read.py runs
them through `sqlite3`. The text is SQLAlchemy's own compilation, placeholders included: a
list parameter (`IN`) is left as SQLAlchemy's `__[POSTCOMPILE_name]` marker and given one `?`
per value here, as SQLAlchemy itself does when it runs the statement.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

READERS: dict[str, Callable[[Any], Any]] = {  # a column's kind -> how its stored value is read
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
    "json": json.loads,
}
WRITERS: dict[str, Callable[[Any], Any]] = {  # a parameter's kind -> how its value is bound
    "date": dt.date.isoformat,
}


class Statement(NamedTuple):
    """One compiled SELECT (see the module doc)."""

    sql: str
    params: tuple[str, ...]  # the bound parameters' names, in the order of their placeholders
    bound: Mapping[str, Any]  # the values the statement binds itself (e.g. a status it excludes)
    param_kinds: Mapping[str, str]  # parameters needing conversion: name -> kind (WRITERS)
    columns: tuple[str, ...]  # the result's columns, by name
    kinds: tuple[str | None, ...]  # per column: a kind of READERS, None when read as stored

    def text_and_values(self, given: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL to run and its positional values, for these parameters (lists expanded)."""
        values = {**self.bound, **given}
        sql, flat = self.sql, list[Any]()
        for name in self.params:
            value = values[name]
            if isinstance(value, Sequence) and not isinstance(value, str):
                sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * len(value)), 1)
                flat += value
            else:
                kind = self.param_kinds.get(name)
                flat.append(WRITERS[kind](value) if kind and value is not None else value)
        return sql, flat

    def reader(self) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
        """A function turning a driver's row into the column values SQLAlchemy would give."""
        converting = [(i, READERS[kind]) for i, kind in enumerate(self.kinds) if kind]

        def read(row: Sequence[Any]) -> tuple[Any, ...]:
            values = list(row)
            for i, convert in converting:
                if values[i] is not None:
                    values[i] = convert(values[i])
            return tuple(values)

        return read
