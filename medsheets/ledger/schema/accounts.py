"""A patient's account after billing: the statements sent (and each attempt to email one),
the payment plans agreed, and the accounts placed with a collection agency.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema.base import metadata

statements = sa.Table(
    # A patient statement produced: its date, amount and place in the dunning cycle, so the
    # next is a reminder and the aging can list accounts for collections. One per patient a day.
    "statements", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("statement_date", sa.Date, nullable=False),
    sa.Column("amount_due_cents", sa.BigInteger, nullable=False),
    sa.Column("cycle_position", sa.Integer, nullable=False),  # 1 = first statement
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # Added by revision people: the guarantor the statement went to (the statements of
    # every patient one guarantor answers for share it, and one PDF), and the day it was
    # marked mailed (a statement counts toward collections once emailed or mailed).
    sa.Column("guarantor_key", sa.String(200)),
    sa.Column("mailed_on", sa.Date),
    sa.UniqueConstraint("patient_id", "statement_date"),
)

email_log = sa.Table(
    # Every attempt to email a statement: when, the message id, the result. A statement with
    # a 'sent' row is never sent again; a failed one is retried by the next run.
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

collection_placements = sa.Table(
    # Accounts handed to a collection agency: their statements stop, the aging shows them apart.
    "collection_placements", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False,
              unique=True),
    sa.Column("placed_on", sa.Date, nullable=False),
    sa.Column("balance_cents", sa.BigInteger, nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
)
