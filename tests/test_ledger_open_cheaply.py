"""A ledger already at the newest schema opens without alembic (issue 16: a command's start).

The newest revision is read from the migration files themselves and the ledger's revision from
alembic's own table, so alembic is imported only when a migration is to run. These tests hold
the two readings to alembic's answers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext

from medsheets.ledger import Ledger, LedgerError, migrate


def test_the_newest_revision_read_from_the_files_is_alembics_head() -> None:
    assert migrate.head_revision() == migrate._script().get_current_head()


def test_the_ledgers_revision_is_what_alembic_reads(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'medsheets.db'}")
    with engine.begin() as conn:
        assert migrate.current_revision(conn) is None  # an empty database
        migrate.upgrade(conn, "0001")
        assert migrate.current_revision(conn) == MigrationContext.configure(conn).get_current_revision()
        assert not migrate.is_current(conn)
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('another')")
        try:
            migrate.current_revision(conn)
        except LedgerError as exc:
            assert "several schema revisions" in str(exc)
        else:
            raise AssertionError("two revisions recorded must not pass for one")
    engine.dispose()


def test_a_current_ledger_opens_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'medsheets.db'}"
    Ledger.open(url).close()  # created and migrated here
    code = ("import sys\nfrom medsheets.ledger import Ledger\n"
            f"ledger = Ledger.open({url!r})\nassert not ledger.migrated\nledger.close()\n"
            "print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False", done.stdout + done.stderr
