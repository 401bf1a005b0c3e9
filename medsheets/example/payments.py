"""The example practice's payments workbook: what the front desk took in after the visits.

Self-pay patients settle their visits (one in full by card, one by check for what the desk
copay did not cover) and one pays part of a balance on account, without naming a visit. The
amounts come from the same fee schedule and visits as the encounter workbooks, so they always
match what `medsheets claims` bills. The EOB sheet is there, empty, with its columns, for the
first paper EOB that arrives.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from medsheets.example import xlsx
from medsheets.example.rows import FEES, encounter_id
from medsheets.example.visits import DAYS, Visit
from medsheets.workbook.payments import (
    EOB_COLUMNS,
    EOB_SHEET,
    PATIENT_PAYMENT_COLUMNS,
    PATIENT_SHEET,
)

Row = dict[str, object]


def _visit(day_index: int, patient_id: str) -> tuple[int, Visit]:
    """The visit of `patient_id` on the example day, with its number that day (1-based)."""
    for number, visit in enumerate(DAYS[day_index], start=1):
        if visit.patient_id == patient_id:
            return number, visit
    raise LookupError(f"no example visit for {patient_id} on day {day_index + 1}")


def _owed(visit: Visit) -> Decimal:
    """What a self-pay visit leaves to pay: its charges less the copay taken at the desk."""
    charges = sum((FEES[line.code] * line.units for line in visit.lines), Decimal("0.00"))
    return charges - (visit.copay or Decimal("0.00"))


def payment_rows(days: tuple[dt.date, dt.date]) -> list[Row]:
    """The Patient Payments rows, dated the second example day."""
    cole_number, cole = _visit(0, "007402")
    kim_number, kim = _visit(0, "007310")
    return [
        {"date": days[1], "patient_id": "007402", "amount": _owed(cole), "method": "card",
         "reference": "R-1001", "encounter_id": encounter_id(days[0], cole_number)},
        {"date": days[1], "patient_id": "007310", "amount": _owed(kim), "method": "check",
         "reference": "CK-4417", "encounter_id": encounter_id(days[0], kim_number)},
        {"date": days[1], "patient_id": "008601", "amount": Decimal("40.00"), "method": "cash",
         "reference": "R-1002", "encounter_id": None},
    ]


def file_name(days: tuple[dt.date, dt.date]) -> str:
    return f"payments-{days[1].isoformat()}.xlsx"


def write_payments(folder: Path, days: tuple[dt.date, dt.date]) -> str:
    """Write the example payments workbook into `folder`; its path relative to the practice."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    book = xlsx.new_workbook()
    xlsx.add_table(book, PATIENT_SHEET, PATIENT_PAYMENT_COLUMNS, payment_rows(days),
                   "Payments received from patients: one row per receipt, check or card payment")
    xlsx.add_table(book, EOB_SHEET, EOB_COLUMNS, [],
                   "Paper EOBs: one row per service line (or per claim), up to three adjustments")
    xlsx.save(book, folder / file_name(days))
    return f"{folder.name}/{file_name(days)}"
