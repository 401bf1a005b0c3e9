"""Runs and what they leave behind: each run of a command, the files it read, the control
numbers it took, the 837 batches and other files it owes (kept whole, so a file a killed run
never wrote is written by the next), the acknowledgement files read, and the practice the
ledger keeps the books of.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema.base import metadata

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("command", sa.String(40), nullable=False),
    sa.Column("status", sa.String(40), nullable=False),
    sa.Column("counts", sa.JSON, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("as_of", sa.Date),  # revision money_over_time: the day the run worked for
)

run_inputs = sa.Table(
    "run_inputs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False, index=True),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
)

control_numbers = sa.Table(
    "control_numbers", metadata,
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("last_value", sa.BigInteger, nullable=False),
)

# Revision folder_and_practice: the practice the ledger keeps the books of (one row), recorded
# at its first run, so that a second, different practice naming this ledger is refused.
ledger_practice = sa.Table(
    "ledger_practice", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("npi", sa.String(10), nullable=False),
    sa.Column("tax_id", sa.String(9), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)

batches = sa.Table(
    "batches", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False, unique=True),
    sa.Column("interchange_control", sa.BigInteger, nullable=False),
    sa.Column("group_control", sa.BigInteger, nullable=False),
    sa.Column("first_transaction_control", sa.BigInteger, nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # Revision folder_and_practice: the practice folder that wrote the file (its
    # .medsheets-folder id), so a lost file is restored only there; NULL for older batches.
    sa.Column("folder_id", sa.String(32)),
)

output_files = sa.Table(
    # Revision "followup". A file a run promised besides the 837 (CMS-1500 paper claims, 276
    # claim-status requests), kept as what it is made from (the forms' fields as JSON, the 276
    # text), so a run killed between its commit and the file's rename is finished by the next.
    "output_files", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # cms1500, 276
    sa.Column("folder", sa.String(20), nullable=False),  # under out/: claims, followup
    sa.Column("file_name", sa.String(255), nullable=False, unique=True),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("folder_id", sa.String(32)),  # revision folder_and_practice, as on batches
)

ack_files = sa.Table(
    # 999 and 277CA files read, by content hash: reading one again changes nothing.
    "ack_files", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("kind", sa.String(6), nullable=False),  # 999, 277CA
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("content_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("detail", sa.JSON),
    sa.Column("read_at", sa.DateTime, nullable=False),
)
