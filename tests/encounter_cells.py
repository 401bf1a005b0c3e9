"""Read and change cells of an encounter workbook by data row and column name, as a user would."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from medsheets.workbook.table import header_key


def _locate(sheet: Worksheet) -> tuple[int, dict[str, int]]:
    header = next(r for r in range(1, 10)
                  if "encounterid" in [header_key(str(c.value or "")) for c in sheet[r]])
    return header, {header_key(str(c.value)): c.column for c in sheet[header] if c.value}


def edit_cells(source: Path, changes: dict[tuple[int, str], object], target: Path | None = None) -> Path:
    """Write `source` (or a copy at `target`) with cells replaced: (data row index, column) -> value."""
    book = openpyxl.load_workbook(source)
    sheet = book["Encounters"]
    header, columns = _locate(sheet)
    for (index, name), value in changes.items():
        sheet.cell(header + index, columns[header_key(name)]).value = value
    book.save(target or source)
    return target or source


def cell_value(path: Path, index: int, name: str) -> object:
    sheet = openpyxl.load_workbook(path)["Encounters"]
    header, columns = _locate(sheet)
    return sheet.cell(header + index, columns[header_key(name)]).value
