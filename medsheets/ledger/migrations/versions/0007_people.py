"""The people on an account: guarantors, insurance remembered per payer, the claim's clinician,
and statements addressed to a guarantor and marked mailed.

Revision ID: people
Revises: followup
Create Date: 2026-12-01

patients gain the guarantor columns (SPEC §3; blank: the default guarantor); `coverages` holds
each patient's member ID, group and policy holder per payer as last billed, so a returning
patient's row may leave them blank; claims gain rendering_npi (reports name the doctor);
statements gain guarantor_key (the statements one guarantor receives together share it) and
mailed_on (a statement counts toward collections once emailed or marked mailed).
The new table is spelled out here rather than imported, so this file keeps meaning what it did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "people"
down_revision = "followup"
branch_labels = None
depends_on = None

GUARANTOR_SIZES = (("last_name", 120), ("first_name", 120), ("address", 200), ("city", 120),
                   ("state", 2), ("zip", 9), ("email", 254))


def upgrade() -> None:
    with op.batch_alter_table("patients") as patients:
        for name, size in GUARANTOR_SIZES:
            patients.add_column(sa.Column(f"guarantor_{name}", sa.String(size)))
    with op.batch_alter_table("claims") as claims:
        claims.add_column(sa.Column("rendering_npi", sa.String(10)))
    with op.batch_alter_table("statements") as statements:
        statements.add_column(sa.Column("guarantor_key", sa.String(200)))
        statements.add_column(sa.Column("mailed_on", sa.Date))
    op.create_table(
        "coverages",
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("payer_id", sa.String(40), nullable=False),
        sa.Column("member_id", sa.String(80)),
        sa.Column("group_number", sa.String(50)),
        sa.Column("subscriber_relationship", sa.String(10), nullable=False),
        sa.Column("subscriber_last_name", sa.String(120)),
        sa.Column("subscriber_first_name", sa.String(120)),
        sa.Column("subscriber_dob", sa.Date),
        sa.Column("subscriber_sex", sa.String(1)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.patient_id"],
                                name="fk_coverages_patient_id_patients"),
        sa.PrimaryKeyConstraint("patient_id", "payer_id", name="pk_coverages"),
    )


def downgrade() -> None:
    op.drop_table("coverages")
    with op.batch_alter_table("statements") as statements:
        statements.drop_column("mailed_on")
        statements.drop_column("guarantor_key")
    with op.batch_alter_table("claims") as claims:
        claims.drop_column("rendering_npi")
    with op.batch_alter_table("patients") as patients:
        for name, _ in reversed(GUARANTOR_SIZES):
            patients.drop_column(f"guarantor_{name}")
