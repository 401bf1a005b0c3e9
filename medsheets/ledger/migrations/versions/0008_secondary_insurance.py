"""Coordination of benefits: claim_coverages (a claim's secondary and tertiary insurance)
and cob_bills (each claim billed to one of them after the payer before adjudicated it).

Revision ID: secondary_insurance
Revises: before_the_visit
Create Date: 2026-12-01

The tables are spelled out on a metadata of this revision's own, as 0003 explains.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "secondary_insurance"
down_revision = "people"
branch_labels = None
depends_on = None

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _tables() -> sa.MetaData:
    metadata = sa.MetaData(naming_convention=NAMING)
    for name in ("runs", "claims", "remit_claims", "batches"):  # stand-ins, not created here
        sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "claim_coverages", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("payer_id", sa.String(40), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("group_number", sa.String(50)),
        sa.Column("relationship", sa.String(8), nullable=False),
        sa.Column("subscriber_last_name", sa.String(120)),
        sa.Column("subscriber_first_name", sa.String(120)),
        sa.Column("subscriber_dob", sa.Date),
        sa.Column("subscriber_sex", sa.String(1)),
        sa.Column("payer_claim_number", sa.String(50)),
        sa.UniqueConstraint("claim_id", "rank"),
    )
    sa.Table(
        "cob_bills", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("payer_id", sa.String(40), nullable=False),
        sa.Column("remit_claim_id", sa.Integer, sa.ForeignKey("remit_claims.id"), nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("frequency_code", sa.String(1), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("remit_claim_id", "rank"),
        sa.Index(None, "claim_id"),
    )
    return metadata


NEW_TABLES = ("claim_coverages", "cob_bills")


def upgrade() -> None:
    metadata = _tables()
    bind = op.get_bind()
    for name in NEW_TABLES:
        metadata.tables[name].create(bind)


def downgrade() -> None:
    for name in reversed(NEW_TABLES):
        op.drop_table(name)
