"""Guard the journal: append-only in the database itself, one reversal per entry, balance indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02

medsheets never updates or deletes a journal row, but a trigger makes the database refuse it
too, so a stray script or a bug cannot rewrite history. The unique index on `reverses_id` makes
a second reversal of the same entry impossible even under a race. The other indexes serve the
balance queries (per claim, line, patient, payer).
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MESSAGE = "journal rows are never changed; post a reversing entry instead"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER journal_no_{action.lower()} BEFORE {action} ON journal
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for action in ("UPDATE", "DELETE")
]

POSTGRESQL_TRIGGERS = [
    f"""CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""",
    """CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal
        FOR EACH ROW EXECUTE FUNCTION journal_append_only()""",
]

INDEXED = ("claim_id", "claim_line_id", "patient_id", "payer_id")


def upgrade() -> None:
    """Add the indexes and, on the databases medsheets supports, the append-only triggers."""
    for column in INDEXED:
        op.create_index(op.f(f"ix_journal_{column}"), "journal", [column])
    op.create_index(op.f("ix_journal_reverses_id"), "journal", ["reverses_id"], unique=True)
    dialect = op.get_bind().dialect.name
    triggers = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, [])
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    """Remove the guards (a developer's scratch database only)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER journal_no_update")
        op.execute("DROP TRIGGER journal_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER journal_append_only ON journal")
        op.execute("DROP FUNCTION journal_append_only()")
    op.drop_index(op.f("ix_journal_reverses_id"), "journal")
    for column in INDEXED:
        op.drop_index(op.f(f"ix_journal_{column}"), "journal")
