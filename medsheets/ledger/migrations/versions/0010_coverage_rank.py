"""Which of a patient's insurances is the primary, the secondary, the tertiary.

Revision ID: coverage_rank
Revises: folder_and_practice
Create Date: 2026-12-02

The patient profile keeps one `coverages` row per payer. A returning dual-eligible patient's
row that leaves `secondary_payer_id` blank gets the secondary from the profile, so the profile
must know which coverage is the secondary: `rank` (1 primary, 2 secondary, 3 tertiary), as the
latest visit ranked it. Rows from before this revision stay NULL (not ranked) until a visit
names them again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "coverage_rank"
down_revision = "folder_and_practice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("coverages") as altered:
        altered.add_column(sa.Column("rank", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("coverages") as altered:
        altered.drop_column("rank")
