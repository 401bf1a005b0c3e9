"""The payments workbook (docs/payments.md) read into records: patient payments, paper EOBs,
refunds.

Three sheets, each optional but not all: `Patient Payments` (one row per payment received from
a patient), `EOB` (one row per service line of a paper explanation of benefits, or per
claim when the EOB gives no line detail, with up to three adjustments) and `Refunds` (money
paid back to a patient out of a credit balance). Reading only: each row
becomes a record with typed values and its origin, and every cell that cannot be read becomes
a Problem; whether the values make sense is `medsheets.payments`' business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from medsheets.errors import BadFileError
from medsheets.model import Origin, Problem
from medsheets.workbook.table import Column, Workbook

PATIENT_SHEET = "Patient Payments"
EOB_SHEET = "EOB"
REFUND_SHEET = "Refunds"
PLANS_SHEET = "Plans"
ADJUSTMENTS = 3  # group1/reason1/adjustment1 .. group3/reason3/adjustment3

PATIENT_PAYMENT_COLUMNS: tuple[Column, ...] = (
    Column("date", "date", required=True),
    Column("patient_id", "account", required=True),
    Column("amount", "money", required=True),
    Column("method", "text", required=True),
    Column("reference", "account", required=True),
    Column("encounter_id", "text"),
)

REFUND_COLUMNS = PATIENT_PAYMENT_COLUMNS[:5]  # date, patient_id, amount, method, reference

PLAN_COLUMNS: tuple[Column, ...] = (
    Column("patient_id", "account", required=True),
    Column("start", "date", required=True),
    Column("installment", "money", required=True),
    Column("frequency", "text", required=True),
)

EOB_COLUMNS: tuple[Column, ...] = (
    Column("reference", "account", required=True),
    Column("date", "date", required=True),
    Column("payer_id", "code", required=True),
    Column("encounter_id", "text", required=True),
    Column("line", "account"),
    Column("paid", "money", required=True),
    *(column for n in range(1, ADJUSTMENTS + 1) for column in (
        Column(f"group{n}", "code"), Column(f"reason{n}", "code"), Column(f"adjustment{n}", "money"))),
)

# Headers people write for these columns, besides medsheets' own names.
BUILT_IN_ALIASES = {"payer": "payer_id", "check": "reference", "check_number": "reference",
                    "receipt": "reference", "paid_amount": "paid"}


@dataclass(frozen=True, slots=True)
class PatientPaymentRow:
    """A row of the Patient Payments sheet (or of Refunds, encounter_id None); None where the
    cell was blank or unreadable."""

    origin: Origin
    date: dt.date | None
    patient_id: str | None
    amount: Decimal | None
    method: str | None
    reference: str | None
    encounter_id: str | None


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A row of the Plans sheet: a payment plan agreed with a patient."""

    origin: Origin
    patient_id: str | None
    start: dt.date | None
    installment: Decimal | None
    frequency: str | None


@dataclass(frozen=True, slots=True)
class AdjustmentCells:
    """One group/reason/adjustment triple of an EOB row (`number` 1..3), as typed."""

    number: int
    group: str | None
    reason: str | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class EobRow:
    """A row of the EOB sheet: which claim (and line: a line number, a procedure code, or blank
    for the whole claim), what the payer paid, and the adjustments it made."""

    origin: Origin
    reference: str | None
    date: dt.date | None
    payer_id: str | None
    encounter_id: str | None
    line: str | None
    paid: Decimal | None
    adjustments: tuple[AdjustmentCells, ...]


@dataclass
class PaymentsWorkbook:
    """What one payments workbook holds, and every problem reading it."""

    file: str
    patient_rows: list[PatientPaymentRow] = field(default_factory=list)
    eob_rows: list[EobRow] = field(default_factory=list)
    refund_rows: list[PatientPaymentRow] = field(default_factory=list)
    plan_rows: list[PlanRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # sheet -> medsheets' column -> the header typed: later messages use the user's words
    headers: dict[str, Mapping[str, str]] = field(default_factory=dict)


def read_payments_workbook(path: Path, aliases: Mapping[str, str] | None = None) -> PaymentsWorkbook:
    """Read the `Patient Payments`, `EOB` and `Refunds` sheets; BadFileError when it has none."""
    book = Workbook(path)
    result = PaymentsWorkbook(book.name)
    names = {**BUILT_IN_ALIASES, **(aliases or {})}
    patient_sheet = book.find_sheet(PATIENT_SHEET, fallback_to_first=False)
    eob_sheet = book.find_sheet(EOB_SHEET, fallback_to_first=False)
    refund_sheet = book.find_sheet(REFUND_SHEET, fallback_to_first=False)
    plans_sheet = book.find_sheet(PLANS_SHEET, fallback_to_first=False)
    if patient_sheet is None and eob_sheet is None and refund_sheet is None and plans_sheet is None:
        raise BadFileError(f"{book.name}: has no '{PATIENT_SHEET}', '{EOB_SHEET}' or "
                           f"'{REFUND_SHEET}' sheet; is it a payments workbook? (see docs/payments.md)")
    if patient_sheet is not None:
        table = book.read_table(patient_sheet, PATIENT_PAYMENT_COLUMNS, names)
        result.problems += table.problems
        result.headers[patient_sheet] = table.headers
        result.patient_rows = [_patient_row(origin, values) for origin, values in table.rows]
    if eob_sheet is not None:
        table = book.read_table(eob_sheet, EOB_COLUMNS, names)
        result.problems += table.problems
        result.headers[eob_sheet] = table.headers
        result.eob_rows = [_eob_row(origin, values) for origin, values in table.rows]
    if refund_sheet is not None:
        table = book.read_table(refund_sheet, REFUND_COLUMNS, names)
        result.problems += table.problems
        result.headers[refund_sheet] = table.headers
        result.refund_rows = [_patient_row(origin, values) for origin, values in table.rows]
    if plans_sheet is not None:
        table = book.read_table(plans_sheet, PLAN_COLUMNS, names)
        result.problems += table.problems
        result.headers[plans_sheet] = table.headers
        result.plan_rows = [PlanRow(origin, v.get("patient_id"), v.get("start"), v.get("installment"),
                                    v.get("frequency")) for origin, v in table.rows]
    return result


def _patient_row(origin: Origin, v: Mapping[str, Any]) -> PatientPaymentRow:
    return PatientPaymentRow(origin, v.get("date"), v.get("patient_id"), v.get("amount"),
                             v.get("method"), v.get("reference"), v.get("encounter_id"))


def _eob_row(origin: Origin, v: Mapping[str, Any]) -> EobRow:
    triples = tuple(
        AdjustmentCells(n, v.get(f"group{n}"), v.get(f"reason{n}"), v.get(f"adjustment{n}"))
        for n in range(1, ADJUSTMENTS + 1)
    )
    return EobRow(origin, v.get("reference"), v.get("date"), v.get("payer_id"),
                  v.get("encounter_id"), v.get("line"), v.get("paid"),
                  tuple(t for t in triples if t.group or t.reason or t.amount is not None))
