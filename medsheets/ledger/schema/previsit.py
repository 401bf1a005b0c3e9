"""The work before a visit: eligibility inquiries (270), the payers' answers (271) and the
estimates given to patients.

A 270 file's text is kept whole (`eligibility_files`), so a file lost before it reached the
clearinghouse is written again from the ledger. Each benefits answer keeps its figures in a
JSON `detail` (money as integer cents, never a name or a birth date), so that the estimate,
the claim check and the statement can read them later without the 271 file.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema.base import metadata

eligibility_files = sa.Table(
    # One 270 interchange written by an `eligibility` run.
    "eligibility_files", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False, unique=True),
    sa.Column("interchange_control", sa.Integer, nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

eligibility_inquiries = sa.Table(
    # One question in a 270: a patient, a payer, a date. The trace (TRN02) comes back on the 271.
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

benefit_responses = sa.Table(
    # One person answered for in a 271: matched to its inquiry by trace (inquiry_id NULL when
    # none matched), with the coverage status and the plan dates; the figures are in `detail`.
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

estimates = sa.Table(
    # What a patient was told a visit would cost them, per estimate run (the newest counts).
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
