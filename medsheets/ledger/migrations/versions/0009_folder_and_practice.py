"""Which practice folder wrote each kept file, and which practice the ledger belongs to.

Revision ID: folder_and_practice
Revises: secondary_insurance
Create Date: 2026-12-01

Several practice folders may share one ledger (`--db`, the shared office). A batch or output
file lost from the folder that wrote it is restored there, and only there: `folder_id` on
batches and output_files names that folder (NULL for files kept before this revision, which
are restored wherever they are missing, as before). `ledger_practice` holds the billing NPI
and tax id of the practice whose books the ledger keeps, recorded at its first run.

Spelled out on a metadata of this revision's own, like 0003, so it keeps making exactly these
changes however the schema modules change later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "folder_and_practice"
down_revision = "secondary_insurance"
branch_labels = None
depends_on = None

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
WRITTEN_BY = ("batches", "output_files")


def _ledger_practice() -> sa.Table:
    return sa.Table(
        "ledger_practice", sa.MetaData(naming_convention=NAMING),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("tax_id", sa.String(9), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def upgrade() -> None:
    for table in WRITTEN_BY:
        with op.batch_alter_table(table) as altered:
            altered.add_column(sa.Column("folder_id", sa.String(32)))
    _ledger_practice().create(op.get_bind())


def downgrade() -> None:
    op.drop_table("ledger_practice")
    for table in WRITTEN_BY:
        with op.batch_alter_table(table) as altered:
            altered.drop_column("folder_id")
