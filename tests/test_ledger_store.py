"""Opening the ledger: migrations, connection settings, file permissions, one transaction."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from test_ledger_support import SHA, bill, encounter

from medsheets.ledger import Ledger, LedgerError, LedgerVersionError, migrate
from medsheets.ledger.schema import metadata


def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'medsheets.db'}"


def test_fresh_ledger_is_at_head_and_reopening_does_not_migrate(tmp_path: Path) -> None:
    first = Ledger.open(url(tmp_path))
    assert first.migrated
    with first.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    first.close()
    again = Ledger.open(url(tmp_path))
    assert not again.migrated
    again.close()


def test_ledger_at_revision_1_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    engine = sa.create_engine(url(tmp_path))
    with engine.begin() as conn:
        migrate.upgrade(conn, "0001")
        conn.exec_driver_sql(
            "INSERT INTO runs (command, status, counts, started_at) "
            "VALUES ('claims', 'ok', '{}', '2026-01-01 00:00:00')"
        )
    engine.dispose()

    ledger = Ledger.open(url(tmp_path))
    assert ledger.migrated
    with ledger.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert conn.exec_driver_sql("SELECT command FROM runs").scalar_one() == "claims"
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("journal")}
    assert "ix_journal_reverses_id" in indexes


def test_migrated_schema_matches_the_tables_queries_use(tmp_path: Path) -> None:
    ledger = Ledger.open(url(tmp_path))
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_ledger_from_a_newer_medsheets_is_refused(tmp_path: Path) -> None:
    Ledger.open(url(tmp_path)).close()
    engine = sa.create_engine(url(tmp_path))
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(LedgerVersionError, match="upgrade medsheets"):
        Ledger.open(url(tmp_path))


def test_every_connection_gets_the_safety_pragmas(tmp_path: Path) -> None:
    ledger = Ledger.open(url(tmp_path))
    with ledger.reading() as one, ledger.reading() as two:  # two connections at once
        assert one.conn.connection.dbapi_connection is not two.conn.connection.dbapi_connection
        for conn in (one.conn, two.conn):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_database_files_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    ledger = Ledger.open(url(tmp_path))
    bill(ledger, encounter())
    with ledger.engine.connect() as conn:  # keeps -wal and -shm in place while we look
        conn.exec_driver_sql("SELECT 1")
        for name in ("medsheets.db", "medsheets.db-wal", "medsheets.db-shm"):
            mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
            assert mode == 0o600, f"{name} is {oct(mode)}"


def test_an_existing_world_readable_ledger_is_made_private(tmp_path: Path) -> None:
    Ledger.open(url(tmp_path)).close()
    (tmp_path / "medsheets.db").chmod(0o644)
    Ledger.open(url(tmp_path)).close()
    assert stat.S_IMODE((tmp_path / "medsheets.db").stat().st_mode) == 0o600


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="no such folder"):
        Ledger.open(f"sqlite:///{tmp_path / 'nowhere' / 'medsheets.db'}")


def test_reading_sees_committed_data_and_writes_nothing(tmp_path: Path) -> None:
    ledger = Ledger.open(url(tmp_path))
    bill(ledger, encounter())
    with ledger.reading() as view:
        assert view.find_claim("E1") is not None
        view.start_run("aging", [])
    with ledger.reading() as view:
        assert view.conn.exec_driver_sql("SELECT COUNT(*) FROM runs").scalar_one() == 1


def test_a_transaction_that_raises_leaves_nothing(tmp_path: Path) -> None:
    ledger = Ledger.open(url(tmp_path))
    with pytest.raises(RuntimeError), ledger.transaction() as tx:
        tx.start_run("claims", [("day.xlsx", SHA)])
        raise RuntimeError("the run failed half-way")
    with ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM runs").scalar_one() == 0


def test_a_failed_run_can_still_be_recorded(tmp_path: Path) -> None:
    ledger = Ledger.open(url(tmp_path))
    run_id = ledger.record_failed_run("remit", [("era.835", SHA)])
    with ledger.transaction() as tx:
        assert not tx.input_seen(SHA, "remit")
        row = tx.conn.execute(sa.text("SELECT status, finished_at FROM runs WHERE id = :i"),
                              {"i": run_id}).one()
    assert row.status == "failed" and row.finished_at is not None
