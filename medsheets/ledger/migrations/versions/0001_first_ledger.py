"""The first ledger: runs, patients, claims and their lines, 837 batches, the journal.

Revision ID: 0001
Revises:
Create Date: 2026-01-01

Tables are spelled out here, not imported from the schema package: this file must keep
creating exactly the version-1 ledger however the schema changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

CONTROL_KINDS = ("interchange", "group", "transaction")


def upgrade() -> None:
    """Create the version-1 tables and the control-number counters, starting at zero."""
    _runs()
    _claims()
    _journal()
    counters = op.create_table(
        "control_numbers",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("last_value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_control_numbers")),
    )
    op.bulk_insert(counters, [{"kind": kind, "last_value": 0} for kind in CONTROL_KINDS])


def _runs() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("command", sa.String(40), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_table(
        "run_inputs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_inputs")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_run_inputs_run_id_runs")),
    )
    op.create_index(op.f("ix_run_inputs_run_id"), "run_inputs", ["run_id"])
    op.create_index(op.f("ix_run_inputs_sha256"), "run_inputs", ["sha256"])
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("interchange_control", sa.BigInteger, nullable=False),
        sa.Column("group_control", sa.BigInteger, nullable=False),
        sa.Column("first_transaction_control", sa.BigInteger, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_batches_run_id_runs")),
        sa.UniqueConstraint("file_name", name=op.f("uq_batches_file_name")),
    )


def _claims() -> None:
    op.create_table(
        "patients",
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("last_name", sa.String(120)),
        sa.Column("first_name", sa.String(120)),
        sa.Column("dob", sa.Date),
        sa.Column("sex", sa.String(1)),
        sa.Column("address", sa.String(200)),
        sa.Column("city", sa.String(120)),
        sa.Column("state", sa.String(2)),
        sa.Column("zip", sa.String(9)),
        sa.Column("email", sa.String(254)),
        sa.Column("phone", sa.String(40)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_patients")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("encounter_id", sa.String(20), nullable=False),
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("payer_id", sa.String(40)),
        sa.Column("member_id", sa.String(80)),
        sa.Column("date_of_service", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("frequency_code", sa.String(1), nullable=False),
        sa.Column("payer_claim_number", sa.String(50)),
        sa.Column("first_billed_at", sa.DateTime),
        sa.Column("batch_id", sa.Integer),
        sa.Column("source_file", sa.String(255), nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("encounter_id", name=op.f("uq_claims_encounter_id")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.patient_id"], name=op.f("fk_claims_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_claims_batch_id_batches")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_claims_run_id_runs")),
    )
    op.create_index(op.f("ix_claims_patient_id"), "claims", ["patient_id"])
    op.create_table(
        "claim_lines",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("claim_id", sa.Integer, nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("line_control_number", sa.String(50), nullable=False),
        sa.Column("procedure_code", sa.String(5), nullable=False),
        sa.Column("modifiers", sa.String(20), nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("charge_cents", sa.BigInteger, nullable=False),
        sa.Column("date_of_service", sa.Date, nullable=False),
        sa.Column("diagnosis_pointers", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_lines")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_lines_claim_id_claims")
        ),
        sa.UniqueConstraint(
            "line_control_number", name=op.f("uq_claim_lines_line_control_number")
        ),
        sa.UniqueConstraint(
            "claim_id", "line_number", name=op.f("uq_claim_lines_claim_id_line_number")
        ),
    )


def _journal() -> None:
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("claim_id", sa.Integer),
        sa.Column("claim_line_id", sa.Integer),
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("party", sa.String(8), nullable=False),
        sa.Column("payer_id", sa.String(40)),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("group_code", sa.String(2)),
        sa.Column("reason_code", sa.String(5)),
        sa.Column("reference", sa.String(80)),
        sa.Column("reverses_id", sa.Integer),
        sa.Column("posted_at", sa.DateTime, nullable=False),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_journal_run_id_runs")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_journal_claim_id_claims")),
        sa.ForeignKeyConstraint(
            ["claim_line_id"], ["claim_lines.id"], name=op.f("fk_journal_claim_line_id_claim_lines")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.patient_id"], name=op.f("fk_journal_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["journal.id"], name=op.f("fk_journal_reverses_id_journal")
        ),
        sa.CheckConstraint(
            "kind IN ('charge', 'payment', 'adjustment', 'writeoff', 'transfer')",
            name=op.f("ck_journal_kind"),
        ),
        sa.CheckConstraint("party IN ('payer', 'patient')", name=op.f("ck_journal_party")),
        sa.CheckConstraint(
            "party = 'patient' OR payer_id IS NOT NULL", name=op.f("ck_journal_payer_named")
        ),
        sa.CheckConstraint(
            "kind <> 'transfer' OR party = 'patient'", name=op.f("ck_journal_transfer_to_patient")
        ),
        sa.CheckConstraint(
            "kind <> 'transfer' OR payer_id IS NOT NULL",
            name=op.f("ck_journal_transfer_from_payer"),
        ),
    )


def downgrade() -> None:
    """Drop everything: only for a developer's scratch database, never a practice's ledger."""
    for table in ("journal", "claim_lines", "claims", "patients", "batches", "run_inputs",
                  "runs", "control_numbers"):
        op.drop_table(table)
