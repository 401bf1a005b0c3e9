"""Before the visit: eligibility files and inquiries (270), benefits answers (271), estimates.

Revision ID: before_the_visit
Revises: money_over_time
Create Date: 2026-12-01

The tables are spelled out here on a metadata of this revision's own (with the ledger's naming
convention), not imported from the schema modules, so this file keeps creating exactly these
tables however the schema changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "before_the_visit"
down_revision = "money_over_time"
branch_labels = None
depends_on = None

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
NEW_TABLES = ("eligibility_files", "eligibility_inquiries", "benefit_responses", "estimates")


def _tables() -> sa.MetaData:
    metadata = sa.MetaData(naming_convention=NAMING)
    sa.Table("runs", metadata, sa.Column("id", sa.Integer, primary_key=True))  # revision 1's
    sa.Table(
        "eligibility_files", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False, unique=True),
        sa.Column("interchange_control", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "eligibility_inquiries", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("eligibility_files.id"), nullable=False),
        sa.Column("trace", sa.String(50), nullable=False, unique=True),
        sa.Column("appointment_id", sa.String(40), nullable=False),
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("payer_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("date_of_service", sa.Date, nullable=False),
        sa.Column("service_types", sa.String(200), nullable=False),  # "30 98"
        sa.Index(None, "patient_id"),
    )
    sa.Table(
        "benefit_responses", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),  # the member's order in the file
        sa.Column("inquiry_id", sa.Integer, sa.ForeignKey("eligibility_inquiries.id")),
        sa.Column("trace", sa.String(50)),
        sa.Column("patient_id", sa.String(40)),
        sa.Column("payer_id", sa.String(80)),
        sa.Column("member_id", sa.String(80)),
        sa.Column("status", sa.String(12), nullable=False),  # active, inactive, rejected, unknown
        sa.Column("plan_begin", sa.Date),
        sa.Column("plan_end", sa.Date),
        sa.Column("date_of_service", sa.Date),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("detail", sa.JSON),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("content_sha256", "position"),
        sa.Index(None, "patient_id"),
    )
    sa.Table(
        "estimates", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("appointment_id", sa.String(40), nullable=False),
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("payer_id", sa.String(80)),  # NULL: self-pay
        sa.Column("date_of_service", sa.Date, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),  # estimated, self-pay, flagged
        sa.Column("charge_cents", sa.BigInteger, nullable=False),
        sa.Column("insurance_cents", sa.BigInteger),
        sa.Column("patient_cents", sa.BigInteger),
        sa.Column("collect_cents", sa.BigInteger),
        sa.Column("gfe_file", sa.String(255)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Index(None, "patient_id", "date_of_service"),
    )
    return metadata


def upgrade() -> None:
    metadata = _tables()
    bind = op.get_bind()
    for name in NEW_TABLES:
        metadata.tables[name].create(bind)


def downgrade() -> None:
    for name in reversed(NEW_TABLES):
        op.drop_table(name)
