"""The records that go into and come out of the ledger.

Callers never see a database row: they hand the ledger `JournalEntry` values and get back
`ClaimRow`, `LineRow` and `PostedEntry` values, all immutable, with money as Decimal. The
vocabularies (entry kinds, parties, claim statuses) are defined once here so that the schema's
CHECK constraints, the posting rules and the callers agree.

Sign conventions (the whole ledger follows them):

- every amount is stored as it was posted, in whole cents; a reversal is the same entry with
  the amount negated and `reverses_id` pointing at the original;
- a `charge` raises what is owed; a `payment`, `adjustment` or `writeoff` lowers it;
- `party` says whose responsibility an entry changes: the payer's or the patient's;
- a `transfer` is ONE entry with party ``patient``: its amount moves from the responsibility of
  the payer named by `payer_id` to the patient's (a negative amount moves it back). It does not
  change what is owed in total, only who owes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


class Kind(str, Enum):
    """What a journal entry records."""

    CHARGE = "charge"
    PAYMENT = "payment"
    ADJUSTMENT = "adjustment"
    WRITEOFF = "writeoff"
    TRANSFER = "transfer"


class Party(str, Enum):
    """Whose responsibility an entry changes."""

    PAYER = "payer"
    PATIENT = "patient"


class ClaimStatus(str, Enum):
    """Where a claim stands. Workflow state, not money: it may change; the journal may not."""

    BILLED = "billed"  # in an 837 batch, not yet acknowledged
    ACCEPTED = "accepted"  # accepted by the clearinghouse or payer (999/277CA)
    REJECTED = "rejected"  # rejected by the clearinghouse or payer; to be fixed and resent
    PAID = "paid"  # adjudicated with a payment
    DENIED = "denied"  # adjudicated without a payment
    VOID = "void"  # cancelled by a frequency-8 claim
    SELF_PAY = "self_pay"  # no payer: the patient is invoiced, nothing is sent


# Kinds that lower what is owed; everything else raises it (transfers only move it).
REDUCING_KINDS = (Kind.PAYMENT, Kind.ADJUSTMENT, Kind.WRITEOFF)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A financial event to post: who (party, payer, patient), what (kind, amount), on what.

    `run_id` is the run posting it. `claim_id` / `claim_line_id` are optional: an entry on a
    line belongs to that line's claim (the ledger fills `claim_id` in); an entry with neither
    is on the patient's account (e.g. an unapplied patient payment). `patient_id` may be left
    out when a claim is given. `group_code` and `reason_code` are the X12 CAS group (CO, PR,
    OA, PI) and reason (CARC); `reference` is a check or trace number, never patient data.
    """

    run_id: int
    kind: Kind
    party: Party
    amount: Decimal
    patient_id: str | None = None
    claim_id: int | None = None
    claim_line_id: int | None = None
    payer_id: str | None = None
    group_code: str | None = None
    reason_code: str | None = None
    reference: str | None = None
    effective_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PostedEntry:
    """A journal row as stored: the entry, its id, when it was posted, what it reverses."""

    id: int
    entry: JournalEntry
    posted_at: dt.datetime
    reverses_id: int | None


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A claim as the ledger knows it.

    `fingerprint` is the sha256 of the encounter's billable content when it was billed, so a
    changed encounter can be told from a re-run of the same one. `payer_id` is None for a
    self-pay visit. `batch_id` is the 837 batch that carried it (None if never sent).
    `rendering_npi` is the clinician of its first line (None on claims billed before it was kept).
    """

    id: int
    encounter_id: str
    patient_id: str
    payer_id: str | None
    member_id: str | None
    date_of_service: dt.date
    status: ClaimStatus
    fingerprint: str
    frequency_code: str
    payer_claim_number: str | None
    batch_id: int | None
    first_billed_at: dt.datetime | None
    source_file: str
    run_id: int
    rendering_npi: str | None = None  # the clinician (revision people), for reports to name


@dataclass(frozen=True, slots=True)
class LineRow:
    """A service line of a claim: its codes, its charge, and its line control number (REF*6R)."""

    id: int
    claim_id: int
    line_number: int
    line_control_number: str
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    date_of_service: dt.date
    diagnosis_pointers: tuple[int, ...]
