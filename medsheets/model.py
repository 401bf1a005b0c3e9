"""The records medsheets passes between its stages.

Every stage between reading a file and writing one is a plain function over these immutable
records, so each can be tested without a file on disk. A record read from a workbook keeps
its `Origin` (file, sheet, row and the column of every field) from the moment it is read, so
that any later stage can point a person at the exact cell to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from itertools import chain


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: file name, sheet, 1-based row, column letter (None: whole row)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None  # medsheets' name for the column, e.g. "dx1"

    @property
    def cell(self) -> str | None:
        if self.column is None or self.row is None:
            return None
        return f"{self.column}{self.row}"

    def __str__(self) -> str:
        place = self.file
        if self.sheet is not None:
            place += f":{self.sheet}"
            if self.cell is not None:
                place += f"!{self.cell}"
            elif self.row is not None:
                place += f"!{self.row}:{self.row}"
        return place


@dataclass(frozen=True, slots=True)
class Origin:
    """The row a record was read from, and the column letter of each of its fields.

    One `columns` mapping is shared by every row of a table, so carrying the origin costs one
    small object per row rather than one per cell.
    """

    file: str
    sheet: str
    row: int
    columns: Mapping[str, str]

    def at(self, field_name: str | None = None) -> Source:
        """The source of one field's cell (or of the whole row when the field has no column)."""
        column = self.columns.get(field_name) if field_name else None
        return Source(self.file, self.sheet, self.row, column, field_name)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found in the data: where, a stable code, how bad, and a message that says the fix.

    Codes are stable identifiers (``MS-DX-HEADER``) that users and scripts may rely on;
    messages are for people and may change.
    """

    source: Source
    code: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{self.source}: {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.source.file,
            "sheet": self.source.sheet,
            "row": self.source.row,
            "column": self.source.column,
            "field": self.source.field,
            "cell": self.source.cell,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


def error(source: Source, code: str, message: str) -> Problem:
    return Problem(source, code, Severity.ERROR, message)


def warning(source: Source, code: str, message: str) -> Problem:
    return Problem(source, code, Severity.WARNING, message)


@dataclass(frozen=True, slots=True)
class Person:
    """A patient or subscriber: name, birth date, sex (M/F/U) and postal address."""

    last_name: str | None
    first_name: str | None
    dob: dt.date | None
    sex: str | None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None


@dataclass(frozen=True, slots=True)
class Guarantor:
    """Who receives the statements for a patient (SPEC §3 guarantor columns): name, address,
    email. A patient without one answers for themselves (or, as a minor, the parent who holds
    their insurance: `medsheets.guarantors`)."""

    last_name: str | None
    first_name: str | None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """A patient's insurance with one payer: member ID, group, who holds it (`subscriber` None
    when the patient does). What the ledger's patient profile remembers per payer, and a row's
    further insurance (the secondary, SPEC §3 `secondary_*` columns; the tertiary), billed only after the
    payer before it has adjudicated the claim (coordination of benefits)."""

    payer_id: str | None  # None only on a row whose secondary/tertiary cells lack the payer (held)
    member_id: str | None
    group_number: str | None = None
    subscriber_relationship: str = "self"
    subscriber: Person | None = None
    # In a patient profile: 1 the primary, 2 the secondary, 3 the tertiary insurance, as the
    # latest visit ranked it (None: not ranked now). Not part of what the insurance is.
    rank: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class PatientProfile:
    """What the ledger remembers of a patient between visits, to fill a row that leaves it out.

    `patient` the demographics, `email`/`phone` the contact, `coverages` the insurance by
    payer_id, `guarantor` an explicit guarantor (None: the default one). Every field is the
    latest a workbook said; a blank in a later workbook never erases it.
    """

    patient: Person
    email: str | None = None
    phone: str | None = None
    coverages: Mapping[str, Coverage] = field(default_factory=dict)
    guarantor: Guarantor | None = None
    ended_ranks: frozenset[int] = frozenset()  # a visit said: no such insurance any more (2)


@dataclass(frozen=True, slots=True)
class BilledLine:
    """A service line the ledger has already billed: its claim's encounter id, the patient, the
    date, the code and modifiers (what makes a line a duplicate of another)."""

    encounter_id: str
    patient_id: str
    date_of_service: dt.date
    procedure_code: str
    modifiers: frozenset[str]


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One row of an encounter workbook: one procedure on one date for one patient.

    Fields mirror docs/workbooks.md. Codes and IDs are text; money is Decimal; `diagnoses` holds dx1..dx4
    as written (upper case, no dot); `modifiers` holds modifier1..modifier4 without blanks.
    `charge` is the charge after defaulting to the fee schedule (None only when the code is
    unknown). `guarantor` is None when the row (and its Patients sheet) names none.
    `from_ledger` names the fields a blank cell took from the ledger's patient profile
    ("member_id", "patient.address"), so that a later change there is not taken for a change
    of the encounter. `origin` locates every field's cell.
    """

    origin: Origin
    encounter_id: str | None
    date_of_service: dt.date | None
    patient_id: str | None
    patient: Person
    patient_email: str | None
    patient_phone: str | None
    payer_id: str | None
    member_id: str | None
    group_number: str | None
    subscriber_relationship: str
    subscriber: Person | None
    procedure_code: str | None
    modifiers: tuple[str, ...]
    units: int | None
    charge: Decimal | None
    diagnoses: tuple[str, ...]
    place_of_service: str | None
    rendering_npi: str | None
    referring_npi: str | None
    referring_name: str | None
    prior_auth: str | None
    copay_collected: Decimal | None
    charge_from_fee_schedule: bool = False
    dx_text: str | None = None  # the provider's words for the visit, to suggest codes from
    guarantor: Guarantor | None = None
    from_ledger: frozenset[str] = frozenset()  # fields filled from the patient's profile
    secondary_ended: bool = False  # the row's secondary_payer_id says NONE: no secondary now
    secondary: Coverage | None = None
    # the third insurance (`tertiary_*` columns, medsheets' extension beyond SPEC §3), billed
    # after the secondary has adjudicated the claim
    tertiary: Coverage | None = None
    tertiary_ended: bool = False  # the row's tertiary_payer_id says NONE: no tertiary now

    @property
    def is_self_pay(self) -> bool:
        return not self.payer_id

    @property
    def secondary_payer_id(self) -> str | None:
        return self.secondary.payer_id if self.secondary is not None else None

    @property
    def secondary_member_id(self) -> str | None:
        return self.secondary.member_id if self.secondary is not None else None

    @property
    def tertiary_payer_id(self) -> str | None:
        return self.tertiary.payer_id if self.tertiary is not None else None

    @property
    def tertiary_member_id(self) -> str | None:
        return self.tertiary.member_id if self.tertiary is not None else None


@dataclass(frozen=True, slots=True)
class Encounter:
    """The service lines sharing one encounter_id: one claim to one payer (or a self-pay visit).

    Claim-level values (patient, payer, subscriber) come from the encounter's first line;
    `diagnoses` is the union of the lines' diagnoses in first-seen order, which the 837's HI
    segment carries and each line points into.
    """

    encounter_id: str
    lines: tuple[ServiceLine, ...]
    # Worked out once, as the encounter is made: the claim edits, the 837 and the ledger each
    # ask for it, several times per claim (safe to keep: the record and its lines are frozen).
    diagnoses: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "diagnoses", _claim_diagnoses(self.lines))

    @property
    def first(self) -> ServiceLine:
        return self.lines[0]

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge or Decimal(0) for line in self.lines), Decimal("0.00"))

    @property
    def is_self_pay(self) -> bool:
        return self.first.is_self_pay


def _claim_diagnoses(lines: tuple[ServiceLine, ...]) -> tuple[str, ...]:
    if len(lines) == 1:  # most claims: the line's own codes, unless one repeats
        codes = lines[0].diagnoses
        return codes if len(set(codes)) == len(codes) else tuple(dict.fromkeys(codes))
    return tuple(dict.fromkeys(chain.from_iterable([line.diagnoses for line in lines])))


@dataclass(frozen=True, slots=True)
class Procedure:
    """A row of the Procedures sheet: the fee schedule entry and its limits."""

    code: str
    description: str
    fee: Decimal
    type: str  # CPT or HCPCS
    effective: dt.date | None = None
    terminated: dt.date | None = None
    max_units: int | None = None
    sex: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    origin: Origin | None = None
    global_days: int | None = None  # surgical global period: 0, 10 or 90 (blank: none)

    def is_effective(self, day: dt.date) -> bool:
        if self.effective and day < self.effective:
            return False
        return not (self.terminated and day > self.terminated)


@dataclass(frozen=True, slots=True)
class Payer:
    """A row of the Payers sheet. `submission` is "electronic" (the 837) or "paper" (CMS-1500
    forms mailed to the address); `followup_days` is how long a claim may go without any answer
    before medsheets asks about it (a 276), None meaning the default of 30."""

    payer_id: str
    name: str
    claim_filing: str  # SBR09: MB Medicare B, MC Medicaid, CI commercial, HM HMO, ...
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    timely_filing_days: int | None = None
    allowed_percent: Decimal | None = None
    submission: str = "electronic"
    followup_days: int | None = None

    @property
    def on_paper(self) -> bool:
        return self.submission == "paper"


@dataclass(frozen=True, slots=True)
class Provider:
    """A row of the Providers sheet: a clinician of the practice or a referring doctor it knows.

    `first_name` blank means an organisation (NM102 = 2 on the claim); `taxonomy` is the
    provider's NUCC code (PRV*PE in 2310B), blank when unknown.
    """

    npi: str
    last_name: str
    first_name: str | None = None
    taxonomy: str | None = None

    @property
    def is_person(self) -> bool:
        return bool(self.first_name)

    @property
    def display_name(self) -> str:
        """"Last, First" for a person, the name alone for an organisation (reports, summaries)."""
        return f"{self.last_name}, {self.first_name}" if self.first_name else self.last_name


def provider_name(npi: str | None, providers: Mapping[str, Provider]) -> str:
    """The clinician's name for a report: "Last, First" from the Providers sheet, else the NPI
    (a doctor left off the sheet is still told apart); '' when no NPI is known."""
    if not npi:
        return ""
    listed = providers.get(npi)
    return listed.display_name if listed is not None else npi


@dataclass(frozen=True, slots=True)
class NcciEdit:
    """A row of the Edits sheet: column2 is not paid with column1 on the same day."""

    column1: str
    column2: str
    modifier_allowed: bool
    effective: dt.date | None = None
    deleted: dt.date | None = None

    def applies_on(self, day: dt.date) -> bool:
        if self.effective and day < self.effective:
            return False
        return not (self.deleted and day >= self.deleted)


@dataclass(frozen=True, slots=True)
class ContractRate:
    """A row of the FeeSchedule sheet: what `payer_id` allows for `code` (per unit) from
    `effective` on (None: always)."""

    payer_id: str
    code: str
    allowed: Decimal
    effective: dt.date | None = None


@dataclass(frozen=True)
class CodeSets:
    """The practice's code-set workbook (codesets.xlsx), indexed for look-up."""

    procedures: Mapping[str, Procedure]
    modifiers: Mapping[str, str]
    payers: Mapping[str, Payer]
    diagnoses: Mapping[str, str] = field(default_factory=dict)
    edits: tuple[NcciEdit, ...] = ()
    reason_codes: Mapping[str, str] = field(default_factory=dict)
    providers: Mapping[str, Provider] = field(default_factory=dict)
    # FeeSchedule: (payer_id, code) -> its rates, oldest effective date first
    contract_rates: Mapping[tuple[str, str], tuple[ContractRate, ...]] = field(default_factory=dict)
    status_codes: Mapping[str, str] = field(default_factory=dict)  # 277CA/277 words, by code

    def contract_rate(self, payer_id: str, code: str, day: dt.date) -> ContractRate | None:
        """The payer's allowed amount for `code` in force on `day`, if the sheet has one."""
        rates = [r for r in self.contract_rates.get((payer_id, code), ())
                 if r.effective is None or r.effective <= day]
        return rates[-1] if rates else None
