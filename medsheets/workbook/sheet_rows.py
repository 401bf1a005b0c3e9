"""A report sheet's rows written as SpreadsheetML text, without a cell object per cell.

openpyxl, even in write-only mode, builds a cell object and an lxml element for every cell
(about 12 µs each): for the remit report of a billing company's month (45,000 rows) that was
two thirds of `medsheets remit`. Here each row becomes one string, the cell exactly as openpyxl
writes it (`<c r= s= t=>`, text as an inline string, never a formula), and goes to an anonymous
temporary file. Everything else of the workbook (styles, widths, frozen panes, filter, print
setup, charts, properties) stays openpyxl's: when the sheet is closed openpyxl writes it with an
empty `<sheetData>`, and the rows are put in its place before the sheet goes into the zip.

Numbers are written as openpyxl writes them (16 significant digits), a Decimal from its own
decimal digits, never through float. A value of a kind this module does not know (a datetime,
a date in a column without a date format, a float that is not finite) is written by openpyxl's
own cell writer, so nothing is written differently, only faster.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable
from copy import copy
from decimal import Context, Decimal
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import etree_write_cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.xml.functions import tostring

MAX_TEXT = 32_767  # Excel's longest cell text
EMPTY_SHEET_DATA = (b"<sheetData></sheetData>", b"<sheetData />", b"<sheetData/>")
BIGGEST_EXACT = 10**16  # what "%.16g" (openpyxl's number format) writes digit for digit
SIXTEEN_DIGITS = Context(prec=16)
EPOCH_ORDINAL = WINDOWS_EPOCH.toordinal()
NEEDS_ESCAPE = re.compile("[&<>\r]")
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
FLUSH_EVERY = 2_000  # rows kept in memory before they go to the temporary file
COLUMN_VALUES = 4_096  # distinct values a column's writer remembers the cell of


def escape(text: str) -> str:
    """Text content as lxml writes it (a carriage return kept as a character reference)."""
    if NEEDS_ESCAPE.search(text) is None:
        return text
    return NEEDS_ESCAPE.sub(lambda found: ESCAPES[found.group()], text)


def clean_text(value: str) -> str:
    """Text a cell can hold: the control characters XML cannot carry dropped, Excel's length."""
    if not value.isprintable():
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value[:MAX_TEXT]


def number_text(value: Decimal) -> str:
    """A Decimal as openpyxl writes a number (16 significant digits, no trailing zeros), from
    its own digits: 105.00 is 105, 105.50 is 105.5."""
    shown = value.normalize()
    if len(shown.as_tuple().digits) > 16:
        shown = SIXTEEN_DIGITS.plus(value).normalize()
    return format(shown, "f")


class SheetRows:
    """The rows of one write-only sheet, as text, until the sheet is closed into its workbook."""

    def __init__(self, worksheet: Any) -> None:
        self.ws = worksheet
        self._pending: list[str] = []
        # anonymous: gone with the process whatever happens; closed by close_into_sheet/discard
        self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self._styles: dict[int, tuple[Any, str, bool]] = {}
        self._letters: list[str] = []

    def letters(self, count: int) -> list[str]:
        """Column letters A, B, ... for the first `count` columns."""
        while len(self._letters) < count:
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters

    def style(self, style: Any) -> tuple[str, bool]:
        """The ` s="N"` attribute of a style array ("" for none) and whether it formats dates."""
        if style is None:
            return "", False
        known = self._styles.get(id(style))
        if known is None:
            probe = WriteOnlyCell(self.ws)
            probe._style = style
            attribute = f' s="{self.ws.parent._cell_styles.add(style)}"' if any(style) else ""
            known = (style, attribute, is_date_format(probe.number_format))  # keeps `style` alive
            self._styles[id(style)] = known
        return known[1], known[2]

    def text(self, ref: str, value: str, style: Any = None) -> str:
        """A text cell: an inline string, which a spreadsheet never evaluates."""
        return f'<c r="{ref}"{self._text_body(value, style)}'

    def cell(self, ref: str, value: Any, style: Any = None, formula: bool = False) -> str:
        """One cell as openpyxl would write `value` with `style`; text starting with "=" is a
        formula only when `formula` (medsheets' own formulas, never text a person typed)."""
        if value is None:
            return ""
        if value.__class__ is str:
            if formula and len(value) > 1 and value[0] == "=":
                return f'<c r="{ref}"{self.style(style)[0]}><f>{escape(value[1:])}</f><v></v></c>'
            return self.text(ref, value, style)
        body = self._body(value, style)
        return self.by_openpyxl(ref, value, style) if body is None else f'<c r="{ref}"{body}'

    def column(self, style: Any, text_style: Any) -> Callable[[str, Any], str]:
        """A writer of one column's cells, `write(ref, value)`: text in `text_style`, anything
        else as `cell` writes it in `style`. What follows the cell's reference depends only on
        the value (and the column's styles), so it is made once per distinct value and then
        reused: a report's traces, codes, results, explanations and amounts repeat row after
        row. At most COLUMN_VALUES values are remembered per column."""
        known: dict[object, str] = {}  # text by itself, anything else with its kind

        def write(ref: str, value: Any) -> str:
            kind = value.__class__
            key = (value if kind is str  # most cells: no key to build
                   else (kind, value if kind is not Decimal else str(value)))  # 0 and -0 apart
            body = known.get(key)
            if body is None:
                body = (self._text_body(value, text_style) if kind is str
                        else self._body(value, style))
                if body is None:
                    return self.by_openpyxl(ref, value, style)
                if len(known) < COLUMN_VALUES:
                    known[key] = body
            return f'<c r="{ref}"{body}'

        return write

    def _text_body(self, value: str, style: Any) -> str:
        """A text cell after its reference."""
        value = clean_text(value)
        shown = self.style(style)[0]
        if not value:
            return f'{shown} t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'{shown} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'

    def _body(self, value: Any, style: Any) -> str | None:
        """A cell of `value` after its reference, or None for a kind openpyxl's own cell
        writer writes (by_openpyxl)."""
        kind = value.__class__
        if kind is str:
            return self._text_body(value, style)
        shown, dates = self.style(style)
        if kind is bool:
            return f'{shown} t="b"><v>{int(value)}</v></c>'
        if kind is int and -BIGGEST_EXACT < value < BIGGEST_EXACT:
            return f'{shown} t="n"><v>{value}</v></c>'
        if kind is Decimal and value.is_finite():
            return f'{shown} t="n"><v>{number_text(value)}</v></c>'
        if kind is dt.date and dates:
            days = value.toordinal() - EPOCH_ORDINAL
            days -= 1 if 0 < days <= 60 else 0  # Excel's 1900 leap day, as openpyxl counts it
            return f'{shown} t="n"><v>{days}</v></c>'
        return None

    def by_openpyxl(self, ref: str, value: Any, style: Any = None, text: bool = False) -> str:
        """What openpyxl's own cell writer makes of `value` (the uncommon kinds, and the
        reference the fast path is tested against); `text` keeps a string a string."""
        cell = WriteOnlyCell(self.ws)
        if style is not None:
            cell._style = copy(style)  # binding a date may change the number format
        cell.value = value
        if text:
            cell.data_type = "s"
        letters = ref.rstrip("0123456789")
        cell.row, cell.column = int(ref[len(letters):]), column_index_from_string(letters)
        captured: list[Any] = []
        etree_write_cell(_Capture(captured), self.ws, cell, cell.has_style)
        return str(tostring(captured[0], encoding="unicode"))

    def height(self, number: int, height: float) -> str:
        """The attributes of a row of its own height, as openpyxl writes them."""
        dimension = RowDimension(self.ws, index=number, ht=height)
        return "".join(f' {name}="{value}"' for name, value in dimension)

    def write(self, number: int, cells: str, attributes: str = "") -> None:
        self._pending.append(f'<row r="{number}"{attributes}>{cells}</row>')
        if len(self._pending) >= FLUSH_EVERY:
            self._flush()

    def close_into_sheet(self) -> None:
        """Close the openpyxl sheet (its frame) and put the rows in its empty sheetData."""
        self._flush()
        self.ws.close()
        frame_path = Path(self.ws._writer.out)
        frame = frame_path.read_bytes()
        for empty in EMPTY_SHEET_DATA:
            head, found, tail = frame.partition(empty)
            if found:
                break
        else:
            raise RuntimeError(f"openpyxl wrote rows into sheet {self.ws.title!r} itself")
        self._file.seek(0)
        with frame_path.open("wb") as sheet:
            sheet.write(head + b"<sheetData>")
            shutil.copyfileobj(self._file, sheet)
            sheet.write(b"</sheetData>" + tail)
        self.discard()

    def discard(self) -> None:
        self._pending.clear()
        self._file.close()

    def _flush(self) -> None:
        if self._pending:
            self._file.write("".join(self._pending).encode("utf-8"))
            self._pending.clear()


class _Capture:
    """Stands in for openpyxl's xml stream to catch the one element its cell writer makes."""

    def __init__(self, into: list[Any]) -> None:
        self.write = into.append
