"""`check --annotate OUT`: a copy of the workbook with every problem cell marked and explained.

The input is never modified: it is loaded with openpyxl (styles and comments need it; defusedxml
guards its XML parsing), each problem cell gets a fill and a comment, a `Problems` sheet lists
everything, and the copy is written atomically, owner-only, to OUT.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import defusedxml  # noqa: F401  (openpyxl uses defusedxml for its XML parsing when installed)
import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from medsheets.errors import BadFileError
from medsheets.files import atomic_path
from medsheets.model import Problem, Severity
from medsheets.workbook.writing import append_row

FILLS = {
    Severity.ERROR: PatternFill("solid", start_color="FFF4C7C3"),
    Severity.WARNING: PatternFill("solid", start_color="FFFFF2CC"),
}
PROBLEMS_SHEET = "Problems"
CODES_SHEET = "Codes"
CODES_HEADERS = ("type", "code", "description", "status", "lines", "encounters")


def annotate_workbook(source: Path, target: Path, problems: Sequence[Problem],
                      codes: Sequence[Sequence[object]] = ()) -> Path:
    """Write `target`: `source` with problem cells filled and commented, plus a Problems sheet
    and, given the day's codes (`codes.daycodes.DayCode` rows), a Codes sheet."""
    if source.resolve() == target.resolve():
        raise BadFileError(f"{target.name}: --annotate must name a new file, not the input workbook")
    book = openpyxl.load_workbook(source)
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        src = problem.source
        if src.file == source.name and src.sheet in book.sheetnames and src.cell:
            by_cell.setdefault((src.sheet, src.cell), []).append(problem)
    for (sheet, cell), cell_problems in by_cell.items():
        target_cell = book[sheet][cell]
        worst = Severity.ERROR if any(p.is_error for p in cell_problems) else Severity.WARNING
        target_cell.fill = FILLS[worst]
        text = "\n".join(f"{p.severity.value.upper()} {p.code}: {p.message}" for p in cell_problems)
        target_cell.comment = Comment(text, "medsheets", width=320, height=120)
    _problems_sheet(book, problems)
    if codes:
        _codes_sheet(book, codes)
    with atomic_path(target) as temp:
        book.save(temp)
    return target


def _problems_sheet(book: openpyxl.Workbook, problems: Sequence[Problem]) -> None:
    name = PROBLEMS_SHEET
    while name in book.sheetnames:
        name = f"medsheets {name}"
    sheet = book.create_sheet(name, 0)
    headers = ["file", "sheet", "cell", "severity", "code", "message"]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in problems:
        append_row(sheet, (p.source.file, p.source.sheet, p.source.cell or p.source.row,
                           p.severity.value, p.code, p.message))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in zip("ABCDEF", (22, 14, 8, 9, 18, 100)):
        sheet.column_dimensions[column].width = width


def _codes_sheet(book: openpyxl.Workbook, codes: Sequence[Sequence[object]]) -> None:
    """Every diagnosis and procedure of the day with its description, after the Problems sheet."""
    name = CODES_SHEET
    while name in book.sheetnames:
        name = f"medsheets {name}"
    sheet = book.create_sheet(name, 1)
    append_row(sheet, CODES_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in codes:
        append_row(sheet, tuple(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in zip("ABCDEF", (10, 10, 70, 24, 6, 40)):
        sheet.column_dimensions[column].width = width
