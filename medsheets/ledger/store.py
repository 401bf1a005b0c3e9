"""Opening the ledger database: the engine, its safety settings, the file's permissions.

The ledger is the practice's book of account, so the connection is set up for durability
before speed: SQLite in WAL mode with synchronous=FULL (a committed run survives a power cut),
foreign keys enforced, and every transaction started with BEGIN IMMEDIATE so a run holds the
write lock from its first statement instead of failing half-way when it first writes. These
are set on every connection by event listeners, since SQLite forgets them per connection.

The database file holds patient data: it is created readable by the owner only, and SQLite
gives its -wal and -shm files the same mode.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from medsheets.ledger import invariants, migrate
from medsheets.ledger.db_file import SQLITE_PRAGMAS, owner_only, plain_error
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.transaction import Transaction

READ_ONLY = "medsheets_read_only"


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite:/// URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _sqlite_listeners(engine: sa.Engine) -> None:
    """Pragmas on every new connection; SQLAlchemy, not the driver, emits BEGIN IMMEDIATE."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # stop sqlite3's own implicit BEGIN
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        reading = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def plain_database_error(exc: sa.exc.DBAPIError) -> str | None:
    """A line a person can act on for a database failure of the environment, or None for one
    that is a bug (a constraint broken, a statement wrong), which should surface as one."""
    return plain_error(str(exc.orig))


class Ledger:
    """The practice's ledger. Open it with `Ledger.open(url)`; change it only in `transaction()`.

    `migrated` tells whether opening it applied any schema migration.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.migrated = False

    @classmethod
    def open(cls, url: str) -> Ledger:
        """Open (creating if new) the ledger at `url` and migrate it to this medsheets' schema."""
        path = sqlite_path(url)
        if path is not None:
            owner_only(path)
        # hide_parameters: an error's text (and a -v traceback) never carries the values a
        # statement wrote, which may be a patient's name or birth date.
        engine = sa.create_engine(url, hide_parameters=True)
        if engine.dialect.name == "sqlite":
            _sqlite_listeners(engine)
        ledger = cls(engine)
        try:
            ledger.migrated = ledger._migrate()
        except BaseException:
            engine.dispose()
            raise
        if path is not None:
            owner_only(path)
        return ledger

    def _migrate(self) -> bool:
        """Upgrade the schema if it is behind; a current ledger is only read, never locked."""
        with self._connection(write=False) as connection:
            if migrate.is_current(connection):
                return False
        with self._connection(write=True) as connection:
            return migrate.upgrade(connection)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One database transaction: everything done through it commits together, or none of it.

        Before the commit, the ledger's rules are checked over what the transaction's runs
        touched; a breach raises InvariantError and nothing is committed.
        """
        with self._connection(write=True) as connection:
            tx = Transaction(connection)
            yield tx
            invariants.require(connection, tx.runs)

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A consistent read of the ledger (reports) that never takes the write lock.

        Anything written through it is rolled back: changes belong in `transaction()`.
        """
        with self._connection(write=False) as connection:
            yield Transaction(connection)

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[sa.Connection]:
        """A connection inside a transaction, committed at the end only if `write`.

        A database that cannot be reached or stays locked becomes a LedgerError that says so.
        """
        try:
            connection = self.engine.connect()
        except sa.exc.DBAPIError as exc:
            plain = plain_database_error(exc) or f"cannot open the ledger database: {exc.orig}"
            raise LedgerError(plain) from exc
        with connection:
            if not write:
                connection = connection.execution_options(**{READ_ONLY: True})
            try:
                transaction = connection.begin()
            except sa.exc.OperationalError as exc:
                raise LedgerError(f"the ledger database is busy: {exc.orig}") from exc
            with transaction:
                try:
                    yield connection
                except sa.exc.DBAPIError as exc:
                    plain = plain_database_error(exc)
                    if plain is None:
                        raise
                    raise LedgerError(plain) from exc
                if not write:
                    transaction.rollback()

    def record_failed_run(self, command: str, inputs: Sequence[tuple[str, str]]) -> int:
        """Record a run whose own transaction was rolled back, so the failure is still on file."""
        with self.transaction() as tx:
            run_id = tx.start_run(command, inputs)
            tx.finish_run(run_id, {}, status="failed")
        return run_id

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
