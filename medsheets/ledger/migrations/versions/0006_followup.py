"""Files a run writes besides the 837 (paper claims, claim-status requests), kept to restore.

Revision ID: followup
Revises: before_the_visit
Create Date: 2026-12-01

Spelled out on a metadata of this revision's own, like 0003, so it keeps creating exactly
this table however the schema modules change later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "followup"
down_revision = "before_the_visit"
branch_labels = None
depends_on = None

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _table() -> sa.Table:
    metadata = sa.MetaData(naming_convention=NAMING)
    sa.Table("runs", metadata, sa.Column("id", sa.Integer, primary_key=True))
    return sa.Table(
        "output_files", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("folder", sa.String(20), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False, unique=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def upgrade() -> None:
    _table().create(op.get_bind())


def downgrade() -> None:
    op.drop_table("output_files")
