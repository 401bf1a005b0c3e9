"""The one report-workbook writer: finished-looking reports, streamed to disk.

Every report medsheets writes goes through it: the aging workbook and the agency file, the
estimate, the remit report, the claims summary. A workbook is written in openpyxl's
write-only mode, so a Detail sheet of a million lines never sits in memory: each sheet is created up front (their order is the reading order) and
filled row by row. Each cell's look comes from a few shared styles (currency, date, percent,
bold totals); text typed by people is always stored as text, never as a formula. Every sheet
gets its widths, frozen header, filter and print setup (landscape, one page wide, header rows
repeated) before its first row, which write-only mode requires.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import ElementTree
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

from medsheets.files import atomic_path
from medsheets.workbook.sheet_rows import SheetRows

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'
FORMATS = {"money": MONEY, "date": "mm/dd/yyyy", "percent": "0.0%", "count": "#,##0",
           "decimal": "#,##0.0", "int": None, "text": None,
           # the plain look of the run reports (remit, claims): no currency sign, ISO dates
           "amount": "#,##0.00", "iso-date": "yyyy-mm-dd"}
MAX_ROWS = 1_048_576  # Excel's limit; a longer table continues on a sheet of its own
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
TOP_RULE = Border(top=Side(style="thin"))
CORE_PROPERTIES = "docProps/core.xml"
DC_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, how its cells look, its width in characters."""

    header: str
    kind: str = "text"  # a key of FORMATS
    width: float = 12.0
    align: str = ""  # "" (Excel's default for the kind) or "center"


class ReportBook:
    """A write-only workbook whose sheets exist from the start, in the order they are read."""

    def __init__(self, sheet_names: Sequence[str]) -> None:
        self.book = openpyxl.Workbook(write_only=True)
        self._sheets = {name: ReportSheet(self, self.book.create_sheet(name)) for name in sheet_names}
        self._styles: dict[tuple[str, str, str], Any] = {}

    def sheet(self, name: str) -> ReportSheet:
        return self._sheets[name]

    def add_sheet_after(self, name: str, after: str) -> ReportSheet:
        index = self.book.sheetnames.index(after) + 1
        self._sheets[name] = ReportSheet(self, self.book.create_sheet(name, index))
        return self._sheets[name]

    def style(self, kind: str, variant: str = "", align: str = "") -> Any:
        """A shared style array for (kind, variant, align); None for an unstyled cell."""
        key = (kind, variant, align)
        if key not in self._styles:
            fmt = FORMATS[kind]
            if fmt is None and not variant and not align:
                self._styles[key] = None
            else:
                cell = WriteOnlyCell(self.book.worksheets[0])
                if fmt:
                    cell.number_format = fmt
                _decorate(cell, variant)
                if align:
                    cell.alignment = Alignment(horizontal=align)
                self._styles[key] = cell._style
        return self._styles[key]

    def abandon(self) -> None:
        """Close and delete the sheets' temporary files after a failure (nothing is saved)."""
        for sheet in self._sheets.values():
            sheet.out.discard()
        for worksheet in self.book.worksheets:
            writer = getattr(worksheet, "_writer", None)  # openpyxl's per-sheet temporary file
            if writer is None:
                continue
            with contextlib.suppress(Exception):  # half-written: only the file matters now
                worksheet.close()
            Path(writer.out).unlink(missing_ok=True)

    def save(self, target: Path, *, title: str | None = None, identifier: str | None = None) -> Path:
        """Save atomically and owner-only; `identifier` goes in the document properties."""
        if title is not None:
            self.book.properties.title = title
        self.book.properties.creator = "medsheets"
        if identifier is not None:
            self.book.properties.identifier = identifier
        for sheet in self._sheets.values():
            sheet.out.close_into_sheet()
        with atomic_path(target) as temp:
            write_xlsx(self.book, temp)
        return target


def write_xlsx(book: openpyxl.Workbook, path: Path) -> None:
    """openpyxl's own save (`Workbook.save`), deflating at the fastest level: a report's XML
    repeats itself, so the file is a fifth bigger, and a big report's compression took a
    twentieth of a remittance run at the default level."""
    book.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    ExcelWriter(book, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                                      compresslevel=1)).save()


def _decorate(cell: Any, variant: str) -> None:
    if variant in ("bold", "total", "header", "header-nowrap"):
        cell.font = Font(bold=True)
    if variant == "total":
        cell.border = TOP_RULE
    if variant.startswith("header"):
        cell.fill = HEADER_FILL
        wrapped = variant == "header"  # a long unwrapped header reads from its left edge
        cell.alignment = Alignment(horizontal="center" if wrapped else "left", vertical="center",
                                   wrap_text=wrapped)
        cell.border = Border(bottom=Side(style="thin"))
    if variant == "title":
        cell.font = Font(bold=True, size=14)
    if variant == "note":
        cell.font = Font(italic=True, color="555555")


class ReportSheet:
    """One sheet, filled top to bottom. `row` is the number of the last row written.

    Rows are written as text by `sheet_rows.SheetRows` (openpyxl's cell objects cost more than
    all the rest of a big report); openpyxl keeps the sheet's frame: widths, panes, filter,
    print setup, charts."""

    def __init__(self, book: ReportBook, worksheet: Any) -> None:
        self.book = book
        self.ws = worksheet
        self.row = 0
        self.widths: Sequence[float] = ()
        self.out = SheetRows(worksheet)

    @property
    def title(self) -> str:
        return str(self.ws.title)

    def setup(self, widths: Sequence[float], *, header_row: int | None = None) -> None:
        """Widths, print setup, and (for a table whose header is `header_row`) frozen panes and
        the header repeated on every printed page."""
        self.widths = widths
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.page_margins.left = self.ws.page_margins.right = 0.4
        self.ws.oddFooter.center.text = "&A — page &P of &N"
        if header_row is not None:
            self.ws.freeze_panes = f"A{header_row + 1}"
            self.ws.print_title_rows = f"{header_row}:{header_row}"

    def table(self, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *,
              filter_when_empty: bool = False) -> int:
        """A sheet that is one table: its bold header in row 1 (frozen, repeated on printed
        pages), the rows streamed below typed by `columns`, a filter over them (over the header
        alone only if `filter_when_empty`). How many rows were written."""
        self.setup([c.width for c in columns], header_row=1)
        bold = self.book.style("text", "bold")
        self._append([(c.header, bold, False) for c in columns])
        written = self.rows(columns, rows)
        if written or filter_when_empty:
            self.filter(1, len(columns))
        return written

    def line(self, text: str = "", variant: str = "") -> None:
        """A row holding one piece of text in column A (a title, a note, a blank line)."""
        style = self.book.style("text", variant) if variant else None
        self._append([(text, style, False)] if text else [])

    def header(self, columns: Sequence[Column], wrap: bool = True) -> int:
        """The header row, tall enough for its wrapped headers (Excel does not grow it)."""
        lines = 1
        for header, width in zip((c.header for c in columns), self.widths) if wrap else ():
            lines = max(lines, -(-len(header) // max(int(width) - 1, 1)))
        height = self.out.height(self.row + 1, 13 * lines + 2) if lines > 1 else ""
        style = self.book.style("text", "header" if wrap else "header-nowrap")
        self._append([(c.header, style, False) for c in columns], height)
        return self.row

    def rows(self, columns: Sequence[Column], values: Iterable[Sequence[Any]],
             variant: str = "") -> int:
        """Append every row of `values`, typed by `columns`; how many were written."""
        convert = self.row_maker(columns, variant)
        write = self.out.write
        first = self.row
        for row in values:
            self.row += 1
            write(self.row, convert(row, self.row))
        return self.row - first

    def stream(self, columns: Sequence[Column], values: Iterator[Sequence[Any]],
               reserve: int = 0) -> bool:
        """Append rows until `values` ends (True) or the sheet is full but for `reserve` rows
        (False: the caller goes on with the same iterator on another sheet)."""
        convert = self.row_maker(columns)
        write = self.out.write
        last = MAX_ROWS - reserve
        if self.row >= last:
            return False
        for row in values:
            self.row += 1
            write(self.row, convert(row, self.row))
            if self.row == last:
                return False
        return True

    def formulas(self, cells: Sequence[Any], kinds: Sequence[str]) -> None:
        """A row of live formulas (text starting with '=' written on purpose) in italics."""
        self._append([(value, self.book.style(kind, "note"), True)
                      for value, kind in zip(cells, kinds)])

    def cells(self, cells: Sequence[tuple[Any, str]]) -> None:
        """A row of (value, kind) cells, a text starting with '=' being a live formula on
        purpose (medsheets' own, never text a person typed), styled by its kind."""
        made = []
        for value, kind in cells:
            if isinstance(value, str) and not value.startswith("="):
                made.append((value, None, False))
            else:
                made.append((value, self.book.style(kind), True))
        self._append(made)

    def bar_chart(self, *, title: str, anchor_row: int, series_rows: tuple[int, int],
                  series_in_rows: bool, data_cols: tuple[int, int], category_ref: tuple[int, int, int, int],
                  y_title: str) -> None:
        """A stacked column chart of the cells already written, anchored at `anchor_row`."""
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title, chart.y_axis.title = title, y_title
        chart.y_axis.numFmt = '"$"#,##0'
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.width, chart.height = 22, 7.5
        first_col = data_cols[0] - 1 if series_in_rows else data_cols[0]
        first_row = series_rows[0] if series_in_rows else series_rows[0] - 1
        data = Reference(self.ws, min_col=first_col, max_col=data_cols[1],
                         min_row=first_row, max_row=series_rows[1])
        chart.add_data(data, from_rows=series_in_rows, titles_from_data=True)
        min_col, min_row, max_col, max_row = category_ref
        chart.set_categories(Reference(self.ws, min_col=min_col, min_row=min_row,
                                       max_col=max_col, max_row=max_row))
        self.ws.add_chart(chart, f"A{anchor_row}")

    def filter(self, header_row: int, width: int, last_row: int | None = None) -> None:
        self.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{last_row or self.row}"

    def row_maker(self, columns: Sequence[Column],
                  variant: str = "") -> Callable[[Sequence[Any], int], str]:
        """A function turning a row of values (and its number) into the row's cells: numbers
        and dates styled by their column, text always text. One loop per row, no object per
        cell: this runs a million times."""
        out = self.out
        letters = out.letters(len(columns))
        writers = [out.column(self.book.style(c.kind, variant, c.align),
                              self.book.style("text", variant, c.align)) for c in columns]

        columns_at = list(zip(writers, letters))

        def make_row(values: Sequence[Any], number: int) -> str:
            at = str(number)
            return "".join([write(letter + at, value)
                            for (write, letter), value in zip(columns_at, values)
                            if value is not None])

        return make_row

    def _append(self, cells: Sequence[tuple[Any, Any, bool]], attributes: str = "") -> None:
        """A row of (value, style, formula allowed) cells."""
        self.row += 1
        at = str(self.row)
        letters = self.out.letters(len(cells))
        made = "".join(self.out.cell(letters[index] + at, value, style, formula)
                       for index, (value, style, formula) in enumerate(cells))
        self.out.write(self.row, made, attributes)


def read_identifier(path: Path) -> str | None:
    """The identifier a report was saved with (None if unreadable or absent), read cheaply."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read(CORE_PROPERTIES))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    found = root.find(DC_IDENTIFIER)
    return found.text if found is not None else None
