"""Writing cells so that text typed by people stays text.

openpyxl stores any string that starts with "=" as a formula: a patient named
`=HYPERLINK(...)` would become a live link in the practice's workbook. Every workbook medsheets
writes in openpyxl's normal mode goes through `append_row`, which keeps strings as strings
(Excel never evaluates a stored string, whatever its first character); the streamed reports
get the same guarantee from the one report writer (report_book.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell
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
