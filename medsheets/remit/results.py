"""What a `remit` run did, claim by claim, for the terminal summary and the report workbook.

Posting fills these as it goes; nothing here touches the ledger or a file. Rows identify claims
by encounter id and account number only, and carry amounts and codes: the biller needs nothing
more to find the claim, and no patient name goes into a report row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from medsheets.model import Problem
from medsheets.remit.files import ReadTransaction, RemitFile
from medsheets.remit.records import ProviderAdjustment, Remittance, ServicePayment

POSTED, ALREADY_POSTED, REFUSED = "posted", "already posted", "refused"


@dataclass(frozen=True, slots=True)
class LineRow:
    """A line of the Payments sheet: what the payer did with one service line (or the claim)."""

    trace: str
    encounter_id: str
    account: str
    line_number: int | None  # our line; None for a claim without lines in the 835
    code: str
    modifiers: str
    service_date: dt.date | None
    charge: Decimal
    paid: Decimal
    adjusted: Decimal  # CO, OA, PI
    patient: Decimal  # PR
    result: str  # paid, denied line, claim denied, reversal, recorded only


@dataclass(frozen=True, slots=True)
class AdjustmentRow:
    """A line of the Adjustments sheet: one CAS reason, how it was posted, what it means."""

    trace: str
    encounter_id: str
    line_number: int | None
    group: str
    reason: str
    amount: Decimal
    posted_as: str  # written off, moved to the patient, not posted (denied), recorded only
    explanation: str
    remarks: str


@dataclass(slots=True)
class ClaimOutcome:
    """One CLP: our claim (None if unmatched), what happened, and its report rows."""

    trace: str
    patient_control_number: str
    status: str  # CLP02
    charge: Decimal
    paid: Decimal
    claim_id: int | None
    account: str = ""
    action: str = ""  # paid, partly paid, denied, reversed, forwarded, pended, unmatched
    reason_codes: str = ""
    explanation: str = ""
    lines: list[LineRow] = field(default_factory=list)
    adjustments: list[AdjustmentRow] = field(default_factory=list)
    unmatched_lines: list[ServicePayment] = field(default_factory=list)
    note: str = ""  # why it is unmatched, or what the reversal found
    clinician: str = ""  # the claim's rendering doctor, by name (or NPI), for the report


@dataclass
class RemittanceOutcome:
    """One 835 transaction: posted, already posted, or refused, with its claims."""

    transaction: ReadTransaction
    status: str
    remittance: Remittance | None
    claims: list[ClaimOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    earlier: str = ""  # for an already posted one: when

    @property
    def provider_adjustments(self) -> tuple[ProviderAdjustment, ...]:
        return self.remittance.provider_adjustments if self.remittance else ()

    @property
    def label(self) -> str:
        """`trace 123 (PAYER NAME)`, or the ST position when it could not be read."""
        if self.remittance is None:
            read = self.transaction
            return f"transaction {read.control_number} at segment {read.position}"
        payer = self.remittance.payer_name or self.remittance.payer_key
        return f"trace {self.remittance.trace_number} ({payer})"


@dataclass
class RemitResult:
    """A whole run: the files read, each remittance's outcome, the report written."""

    files: list[RemitFile] = field(default_factory=list)
    outcomes: list[RemittanceOutcome] = field(default_factory=list)
    report_file: Path | None = None
    restored_files: list[str] = field(default_factory=list)  # reports a killed run owed
    provider_explanations: dict[str, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        notes = [n for f in self.files for n in f.notes]
        return notes + [p for o in self.outcomes for p in o.problems]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def with_status(self, status: str) -> list[RemittanceOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def posted_claims(self) -> list[ClaimOutcome]:
        return [c for o in self.with_status(POSTED) for c in o.claims]
