"""The ledger's tables, as SQLAlchemy Core objects the queries are written against.

This is the schema at the newest migration. The migrations in `migrations/versions` are what
actually create and change a database; they spell their tables out rather than importing this
module, so that an old migration keeps meaning what it meant when it was written. A test
compares a migrated database with this metadata so the two cannot drift apart.

Money columns hold integer cents (BigInteger), never REAL. Every timestamp is UTC, stored
without a zone so SQLite and PostgreSQL read it back the same way.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema_base import NAMING, metadata  # noqa: F401  (re-exported)

GUARANTOR_SIZES = (("last_name", 120), ("first_name", 120), ("address", 200), ("city", 120),
                   ("state", 2), ("zip", 9), ("email", 254))

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

# Revision folder_and_practice: the practice the ledger keeps the books of (one row), recorded
# at its first run, so that a second, different practice naming this ledger is refused.
ledger_practice = sa.Table(
    "ledger_practice", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("npi", sa.String(10), nullable=False),
    sa.Column("tax_id", sa.String(9), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)

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

journal = sa.Table(
    "journal", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id")),
    sa.Column("claim_line_id", sa.Integer, sa.ForeignKey("claim_lines.id")),
    sa.Column("patient_id", sa.String(40), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("party", sa.String(8), nullable=False),
    sa.Column("payer_id", sa.String(40)),
    sa.Column("amount_cents", sa.BigInteger, nullable=False),
    sa.Column("group_code", sa.String(2)),
    sa.Column("reason_code", sa.String(5)),
    sa.Column("reference", sa.String(80)),
    sa.Column("reverses_id", sa.Integer, sa.ForeignKey("journal.id")),
    sa.Column("posted_at", sa.DateTime, nullable=False),
    sa.Column("effective_date", sa.Date, nullable=False),
    sa.CheckConstraint(
        "kind IN ('charge', 'payment', 'adjustment', 'writeoff', 'transfer')", name="kind"
    ),
    sa.CheckConstraint("party IN ('payer', 'patient')", name="party"),
    sa.CheckConstraint("party = 'patient' OR payer_id IS NOT NULL", name="payer_named"),
    sa.CheckConstraint("kind <> 'transfer' OR party = 'patient'", name="transfer_to_patient"),
    sa.CheckConstraint("kind <> 'transfer' OR payer_id IS NOT NULL", name="transfer_from_payer"),
    # Added by revision 0002: look-ups for balances, and at most one reversal per entry.
    sa.Index(None, "claim_id"),
    sa.Index(None, "claim_line_id"),
    sa.Index(None, "patient_id"),
    sa.Index(None, "payer_id"),
    sa.Index(None, "reverses_id", unique=True),
)

# The tables for what follows billing (revision 0003) live in their own module on the same
# metadata; importing it here makes `metadata` the whole newest schema.
from medsheets.ledger import schema_followup  # noqa: F401
from medsheets.ledger.schema_followup import *
from medsheets.ledger import schema_money  # noqa: F401,E402
from medsheets.ledger.schema_money import *  # noqa: F401,F403,E402
from medsheets.ledger import schema_previsit  # noqa: E402,F401
from medsheets.ledger.schema_previsit import *  # noqa: E402,F403
from medsheets.ledger import schema_cob  # noqa: E402,F401  (revision secondary_insurance)
from medsheets.ledger.schema_cob import *  # noqa: E402,F401,F403
