"""Write the example workbooks the way a careful office keeps them in Excel.

The one module of the example generator that touches openpyxl. Codes, IDs and ZIPs are
written as text cells in columns formatted as Text, so Excel keeps the leading zeros when the
practice types its own rows below ours; dates are real Excel dates, money is a number with two
decimals. Output depends only on the rows given: the same rows always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from medsheets.workbook.table import Column
from medsheets.workbook.writing import append_row

# How each kind of column (workbook.cells.CONVERTERS) is formatted in Excel: the numeric
# kinds as numbers, every other kind (codes, IDs, ZIPs, names) as Text.
NUMBER_FORMATS = {"date": "mm/dd/yyyy", "money": "#,##0.00", "int": "0", "decimal": "General"}
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
FIXED_TIMESTAMP = dt.datetime(2026, 1, 1)


def new_workbook() -> Workbook:
    """An empty workbook with fixed document properties, so regenerating changes no metadata."""
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "medsheets"
    book.properties.created = FIXED_TIMESTAMP
    book.properties.modified = FIXED_TIMESTAMP
    return book


def add_table(
    book: Workbook,
    sheet_name: str,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    title: str | None = None,
) -> Worksheet:
    """A sheet with an optional title row, a header row of column names, then the rows."""
    sheet = book.create_sheet(sheet_name)
    if title:
        append_row(sheet, [title])
        sheet.cell(row=1, column=1).font = TITLE_FONT
    names = [c.name for c in columns]
    append_row(sheet, names)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    formats = [NUMBER_FORMATS.get(c.kind, TEXT_FORMAT) for c in columns]
    for values in rows:
        append_row(sheet, [values.get(name) for name in names])
        for cell, number_format in zip(sheet[sheet.max_row], formats):
            cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _fit_columns(sheet, names, header_row)
    return sheet


def _fit_columns(sheet: Worksheet, names: Sequence[str], header_row: int) -> None:
    """Widen each column to its longest entry (capped), as a person would before printing."""
    for index, name in enumerate(names, start=1):
        longest = len(name)
        for (value,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index,
                                        values_only=True):
            if value is not None:
                longest = max(longest, len(_shown(value)))
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, 48)


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return "00/00/0000"
    return str(value)


def save(book: Workbook, path: Path) -> None:
    """Save with fixed timestamps, so that regenerating an unchanged example gives the same
    bytes and the committed workbooks change in git only when their content does."""
    written = io.BytesIO()
    # What openpyxl's own save does, without stamping the document with the current time.
    ExcelWriter(book, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    stable = io.BytesIO()
    with zipfile.ZipFile(written) as source, \
            zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    path.write_bytes(stable.getvalue())
