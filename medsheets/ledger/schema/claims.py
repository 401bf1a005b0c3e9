"""Claims and their lines as billed, the further insurances a claim names (coordination of
benefits) with each COB claim sent, and everything said about a claim after it was billed.

`claim_coverages` keeps, per claim, the secondary (rank 2) or tertiary (3) insurance the
encounter named: the claim's own row holds the primary. The secondary's payer claim number
(CLP07 of its 835) lives there, not on the claim, which keeps the primary's for a correction.
`cob_bills` has one row per COB claim sent: unique per (primary adjudication, rank), so a
secondary is billed once per adjudication of its primary.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema.base import metadata

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("encounter_id", sa.String(20), nullable=False, unique=True),
    sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("payer_id", sa.String(40)),
    sa.Column("member_id", sa.String(80)),
    sa.Column("date_of_service", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("frequency_code", sa.String(1), nullable=False),
    sa.Column("payer_claim_number", sa.String(50)),
    sa.Column("first_billed_at", sa.DateTime),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id")),
    sa.Column("source_file", sa.String(255), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    # Added by revision 0003:
    sa.Column("accepted_at", sa.DateTime),  # first accepted by the clearinghouse or payer
    sa.Column("original_claim_id", sa.Integer),  # for 7/8 claims: the claim replaced (no FK: SQLite cannot add one)
    sa.Column("rendering_npi", sa.String(10)),  # added by revision people: the claim's clinician
    sa.Index(None, "patient_id"),
)

claim_lines = sa.Table(
    "claim_lines", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("line_number", sa.Integer, nullable=False),
    sa.Column("line_control_number", sa.String(50), nullable=False, unique=True),
    sa.Column("procedure_code", sa.String(5), nullable=False),
    sa.Column("modifiers", sa.String(20), nullable=False),
    sa.Column("units", sa.Integer, nullable=False),
    sa.Column("charge_cents", sa.BigInteger, nullable=False),
    sa.Column("date_of_service", sa.Date, nullable=False),
    sa.Column("diagnosis_pointers", sa.String(20), nullable=False),
    sa.UniqueConstraint("claim_id", "line_number"),
)

claim_coverages = sa.Table(
    "claim_coverages", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),  # 2 secondary, 3 tertiary
    sa.Column("payer_id", sa.String(40), nullable=False),
    sa.Column("member_id", sa.String(80), nullable=False),
    sa.Column("group_number", sa.String(50)),
    sa.Column("relationship", sa.String(8), nullable=False),  # self, spouse, child, other
    sa.Column("subscriber_last_name", sa.String(120)),  # NULL when the patient is the insured
    sa.Column("subscriber_first_name", sa.String(120)),
    sa.Column("subscriber_dob", sa.Date),
    sa.Column("subscriber_sex", sa.String(1)),
    sa.Column("payer_claim_number", sa.String(50)),  # this payer's CLP07, once it answered
    sa.UniqueConstraint("claim_id", "rank"),
)

cob_bills = sa.Table(
    "cob_bills", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("payer_id", sa.String(40), nullable=False),
    # the adjudication of the payer before (its 835 CLP) this bill carries in 2320/2430
    sa.Column("remit_claim_id", sa.Integer, sa.ForeignKey("remit_claims.id"), nullable=False),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("frequency_code", sa.String(1), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("remit_claim_id", "rank"),
    sa.Index(None, "claim_id"),
)

claim_events = sa.Table(
    # Everything said about a claim after it was billed, newest last: accepted or rejected by
    # the clearinghouse (999/277CA), paid, denied, reversed or forwarded by the payer (835),
    # corrected or voided by us. The denial worklist and the KPIs read this table.
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
