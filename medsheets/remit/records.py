"""What an 835 remittance says, as plain immutable records (no ledger, no file).

The parser turns one ST..SE transaction into a `Remittance`; the balancing, matching and
posting stages read these records only. Every record keeps the position of the segment it came
from (1-based in the file, as the X12 reader counts), so a problem can name the segment a
person should look at. Money is Decimal; patient names and member IDs are never kept: the
835 carries them, but posting needs only our encounter id (CLP01) and line control numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# CLP02 claim status codes (005010X221A1) and what medsheets does with each.
PROCESSED = frozenset({"1", "2", "3"})  # processed as primary, secondary, tertiary
DENIED = "4"
FORWARDED = frozenset({"19", "20", "21"})  # processed, then forwarded to another payer
REVERSAL = "22"  # reversal of an earlier payment
NO_MONEY = frozenset({"23", "25"})  # not our claim (forwarded) / predetermination only
SECONDARY = frozenset({"2", "3", "20", "21"})
STATUS_CODES = PROCESSED | FORWARDED | NO_MONEY | {DENIED, REVERSAL}

ADJUSTMENT_GROUPS = frozenset({"CO", "OA", "PI", "PR"})


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS reason: group (CO, OA, PI, PR), CARC reason code, amount (may be negative)."""

    group: str
    reason: str
    amount: Decimal
    position: int
    quantity: Decimal | None = None

    @property
    def code(self) -> str:
        """The reason as billers write it: "CO-45"."""
        return f"{self.group}-{self.reason}"


@dataclass(frozen=True, slots=True)
class ServicePayment:
    """One SVC (loop 2110): the code paid, the charge, the payment, and what adjusted it.

    `original_code` / `original_modifiers` come from SVC06 when the payer changed the code it
    was billed under; `control_number` is REF*6R, our line control number if the payer echoed
    it. `service_date` is DTM*472 (else DTM*150). `remarks` are LQ*HE codes.
    """

    position: int
    qualifier: str
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal | None = None
    original_code: str = ""
    original_modifiers: tuple[str, ...] = ()
    service_date: dt.date | None = None
    control_number: str = ""
    allowed: Decimal | None = None
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()

    @property
    def billed_code(self) -> str:
        """The code we billed: SVC06's when the payer changed it, else SVC01's."""
        return self.original_code or self.code

    @property
    def billed_modifiers(self) -> tuple[str, ...]:
        return self.original_modifiers if self.original_code else self.modifiers


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    """One CLP (loop 2100) with its claim-level CAS and its service lines.

    `patient_control_number` is CLP01, the encounter id we sent in CLM01. `forwarded_to` is
    the crossover carrier's name (NM1*TT) when the payer passed the claim on.
    """

    position: int
    patient_control_number: str
    status: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal | None
    filing_indicator: str
    payer_claim_number: str
    adjustments: tuple[Adjustment, ...] = ()
    services: tuple[ServicePayment, ...] = ()
    remarks: tuple[str, ...] = ()
    forwarded_to: str = ""
    statement_date: dt.date | None = None

    @property
    def all_adjustments(self) -> tuple[Adjustment, ...]:
        """Claim-level and line-level CAS together."""
        return self.adjustments + tuple(a for s in self.services for a in s.adjustments)


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """One PLB reason/amount pair: money taken (positive) or added (negative) for the provider."""

    position: int
    reason: str
    reference: str
    amount: Decimal
    fiscal_period_date: dt.date | None = None


@dataclass(frozen=True)
class Remittance:
    """One 835 transaction: the payment (BPR), its trace (TRN), the payer, claims and PLBs.

    `payment` is BPR02 signed by BPR03 (a debit is negative). `payer_key` identifies the payer
    for duplicate detection: TRN03, else the payer's N1*PR id, else its name. `content_sha256`
    hashes the segments between ST and SE, so the same remittance re-sent under another
    control number is still recognised. `warnings` are tolerated oddities, worded for people.
    """

    file: str
    position: int  # of the ST
    control_number: str
    payment: Decimal
    handling: str  # BPR01: I remittance with payment, H notification only, C payment only ...
    method: str  # BPR04: ACH, CHK, NON, FWT, BOP
    payment_date: dt.date | None
    production_date: dt.date | None
    trace_number: str
    payer_key: str
    payer_name: str
    payer_id: str
    payee_name: str
    payee_npi: str
    content_sha256: str
    bpr_position: int
    claims: tuple[ClaimPayment, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def effective_date(self) -> dt.date | None:
        """The date money moved: BPR16, else the production date."""
        return self.payment_date or self.production_date
