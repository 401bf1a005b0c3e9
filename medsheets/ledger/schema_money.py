"""Tables for money over time (revision money_over_time): patients' payment plans.

On the same `metadata` as schema.py, which imports this module. The same revision adds
`runs.as_of`, declared with the runs table in schema.py.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema_base import metadata

payment_plans = sa.Table(
    # A plan agreed with a patient: `installment_cents` due every period from `start_date`
    # (`frequency`: "monthly", or "every:N" days). A later plan of the same patient replaces
    # an earlier one from its own start.
    "payment_plans", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("installment_cents", sa.BigInteger, nullable=False),
    sa.Column("frequency", sa.String(20), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("patient_id", "start_date"),
)
