"""The summary workbook written beside each claim batch: every claim, billed or held, and why.

The biller opens this after `medsheets claims` to see what went out and what must be fixed.
Account numbers and encounter ids identify claims; amounts are exact (Decimal cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from medsheets.files import atomic_path
from medsheets.workbook.writing import write_only_row

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
HEADERS = ("file", "encounter_id", "account", "date_of_service", "payer", "provider", "lines",
           "total", "status", "reasons")
WIDTHS = (22, 16, 12, 14, 14, 24, 7, 12, 16, 90)


@dataclass(frozen=True)
class SummaryRow:
    """One claim's line in the summary: where it came from, what it bills, what happened to it."""

    file: str
    encounter_id: str
    account: str | None
    date_of_service: object
    payer: str
    lines: int
    total: Decimal
    status: str  # billed, self-pay, already billed, held, changed since billed
    reasons: str = ""
    provider: str = ""  # the rendering clinician, "Last, First" from the Providers sheet


def write_claims_summary(target: Path, rows: Sequence[SummaryRow], batch_name: str | None) -> Path:
    """Claims and Totals sheets, streamed (write-only): a day of 33,000 claims stays quick."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Claims")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:J{len(rows) + 1}"
    write_only_row(sheet, HEADERS, font=BOLD)
    formats = {3: DATE_FORMAT, 7: MONEY_FORMAT}
    for row in rows:
        write_only_row(sheet, (row.file, row.encounter_id, row.account, row.date_of_service,
                               row.payer, row.provider, row.lines, row.total, row.status,
                               row.reasons), formats=formats)
    totals = book.create_sheet("Totals")
    write_only_row(totals, ("status", "claims", "total"), font=BOLD)
    for status in sorted({r.status for r in rows}):
        chosen = [r for r in rows if r.status == status]
        write_only_row(totals, (status, len(chosen), sum((r.total for r in chosen), Decimal("0.00"))),
                       formats={2: MONEY_FORMAT})
    write_only_row(totals, ("claim file", batch_name or "none written"))
    with atomic_path(target) as temp:
        book.save(temp)
    return target
