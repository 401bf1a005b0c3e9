"""Bring a ledger's schema up to what this version of medsheets expects.

Users upgrade medsheets and keep their ledger, so opening a ledger applies any migration it
has not had yet, inside one transaction: either the ledger reaches the new schema or it stays
exactly as it was. A ledger already at the newest revision is left alone (no alembic run at
all, nor even imported: it costs a command a third of a second to start), and one written by a
newer medsheets is refused rather than guessed at.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.errors import LedgerError, LedgerVersionError

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 0x6D65647368656574  # "medsheet": any fixed 64-bit number will do
VERSIONS = sa.table("alembic_version", sa.column("version_num"))  # alembic's own record


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


def _declared(path: Path) -> tuple[str, tuple[str, ...]]:
    """(revision, the revisions it follows) as a migration file assigns them, read as alembic
    reads them (the module's `revision` and `down_revision`) but without running the file."""
    found: dict[str, Any] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                found[target.id] = None if value is None else ast.literal_eval(value)
    down = found.get("down_revision")
    return found["revision"], (() if down is None else (down,) if isinstance(down, str) else tuple(down))


@functools.cache
def head_revision() -> str:
    """The newest schema revision this medsheets knows: the one no other revision follows."""
    revisions = dict(_declared(path) for path in sorted((MIGRATIONS / "versions").glob("*.py")))
    heads = set(revisions) - {down for downs in revisions.values() for down in downs}
    assert len(heads) == 1, f"the ledger's migrations must have one head, not {sorted(heads)}"
    return heads.pop()


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
