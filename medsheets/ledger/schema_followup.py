"""Tables for what happens after a claim is sent: answers from payers and the clearinghouse,
payments, statements to patients, and accounts placed with a collection agency.

They hang off the same `metadata` as schema.py (which imports this module), and revision 0003
creates them. Where a row carries free detail (a 999's segment position, a 277CA status), it
goes in a JSON `detail` column, so later features need no migration for a new key. Money is
integer cents; no column here holds a diagnosis.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.schema_base import metadata

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

journal_sources = sa.Table(
    # Which remittance claim (or payment import) a journal entry came from, so a reversal can
    # find exactly what to reverse. Kept apart because journal rows are never updated.
    "journal_sources", metadata,
    sa.Column("journal_id", sa.Integer, sa.ForeignKey("journal.id"), primary_key=True),
    sa.Column("remit_claim_id", sa.Integer, sa.ForeignKey("remit_claims.id")),
    sa.Column("payment_import_id", sa.Integer, sa.ForeignKey("payment_imports.id")),
    sa.Index(None, "remit_claim_id"),
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

# Columns 0003 adds to the first ledger's claims table (declared in schema.py):
#   claims.accepted_at     when the clearinghouse or payer first accepted the claim
#   claims.original_claim_id  for a corrected (7) or void (8) claim, the claim it replaces

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
