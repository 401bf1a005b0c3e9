"""The records a patient statement is built from and made of.

The ledger side (`Posting`, `ServiceFact`, `Recipient`, in medsheets.ledger.statements) is what
the statement reads; the statement side (`StatementRow`, `Aging`, `Account`, `Statement`) is
what a person sees. All are
immutable and picklable, so the same values can cross into the rendering worker processes, and
all money is Decimal: the template only formats it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from medsheets.config import PracticeInfo
from medsheets.guarantors import Addressee
from medsheets.ledger.statements import Recipient
from medsheets.money import ZERO


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One row of the statement's activity table: a service (or an account payment), what was
    charged, what insurance paid and adjusted, what the patient paid, and what is left.

    `balance` is the patient's part of what is left; `pending` is what a payer has yet to
    decide on (so charge - insurance_paid - adjustments - patient_paid = balance + pending).
    `reasons` says why the patient owes it, as the payer said: (label, amount) pairs. A line
    whose patient part a secondary insurance is still expected to pay shows it as `pending`
    under that payer's name, not as balance.
    """

    date: dt.date
    description: str
    code: str | None
    charge: Decimal
    insurance_paid: Decimal
    adjustments: Decimal
    patient_paid: Decimal
    balance: Decimal
    pending: Decimal = ZERO
    payer_name: str | None = None
    reasons: tuple[tuple[str, Decimal], ...] = ()
    self_pay: bool = False
    paid_by: tuple[str, ...] = ()  # the payers whose payments make up insurance_paid, in order


@dataclass(frozen=True, slots=True)
class Aging:
    """The patient balance by age: 0-30 days (current), 31-60, 61-90 and over 90."""

    current: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    over_90: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.current + self.days_31_60 + self.days_61_90 + self.over_90


@dataclass(frozen=True, slots=True)
class Account:
    """What one patient owes on a date and why.

    `rows` are the services and payments since the balance was last zero (after `zero_on`,
    None: ever); `earlier` is whatever part of `balance` those rows do not explain (usually
    0.00), so that the rows plus `earlier` always add up to `balance` to the cent.
    """

    patient_id: str
    balance: Decimal
    rows: tuple[StatementRow, ...]
    earlier: Decimal
    aging: Aging
    zero_on: dt.date | None
    reason_labels: tuple[str, ...] = ()

    @property
    def pending(self) -> Decimal:
        return sum((row.pending for row in self.rows), ZERO)


@dataclass(frozen=True, slots=True)
class Statement:
    """Everything one statement shows: the practice, the addressee, the account, its dates, its
    place in the dunning cycle (1 = first) and that position's message."""

    practice: PracticeInfo
    recipient: Recipient
    account: Account
    statement_date: dt.date
    due_date: dt.date
    cycle_position: int
    message: str
    file_stem: str
    estimated: tuple[tuple[dt.date, Decimal], ...] = ()  # (visit date, share estimated before it)
    installment: Decimal | None = None  # on a payment plan: what is due next, and when
    installment_due: dt.date | None = None
    guarantor: Addressee | None = None  # set when the statement is planned (one per guarantor)

    @property
    def amount_due(self) -> Decimal:
        return self.account.balance


@dataclass(frozen=True, slots=True)
class GuarantorStatement:
    """One statement document: every patient one guarantor answers for, each patient's own
    account under their name (`parts`, in account order), one total, one PDF, one email."""

    guarantor: Addressee
    parts: tuple[Statement, ...]
    file_stem: str

    @property
    def practice(self) -> PracticeInfo:
        return self.parts[0].practice

    @property
    def statement_date(self) -> dt.date:
        return self.parts[0].statement_date

    @property
    def due_date(self) -> dt.date:
        return self.parts[0].due_date

    @property
    def amount_due(self) -> Decimal:
        return sum((part.amount_due for part in self.parts), ZERO)

    @property
    def message(self) -> str:
        """The message of the part furthest along the dunning cycle."""
        return max(self.parts, key=lambda part: part.cycle_position).message

    @property
    def accounts(self) -> str:
        return ", ".join(part.recipient.account for part in self.parts)

    @property
    def aging(self) -> Aging:
        parts = [part.account.aging for part in self.parts]
        return Aging(*(sum((getattr(a, f) for a in parts), ZERO)
                       for f in ("current", "days_31_60", "days_61_90", "over_90")))

    @property
    def pending(self) -> Decimal:
        return sum((part.account.pending for part in self.parts), ZERO)
