"""Writing cells so that text typed by people stays text.

openpyxl stores any string that starts with "=" as a formula: a patient named
`=HYPERLINK(...)` would become a live link in the practice's workbook. Every workbook medsheets
writes goes through `append_row`, which keeps strings as strings (Excel never evaluates a
stored string, whatever its first character).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

def as_text_cell(cell: Any) -> Any:
    """Force a string cell to be stored as a string, never as a formula."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append one row; strings that look like formulas are stored as plain text."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        as_text_cell(cell)


def write_only_row(sheet: Any, values: Iterable[Any], number_format: str | None = None) -> None:
    """Append to a write-only sheet with the same text guarantee."""
    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        as_text_cell(cell)
        if number_format and isinstance(value, Decimal):
            cell.number_format = number_format
        row.append(cell)
    sheet.append(row)
