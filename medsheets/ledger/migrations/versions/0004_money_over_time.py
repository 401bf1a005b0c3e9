"""Money over time: the day each run worked for, and patients' payment plans.

Revision ID: money_over_time
Revises: 0003
Create Date: 2026-12-01

`runs.as_of` is the day a run recorded or reported for (`--as-of`), kept beside the instant
it ran (`started_at`), so a posting made late for an earlier day says both. `payment_plans`
holds the plans agreed with patients (the payments workbook's `Plans` sheet): while a plan is
kept the account gets no dunning and is not sent to collections.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "money_over_time"
down_revision = "0003"
branch_labels = None
depends_on = None

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _plans() -> sa.Table:
    metadata = sa.MetaData(naming_convention=NAMING)
    sa.Table("runs", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("patients", metadata, sa.Column("patient_id", sa.String(40), primary_key=True))
    return sa.Table(
        "payment_plans", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("installment_cents", sa.BigInteger, nullable=False),
        sa.Column("frequency", sa.String(20), nullable=False),  # monthly, every:N (days)
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("patient_id", "start_date"),
    )


def upgrade() -> None:
    with op.batch_alter_table("runs") as runs:
        runs.add_column(sa.Column("as_of", sa.Date))
    _plans().create(op.get_bind())


def downgrade() -> None:
    op.drop_table("payment_plans")
    with op.batch_alter_table("runs") as runs:
        runs.drop_column("as_of")
