"""People: patients, their guarantors (who receives the statements) and each payer's
coverage of them, as last billed, so a returning patient's row may leave the member ID blank.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema.base import metadata

GUARANTOR_SIZES = (("last_name", 120), ("first_name", 120), ("address", 200), ("city", 120),
                   ("state", 2), ("zip", 9), ("email", 254))

patients = sa.Table(
    "patients", metadata,
    sa.Column("patient_id", sa.String(40), primary_key=True),
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
    # Added by revision people: who receives the statements (blank: the default guarantor).
    *(sa.Column(f"guarantor_{name}", sa.String(size)) for name, size in GUARANTOR_SIZES),
)

coverages = sa.Table(
    # Added by revision people: a patient's insurance with each payer, as last billed, so
    # a returning patient's row may leave the member ID (and the subscriber) blank.
    "coverages", metadata,
    sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), primary_key=True),
    sa.Column("payer_id", sa.String(40), primary_key=True),
    sa.Column("member_id", sa.String(80)),
    sa.Column("group_number", sa.String(50)),
    sa.Column("subscriber_relationship", sa.String(10), nullable=False),
    sa.Column("subscriber_last_name", sa.String(120)),
    sa.Column("subscriber_first_name", sa.String(120)),
    sa.Column("subscriber_dob", sa.Date),
    sa.Column("subscriber_sex", sa.String(1)),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    # Revision coverage_rank: 1 primary, 2 secondary, 3 tertiary as the latest visit ranked
    # this insurance (NULL: not ranked now, or known from before the revision).
    sa.Column("rank", sa.Integer),
)
