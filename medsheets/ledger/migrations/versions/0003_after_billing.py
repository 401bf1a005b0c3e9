"""What follows billing: claim events, remittances, payments, acknowledgments, statements,
e-mail, collections; and two columns on claims (accepted_at, original_claim_id).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

The tables are spelled out here on a metadata of this revision's own (with the ledger's naming
convention), not imported from the schema modules, so this file keeps creating exactly the
revision-3 tables however the schema changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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
    # Stand-ins for the revision-1 tables the new ones refer to (not created here).
    for name, key in (("runs", "id"), ("claims", "id"), ("claim_lines", "id"), ("journal", "id")):
        sa.Table(name, metadata, sa.Column(key, sa.Integer, primary_key=True))
    sa.Table("patients", metadata, sa.Column("patient_id", sa.String(40), primary_key=True))
    sa.Table(
        "claim_events", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("claim_line_id", sa.Integer, sa.ForeignKey("claim_lines.id")),
        sa.Column("source", sa.String(12), nullable=False),  # 835, 999, 277CA, eob, resubmit, worklist
        sa.Column("event", sa.String(20), nullable=False),  # accepted, rejected, paid, denied, ...
        sa.Column("payer_id", sa.String(40)),
        sa.Column("payer_claim_number", sa.String(50)),
        sa.Column("reason_codes", sa.String(200)),  # "CO-16 N290" style, codes only
        sa.Column("detail", sa.JSON),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Index(None, "claim_id"),
    )
    sa.Table(
        "remittances", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("payer_key", sa.String(80), nullable=False),  # TRN03, else the payer's N1*PR id
        sa.Column("payer_name", sa.String(120)),
        sa.Column("trace_number", sa.String(80), nullable=False),  # TRN02
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("payment_cents", sa.BigInteger, nullable=False),  # BPR02
        sa.Column("payment_method", sa.String(3)),  # BPR04: ACH, CHK, NON, ...
        sa.Column("payment_date", sa.Date),  # BPR16
        sa.Column("detail", sa.JSON),
        sa.Column("posted_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("payer_key", "trace_number"),
    )
    sa.Table(
        "remit_claims", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("remittance_id", sa.Integer, sa.ForeignKey("remittances.id"), nullable=False),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id")),
        sa.Column("patient_control_number", sa.String(38), nullable=False),  # CLP01
        sa.Column("status_code", sa.String(2), nullable=False),  # CLP02
        sa.Column("charge_cents", sa.BigInteger, nullable=False),  # CLP03
        sa.Column("paid_cents", sa.BigInteger, nullable=False),  # CLP04
        sa.Column("patient_responsibility_cents", sa.BigInteger),  # CLP05
        sa.Column("payer_claim_number", sa.String(50)),  # CLP07
        sa.Column("detail", sa.JSON),
        sa.Index(None, "claim_id"),
        sa.Index(None, "payer_claim_number"),
    )
    sa.Table(
        "provider_adjustments", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("remittance_id", sa.Integer, sa.ForeignKey("remittances.id"), nullable=False),
        sa.Column("reason_code", sa.String(2), nullable=False),  # PLB03-1: L6, WO, FB, CS, ...
        sa.Column("reference", sa.String(80)),  # PLB03-2
        sa.Column("amount_cents", sa.BigInteger, nullable=False),  # as the payer signs it
        sa.Column("fiscal_period_date", sa.Date),
    )
    sa.Table(
        "journal_sources", metadata,
        sa.Column("journal_id", sa.Integer, sa.ForeignKey("journal.id"), primary_key=True),
        sa.Column("remit_claim_id", sa.Integer, sa.ForeignKey("remit_claims.id")),
        sa.Column("payment_import_id", sa.Integer, sa.ForeignKey("payment_imports.id")),
        sa.Index(None, "remit_claim_id"),
    )
    sa.Table(
        "payment_imports", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),  # patient, eob
        sa.Column("reference", sa.String(80), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("posted_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("kind", "reference"),
    )
    sa.Table(
        "ack_files", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("kind", sa.String(6), nullable=False),  # 999, 277CA
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("detail", sa.JSON),
        sa.Column("read_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "statements", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False),
        sa.Column("statement_date", sa.Date, nullable=False),
        sa.Column("amount_due_cents", sa.BigInteger, nullable=False),
        sa.Column("cycle_position", sa.Integer, nullable=False),  # 1 = first statement
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("patient_id", "statement_date"),
    )
    sa.Table(
        "email_log", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id"), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("attempted_at", sa.DateTime, nullable=False),
        sa.Column("message_id", sa.String(250)),
        sa.Column("result", sa.String(10), nullable=False),  # sent, failed
        sa.Column("detail", sa.String(250)),  # the server's reply or the error class, no PHI
        sa.Index(None, "statement_id"),
    )
    sa.Table(
        "collection_placements", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False,
              unique=True),
        sa.Column("placed_on", sa.Date, nullable=False),
        sa.Column("balance_cents", sa.BigInteger, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
    )
    return metadata


NEW_TABLES = ("claim_events", "remittances", "remit_claims", "provider_adjustments",
              "payment_imports", "journal_sources", "ack_files", "statements", "email_log",
              "collection_placements")


def upgrade() -> None:
    with op.batch_alter_table("claims") as claims:
        claims.add_column(sa.Column("accepted_at", sa.DateTime))
        claims.add_column(sa.Column("original_claim_id", sa.Integer))
    metadata = _tables()
    bind = op.get_bind()
    for name in NEW_TABLES:
        metadata.tables[name].create(bind)


def downgrade() -> None:
    for name in reversed(NEW_TABLES):
        op.drop_table(name)
    with op.batch_alter_table("claims") as claims:
        claims.drop_column("original_claim_id")
        claims.drop_column("accepted_at")
