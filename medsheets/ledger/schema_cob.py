"""Tables for coordination of benefits (revision secondary_insurance): a claim's further
insurances, and each COB claim billed to one of them after the payer before adjudicated it.

`claim_coverages` keeps, per claim, the secondary (rank 2) or tertiary (3) insurance the
encounter named: the claim's own row holds the primary. The secondary's payer claim number
(CLP07 of its 835) lives here, not on the claim, which keeps the primary's for a correction.
`cob_bills` has one row per COB claim sent: unique per (primary adjudication, rank), which is
SPEC §5's "a secondary is billed once per adjudication of its primary".
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema_base import metadata

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
