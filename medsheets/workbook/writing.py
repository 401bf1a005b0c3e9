"""Writing cells so that text typed by people stays text.

openpyxl stores any string that starts with "=" as a formula: a patient named
`=HYPERLINK(...)` would become a live link in the practice's workbook. Every workbook medsheets
writes goes through `append_row`, which keeps strings as strings (Excel never evaluates a
stored string, whatever its first character).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

def as_text_cell(cell: Any) -> Any:
    """Force a string cell to be stored as a string, never as a formula."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> int:
    """Append one row, strings that look like formulas stored as plain text; return its number.

    Cells are built here rather than fixed up afterwards: looking a row up by `max_row` scans
    every cell of the sheet, which made long reports quadratic.
    """
    sheet.append([_text_safe(sheet, value) for value in values])
    return int(sheet._current_row)


def _text_safe(sheet: Worksheet, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        return as_text_cell(Cell(sheet, value=value))
    return value


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
