"""Writing cells so that text typed by people stays text.

openpyxl stores any string that starts with "=" as a formula: a patient named
`=HYPERLINK(...)` would become a live link in the practice's workbook. Every workbook medsheets
writes goes through `append_row`, which keeps strings as strings (Excel never evaluates a
stored string, whatever its first character).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

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


def write_only_row(sheet: Any, values: Iterable[Any], number_format: str | None = None,
                   formats: Mapping[int, str] | None = None, font: Any = None) -> None:
    """Append to a write-only sheet with the same text guarantee.

    `number_format` applies to every Decimal; `formats` to the columns it names (0-based).
    Plain values go in as they are; only a value that needs a style or the text guarantee is
    wrapped in a cell, which keeps long reports fast.
    """
    row: list[Any] = []
    for index, value in enumerate(values):
        style = formats.get(index) if formats else None
        if style is None and number_format and isinstance(value, Decimal):
            style = number_format
        needs_text = isinstance(value, str) and value.startswith("=")
        if style is None and font is None and not needs_text:
            row.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        as_text_cell(cell)
        if style is not None:
            cell.number_format = style
        if font is not None:
            cell.font = font
        row.append(cell)
    sheet.append(row)
