"""Bring a ledger's schema up to what this version of medsheets expects.

Users upgrade medsheets and keep their ledger, so opening a ledger applies any migration it
has not had yet, inside one transaction: either the ledger reaches the new schema or it stays
exactly as it was. A ledger already at the newest revision is left alone (no alembic run at
all, nor even imported: it costs a command a third of a second to start), and one written by a
newer medsheets is refused rather than guessed at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from medsheets.ledger.errors import LedgerError, LedgerVersionError
from medsheets.ledger.revisions import MIGRATIONS, head_revision

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

MIGRATION_LOCK_KEY = 0x6D65647368656574  # "medsheet": any fixed 64-bit number will do
VERSIONS = sa.table("alembic_version", sa.column("version_num"))  # alembic's own record


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


def current_revision(connection: sa.Connection) -> str | None:
    """The revision a database is at (None for an empty database)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    found = connection.execute(sa.select(VERSIONS.c.version_num)).scalars().all()
    if len(found) > 1:
        raise LedgerError(f"the ledger records several schema revisions ({', '.join(found)}); "
                          "restore it from your backup")
    return found[0] if found else None


def is_current(connection: sa.Connection) -> bool:
    """Whether the database is already at this medsheets' newest revision."""
    return current_revision(connection) == head_revision()


def refuse_a_foreign_database(connection: sa.Connection) -> None:
    """A database with tables but no medsheets revision is another program's: never add the
    ledger's tables to it (and then bill as if nothing had ever been billed)."""
    tables = sorted(sa.inspect(connection).get_table_names())
    if tables:
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise LedgerError(
            f"the ledger database holds another program's tables ({shown}), not a medsheets "
            "ledger; name the medsheets ledger with --db, or restore it from your backup")


def upgrade(connection: sa.Connection, target: str = "head") -> bool:
    """Migrate the database on `connection` to `target`; True if anything was applied.

    The caller owns the transaction: nothing is committed here. Two medsheets opening one new
    ledger at once take turns: SQLite's BEGIN IMMEDIATE serialises them already; PostgreSQL
    gets a transaction-scoped advisory lock.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
    current = current_revision(connection)
    if current is None:
        refuse_a_foreign_database(connection)
    known = {script.revision for script in _script().walk_revisions()}
    if current is not None and current not in known:
        raise LedgerVersionError(
            f"the ledger is at schema revision {current}, newer than this medsheets knows; "
            "upgrade medsheets to open it"
        )
    wanted = head_revision() if target == "head" else target
    if current == wanted:
        return False
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, target)
    return True
