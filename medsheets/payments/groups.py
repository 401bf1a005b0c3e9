"""Payments rows grouped by reference: the unit that is posted, recognised, or held back.

A reference (receipt number, check or EFT number) may cover several rows: one check paying
several claims, one receipt split over two visits. All rows of a reference are posted together
or not at all, and the same reference is recognised on a later run by its fingerprint: the
sha256 of what the rows say (not where they sit in the sheet), so re-sorting a workbook changes
nothing while a changed amount is caught.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from medsheets.model import Origin, Problem
from medsheets.workbook.payments import EobRow, PatientPaymentRow

PATIENT, EOB, REFUND = "patient", "eob", "refund"
Row = TypeVar("Row", PatientPaymentRow, EobRow)


@dataclass
class RefGroup(Generic[Row]):
    """The rows of one kind sharing one reference in one workbook, in sheet order."""

    kind: str
    reference: str
    file: str
    rows: list[Row] = field(default_factory=list)

    @property
    def first(self) -> Origin:
        return self.rows[0].origin

    def fingerprint(self) -> str:
        contents = sorted(json.dumps(_content(row), sort_keys=True, default=str) for row in self.rows)
        return hashlib.sha256("\n".join(contents).encode()).hexdigest()


def _content(row: PatientPaymentRow | EobRow) -> dict[str, Any]:
    """What a row says, without its place in the sheet."""
    if isinstance(row, PatientPaymentRow):
        return {"date": row.date, "patient_id": row.patient_id, "amount": row.amount,
                "method": (row.method or "").lower(), "encounter_id": row.encounter_id or ""}
    return {"date": row.date, "payer_id": row.payer_id, "encounter_id": row.encounter_id,
            "line": row.line or "", "paid": row.paid,
            "adjustments": [[a.group, a.reason, a.amount] for a in row.adjustments]}


def group_rows(kind: str, file: str, rows: list[Row]) -> tuple[list[RefGroup[Row]], list[Row]]:
    """Groups by reference in first-seen order, and the rows that have no reference."""
    groups: dict[str, RefGroup[Row]] = {}
    unreferenced: list[Row] = []
    for row in rows:
        if not row.reference:
            unreferenced.append(row)
            continue
        groups.setdefault(row.reference, RefGroup(kind, row.reference, file)).rows.append(row)
    return list(groups.values()), unreferenced


def rows_with_errors(problems: list[Problem], data_rows: set[tuple[str, int]]) -> tuple[set[tuple[str, int]], set[str]]:
    """(sheet, row) of every data row with an error, and the sheets with an error outside their
    data rows (a duplicated header): every row of those is held back."""
    bad_rows: set[tuple[str, int]] = set()
    bad_sheets: set[str] = set()
    for problem in problems:
        if not problem.is_error or problem.source.sheet is None:
            continue
        place = (problem.source.sheet, problem.source.row or 0)
        if place in data_rows:
            bad_rows.add(place)
        else:
            bad_sheets.add(problem.source.sheet)
    return bad_rows, bad_sheets
