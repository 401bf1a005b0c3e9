"""The ledger's tables, as SQLAlchemy Core objects the queries are written against.

This is the schema at the newest migration, one module per concept: `runs` (runs and the
files they read, owe and keep), `people` (patients, guarantors, coverages), `claims` (claims,
lines, further insurances, COB bills, claim events), `money` (journal, remittances, payment
imports), `accounts` (statements, email, payment plans, collections) and `previsit`
(eligibility, benefits, estimates). All hang off the one `metadata` of `base`; importing this
package registers every table, so `metadata` is the whole newest schema. Queries import the
tables from here (`from medsheets.ledger.schema import claims`), never from a concept module.

The migrations in `migrations/versions` are what actually create and change a database; they
spell their tables out rather than importing this package, so that an old migration keeps
meaning what it meant when it was written. A test compares a migrated database with this
metadata so the two cannot drift apart.

Money columns hold integer cents (BigInteger), never REAL. Every timestamp is UTC, stored
without a zone so SQLite and PostgreSQL read it back the same way. No column holds a diagnosis.
"""

from __future__ import annotations

from medsheets.ledger.schema.accounts import (
    collection_placements,
    email_log,
    payment_plans,
    statements,
)
from medsheets.ledger.schema.base import NAMING, metadata
from medsheets.ledger.schema.claims import (
    claim_coverages,
    claim_events,
    claim_lines,
    claims,
    cob_bills,
)
from medsheets.ledger.schema.money import (
    journal,
    journal_sources,
    payment_imports,
    provider_adjustments,
    remit_claims,
    remittances,
)
from medsheets.ledger.schema.people import GUARANTOR_SIZES, coverages, patients
from medsheets.ledger.schema.previsit import (
    benefit_responses,
    eligibility_files,
    eligibility_inquiries,
    estimates,
)
from medsheets.ledger.schema.runs import (
    ack_files,
    batches,
    control_numbers,
    ledger_practice,
    output_files,
    run_inputs,
    runs,
)

__all__ = [
    "GUARANTOR_SIZES",
    "NAMING",
    "ack_files",
    "batches",
    "benefit_responses",
    "claim_coverages",
    "claim_events",
    "claim_lines",
    "claims",
    "cob_bills",
    "collection_placements",
    "control_numbers",
    "coverages",
    "eligibility_files",
    "eligibility_inquiries",
    "email_log",
    "estimates",
    "journal",
    "journal_sources",
    "ledger_practice",
    "metadata",
    "output_files",
    "patients",
    "payment_imports",
    "payment_plans",
    "provider_adjustments",
    "remit_claims",
    "remittances",
    "run_inputs",
    "runs",
    "statements",
]
