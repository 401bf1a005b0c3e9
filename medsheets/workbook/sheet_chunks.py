"""A big sheet read by calamine a few thousand rows at a time, in bounded memory.

calamine loads a whole sheet at once: the cells of 100,000 lines of 25 columns take about
150 MB, and nearly twice that while they are parsed. Here the sheet's XML is streamed out of
the zip, cut at row ends into pieces of about CHUNK_BYTES, and each piece is given to calamine
as a workbook of its own: the same workbook, styles and shared strings, only that sheet's rows.
So every value is read exactly as calamine reads it (numbers, dates by their format, shared and
inline strings), and memory is bounded by the piece, not the sheet.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import python_calamine

from medsheets.workbook import xmlscan

CHUNK_BYTES = 2 * 1024 * 1024  # of the sheet's XML per piece: some 4,000 rows of 25 cells
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_NO_ROWS = re.compile(rb"<sheetData\s*/>")
_EMPTY_SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData/></worksheet>")


def rows_from_a1(path: Path, sheet_name: str, part: str,
                 findings: xmlscan.Findings | None = None,
                 max_rows: int | None = None, book: Any = None) -> Iterator[list[Any]]:
    """The rows of the sheet stored in zip member `part`, from A1, as calamine's
    `to_python(skip_empty_area=False)` gives them (rows left out of the XML come as `[]`).

    `findings`, when given, gets each piece's hidden cells and merged ranges before its rows
    are yielded (`xmlscan.note_piece`): the sheet's XML is inflated once, not once to scan and
    again to read. With `max_rows`, a sheet found to hold more filled rows than that raises
    `TooManyRows` (a sheet whose `<dimension>` promised fewer: see `xmlscan.declared_rows`).

    `book`, when given, is the workbook already open in calamine: a sheet whose XML is one
    piece (CHUNK_BYTES or less: every sheet of a small practice) is read from it, not from a
    workbook of its own built for the piece (which costs more than reading the rows: copying
    the other members, writing the zip, calamine parsing styles and shared strings again).
    Its XML is still read here, once, for the same findings and checks."""
    with zipfile.ZipFile(path) as archive:
        one_piece = book is not None and archive.getinfo(part).file_size <= CHUNK_BYTES
        others: dict[str, bytes] = {}
        sheets: list[str] = []
        if not one_piece:
            others = {info.filename: archive.read(info) for info in archive.infolist()
                      if info.filename != part and not info.is_dir()
                      and not info.filename.startswith("xl/worksheets/sheet")}
            sheets = [info.filename for info in archive.infolist()
                      if info.filename.startswith("xl/worksheets/sheet") and info.filename != part]
        with archive.open(part) as stream:
            # a small sheet's XML whole, as one piece; a big one's cut where rows end
            pieces = (iter([stream.read()]) if one_piece
                      else xmlscan.whole_rows(stream, CHUNK_BYTES, or_cells=False))
            first = next(pieces, b"")
            opening = first.find(b"<sheetData>")
            if opening == -1:
                if not _NO_ROWS.search(first):
                    raise DamagedSheet(part)
                return  # no rows at all
            head = _DIMENSION.sub(b"", first[:opening + len(b"<sheetData>")])
            done, closed = 0, False
            bound = RowBound(path, sheet_name, max_rows)
            for piece in _with_first(first[opening + len(b"<sheetData>"):], pieces):
                # a piece cut where a row ends (every piece of a big sheet but its last) is rows
                # alone: the end of the rows and the merged ranges after them lie in the last
                # piece, so the others are not searched for them (a pass over megabytes each)
                rows_alone = piece.endswith(b"</row>")
                if findings is not None:
                    xmlscan.note_piece(piece, findings, rows_alone=rows_alone)
                bound.passed(piece)
                # the piece itself when the rows go on (most pieces): no copy of its megabytes
                end = -1 if rows_alone else piece.find(b"</sheetData>")
                rows, closed = (piece, closed) if end == -1 else (piece[:end], True)
                if b"<row" not in rows:
                    continue
                data = (book if one_piece else _one_piece(
                    others, sheets, part, (head, rows, b"</sheetData></worksheet>"))
                ).get_sheet_by_name(sheet_name)
                if data.start is None:
                    continue
                top, left = data.start
                for _ in range(done, top):
                    yield []
                padding = [""] * left
                values = data.to_python(skip_empty_area=True)
                for row in values:
                    yield padding + row if left else row
                done = top + len(values)
            if not closed:  # cut short: calamine refuses such a sheet when reading it whole
                raise DamagedSheet(part)


class DamagedSheet(Exception):
    """The sheet's XML ends before its rows do."""


class TooManyRows(Exception):
    """The sheet holds more filled rows than the reader takes from one sheet."""

    def __init__(self, filled_rows: int, max_rows: int) -> None:
        super().__init__(f"{filled_rows} filled rows, more than {max_rows}")
        self.filled_rows = filled_rows
        self.max_rows = max_rows


class RowBound:
    """Keeps a sheet read piece by piece within `max_rows` filled rows.

    Counting a piece's row ends is one search in C; it counts rows that hold only formatting
    too, so only once that count passes `max_rows` is the sheet's filled rows counted exactly
    (`xmlscan.scan_sheet`, a pass of its own, which is rare: such a sheet is refused, or holds
    that many formatted empty rows)."""

    def __init__(self, path: Path, sheet_name: str, max_rows: int | None) -> None:
        self.path, self.sheet_name, self.max_rows = path, sheet_name, max_rows
        self.rows_seen = 0

    def passed(self, piece: bytes) -> None:
        """Count the piece's rows; raise TooManyRows once the sheet is found to hold too many."""
        if self.max_rows is None:
            return
        self.rows_seen += piece.count(b"</row>")
        if self.rows_seen > self.max_rows:
            filled = xmlscan.scan_sheet(self.path, self.sheet_name).filled_rows
            if filled > self.max_rows:
                raise TooManyRows(filled, self.max_rows)
            self.max_rows = None  # within the limit after all: no need to count on


def _with_first(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _one_piece(others: dict[str, bytes], sheets: list[str], part: str,
               xml: tuple[bytes, ...]) -> Any:
    """A workbook in memory holding the piece's rows as the sheet, the other sheets empty.
    The sheet's XML comes in parts, written one after the other (not joined into a copy)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as piece:
        for name, data in others.items():
            piece.writestr(name, data)
        for name in sheets:
            piece.writestr(name, _EMPTY_SHEET)
        with piece.open(part, "w") as sheet:
            for chunk in xml:
                sheet.write(chunk)
    buffer.seek(0)
    return python_calamine.CalamineWorkbook.from_filelike(buffer)
