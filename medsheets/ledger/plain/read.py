"""`check`'s read of a SQLite ledger through `sqlite3` alone (the package doc says why).

    reading = open_reading(path)      # None: read it through Ledger.open instead
    if reading is not None:
        with reading:                 # one read transaction, never the write lock
            reading.patient_profiles(); reading.billed_lines(days); reading.latest_benefits(as_of=)

`open_reading` does what `Ledger.open` does before a read (the file kept owner-only, the schema
revision compared with this medsheets' newest) and gives up, returning None, on anything it
does not expect: the caller then opens the ledger as before, which migrates an older ledger,
refuses a newer or a foreign one, and says what is wrong with a damaged file.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from medsheets.ledger.db_file import SQLITE_PRAGMAS, owner_only, plain_error
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.plain.rows import BenefitsRow, billed_on_days, latest_answers, profiles_of
from medsheets.ledger.plain.sqlite_statements import SQLITE
from medsheets.ledger.revisions import head_revision
from medsheets.model import BilledLine, PatientProfile

CHUNK = 500  # patients per billed-lines query, as profiles.CHUNK


class PlainReading:
    """One read transaction on a SQLite ledger at the newest revision (see `open_reading`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def rows(self, name: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """The rows of the compiled statement `name`, as SQLAlchemy would give them."""
        statement = SQLITE[name]
        sql, values = statement.text_and_values(params or {})
        row_type = _row_type(name)
        read = statement.reader()
        try:
            for row in self._connection.execute(sql, values):
                yield row_type(*read(row))
        except sqlite3.Error as exc:  # as Ledger's connection: the environment's, said plainly
            plain = plain_error(str(exc))
            if plain is None:
                raise
            raise LedgerError(plain) from exc

    def patient_profiles(self) -> dict[str, PatientProfile]:
        """Every patient's profile (as Transaction.patient_profiles())."""
        return profiles_of(list(self.rows("patients")), self.rows("coverages"))

    def billed_lines(self, days: Iterable[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], list[BilledLine]]:
        """The billed lines of each (patient_id, date_of_service) (as Transaction.billed_lines)."""
        return billed_on_days(days, lambda part: self.rows("billed_lines", {"patient_ids": part}),
                              CHUNK)

    def latest_benefits(self, *, as_of: dt.date) -> dict[tuple[str, str], BenefitsRow]:
        """The newest answer received by `as_of` per (patient, payer) (as eligibility.latest_benefits)."""
        return latest_answers(self.rows("latest_benefits", {"as_of": as_of}))

    def close(self) -> None:
        try:
            self._connection.rollback()
        finally:
            self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


@functools.cache
def _row_type(name: str) -> Any:
    """Rows with the statement's columns as attributes, as SQLAlchemy's rows have them."""
    return namedtuple("Row", SQLITE[name].columns)  # type: ignore[misc]


def open_reading(path: Path) -> PlainReading | None:
    """A read transaction on the SQLite ledger at `path`, or None when it is not one this
    path reads (not at this medsheets' newest revision, or not readable as a ledger)."""
    owner_only(path)
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        for pragma in SQLITE_PRAGMAS:  # as store.py sets them on every connection
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")  # as Ledger.reading() begins: never the write lock
        revisions = [row[0] for row in connection.execute(SQLITE["revision"].sql)]
    except sqlite3.Error:
        revisions = []
    if revisions != [head_revision()]:
        connection.close()
        return None
    return PlainReading(connection)
