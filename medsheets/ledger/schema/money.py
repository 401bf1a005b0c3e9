"""Money: the append-only journal and where its entries came from, the payers' remittances
(835s, each claim and provider-level adjustment of them) and the payments posted from a
payments workbook.

Money columns hold integer cents (BigInteger), never REAL. Where a row carries free detail
it goes in a JSON `detail` column, so a later feature needs no migration for a new key.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema.base import metadata

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

journal_sources = sa.Table(
    # Which remittance claim (or payment import) a journal entry came from, so a reversal can
    # find exactly what to reverse. Kept apart because journal rows are never updated.
    "journal_sources", metadata,
    sa.Column("journal_id", sa.Integer, sa.ForeignKey("journal.id"), primary_key=True),
    sa.Column("remit_claim_id", sa.Integer, sa.ForeignKey("remit_claims.id")),
    sa.Column("payment_import_id", sa.Integer, sa.ForeignKey("payment_imports.id")),
    sa.Index(None, "remit_claim_id"),
)

remittances = sa.Table(
    # One 835 transaction (ST..SE) posted: the payer and its trace number identify it, so the
    # same remittance is never posted twice.
    "remittances", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("payer_key", sa.String(80), nullable=False),  # TRN03, else the payer's N1*PR id
    sa.Column("payer_name", sa.String(120)),
    sa.Column("trace_number", sa.String(80), nullable=False),  # TRN02
    sa.Column("content_sha256", sa.String(64), nullable=False),
    sa.Column("payment_cents", sa.BigInteger, nullable=False),  # BPR02
    sa.Column("payment_method", sa.String(3)),  # BPR04: ACH, CHK, NON, ...
    sa.Column("payment_date", sa.Date),  # BPR16
    sa.Column("detail", sa.JSON),
    sa.Column("posted_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("payer_key", "trace_number"),
)

remit_claims = sa.Table(
    # Each CLP of a posted remittance, matched to our claim or not (claim_id NULL): unmatched
    # items are listed, never dropped. A reversal (CLP02 = 22) finds the earlier posting here
    # by payer claim number.
    "remit_claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("remittance_id", sa.Integer, sa.ForeignKey("remittances.id"), nullable=False),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id")),
    sa.Column("patient_control_number", sa.String(38), nullable=False),  # CLP01
    sa.Column("status_code", sa.String(2), nullable=False),  # CLP02
    sa.Column("charge_cents", sa.BigInteger, nullable=False),  # CLP03
    sa.Column("paid_cents", sa.BigInteger, nullable=False),  # CLP04
    sa.Column("patient_responsibility_cents", sa.BigInteger),  # CLP05
    sa.Column("payer_claim_number", sa.String(50)),  # CLP07
    sa.Column("detail", sa.JSON),
    sa.Index(None, "claim_id"),
    sa.Index(None, "payer_claim_number"),
)

provider_adjustments = sa.Table(
    # PLB: money the payer adds or takes at the provider level (interest, recoupment,
    # forwarding balance): recorded and reported, never spread onto patients.
    "provider_adjustments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("remittance_id", sa.Integer, sa.ForeignKey("remittances.id"), nullable=False),
    sa.Column("reason_code", sa.String(2), nullable=False),  # PLB03-1: L6, WO, FB, CS, ...
    sa.Column("reference", sa.String(80)),  # PLB03-2
    sa.Column("amount_cents", sa.BigInteger, nullable=False),  # as the payer signs it
    sa.Column("fiscal_period_date", sa.Date),
)

payment_imports = sa.Table(
    # A patient payment or paper EOB row posted from a payments workbook, by its reference:
    # the same reference again is recognised and not posted twice.
    "payment_imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # patient, eob
    sa.Column("reference", sa.String(80), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("posted_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("kind", "reference"),
)
