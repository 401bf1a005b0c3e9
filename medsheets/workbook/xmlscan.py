"""Find the cells a fast reader silently turns into blanks: errors and uncomputed formulas.

python-calamine returns an empty string both for `#N/A` and for a formula whose value was never
computed (a file written by a program rather than saved by Excel). For money that would be a
silent zero. This module scans the sheet's XML once with a regular expression (tens of
milliseconds for 100,000 rows) and returns the coordinates of such cells, so the reader can
report them as errors. The XML is never parsed as a tree and no entity is expanded.

The sheet is streamed out of the zip a block at a time, cut at row ends, so scanning costs a
few megabytes whatever the sheet's size. The reader looks for them in each piece of XML it
hands calamine (`note_piece`). A sheet that does not declare itself small (its `<dimension>`)
is first counted, before anything loads it, so that an absurdly large one is refused in
bounded memory: its row ends (`rows_at_most`, an inflating pass and a search in C), and only
when they pass the limit its filled rows (`scan_sheet`).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException, ElementTree

from medsheets.errors import BadFileError

_MERGED = re.compile(rb'<mergeCell\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_TYPE = re.compile(rb'\bt="([a-z]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f[^>]*>([^<]*)</f>")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class HiddenCell:
    """A cell that reads as blank but is not: an Excel error or a formula with no value."""

    column: str
    row: int
    kind: str  # "error" or "formula"
    text: str  # the error text (#N/A) or the formula


BLOCK_BYTES = 4 * 1024 * 1024  # how much of the sheet's XML is inflated at a time


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML found: the hidden cells, keyed by (row, column), and
    how many rows hold a value (rows that are only formatting are not counted)."""

    hidden: dict[tuple[int, str], HiddenCell]
    filled_rows: int
    part: str | None = None  # the zip member holding the sheet
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()  # 0-based, as calamine's


@dataclass
class Findings:
    """What the reader has found so far in the pieces of a sheet's XML it has read: the
    hidden cells, keyed by (row, column), and the merged ranges (0-based, as calamine's)."""

    hidden: dict[tuple[int, str], HiddenCell] = field(default_factory=dict)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def note_piece(piece: bytes, findings: Findings, *, rows_alone: bool = False) -> None:
    """Add one piece's hidden cells and merged ranges (a piece ends where a row or cell does).
    A piece of `rows_alone` (cut where a row ends, before the end of the rows) holds no merged
    ranges: `<mergeCells>` follows `</sheetData>` in a sheet's XML."""
    _find_hidden(piece, findings.hidden)
    if not rows_alone and b"<mergeCell" in piece:
        findings.merged += [_merged_range(ref) for ref in _MERGED.findall(piece)]


def sheet_part(path: Path, sheet_name: str) -> str | None:
    """The zip member holding the sheet (None when the workbook's parts do not place it)."""
    return sheet_parts(path).get(sheet_name)


def sheet_parts(path: Path) -> dict[str, str]:
    """The zip member holding each sheet the workbook's parts place, by sheet name: read
    once for a workbook whose sheets are read in turn (the code sets: six)."""
    with zipfile.ZipFile(path) as archive:
        return _sheet_parts(archive)


_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]+([0-9]+)(?::[A-Z]+([0-9]+))?"')
DIMENSION_SEARCH_BYTES = 64 * 1024  # the <dimension> comes before the rows, in the first bytes


def declared_rows(path: Path, part: str) -> int | None:
    """The last row the sheet's own `<dimension>` says it uses (Excel, LibreOffice and
    openpyxl write it), or None when it declares none. A promise, not a count: the reader
    counts rows as it goes and refuses a sheet that outgrows it (`sheet_chunks`)."""
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        head = stream.read(DIMENSION_SEARCH_BYTES)
    opening = head.find(b"<sheetData")
    found = _DIMENSION.search(head, 0, opening if opening != -1 else len(head))
    if found is None:
        return None
    return int(found.group(2) or found.group(1))


def rows_at_most(path: Path, part: str) -> int:
    """How many rows the sheet can hold a value in, at most: its rows' ends (`</row>`),
    counted in C as the XML is inflated (rows of formatting alone are counted too: only when
    this passes a limit need the filled rows be counted exactly, by `scan_sheet`)."""
    end = b"</row>"
    rows, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        while block := stream.read(BLOCK_BYTES):
            # an end cut between two blocks lies in the last bytes of one and the first of the next
            rows += block.count(end) + (tail + block[:len(end) - 1]).count(end)
            tail = block[-(len(end) - 1):]
    return rows


def scan_sheet(path: Path, sheet_name: str) -> SheetScan:
    """Error cells and formulas without a cached value in one sheet, and its filled rows."""
    found: dict[tuple[int, str], HiddenCell] = {}
    filled = 0
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet_name)
        if part is None:
            return SheetScan(found, 0)
        with archive.open(part) as stream:
            for piece in whole_rows(stream):
                _find_hidden(piece, found)
                filled += sum(1 for row in piece.split(b"</row>")
                              if b"<v>" in row or b"<is>" in row)
                merged += [_merged_range(ref) for ref in _MERGED.findall(piece)]
    return SheetScan(found, filled, part, tuple(merged))


def _merged_range(ref: tuple[bytes, ...]) -> tuple[tuple[int, int], tuple[int, int]]:
    """`<mergeCell ref="C7:D8"/>` as ((6, 2), (7, 3)); a one-cell ref ends where it starts."""
    first_column, first_row, last_column, last_row = ref
    start = (int(first_row) - 1, _column_index(first_column))
    end = (int(last_row) - 1, _column_index(last_column)) if last_row else start
    return start, end


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def whole_rows(stream: IO[bytes], block_bytes: int = BLOCK_BYTES, *,
               or_cells: bool = True) -> Iterator[bytes]:
    """The sheet's XML in pieces of about `block_bytes`, each ending where a row ends (else,
    with `or_cells`, where a cell ends), so that no cell (no row) is split between two pieces."""
    ends = (b"</row>", b"</c>") if or_cells else (b"</row>",)
    rest = b""
    while block := stream.read(block_bytes):
        data = rest + block
        cut = -1
        for end in ends:
            found = data.rfind(end)
            if found != -1:
                cut = found + len(end)
                break
        if cut == -1:  # not one whole row (cell) yet: read on
            rest = data
            continue
        rest = data[cut:]
        yield data[:cut]
    if rest:
        yield rest


def _find_hidden(data: bytes, found: dict[tuple[int, str], HiddenCell]) -> None:
    # `<f` once rather than `<f>` and `<f ` apart: each search is a pass over the whole
    # piece (100 MB of XML for 100,000 lines), and a formula is either of the two
    for needle in (b't="e"', b"<f"):
        position = data.find(needle)
        while position != -1:
            at, position = position, data.find(needle, position + 1)
            if needle == b"<f" and data[at + 2:at + 3] not in (b">", b" "):
                continue  # another element (<font>, <formula>): not a cell's formula
            cell_start = data.rfind(b"<c ", 0, at)
            cell_end = data.find(b"</c>", at)
            if cell_start == -1 or cell_end == -1:
                continue
            hidden = _hidden_cell(data[cell_start : cell_end + 4])
            if hidden is not None:
                found[(hidden.row, hidden.column)] = hidden


def _hidden_cell(cell: bytes) -> HiddenCell | None:
    """Decide whether one `<c ...>...</c>` element is an error or an uncomputed formula."""
    head_end = cell.find(b">")
    attributes, body = cell[:head_end], cell[head_end + 1 :]
    ref = _REF.search(attributes)
    if ref is None:
        return None
    column, row = ref.group(1).decode(), int(ref.group(2))
    kind = _TYPE.search(attributes)
    value = _VALUE.search(body)
    if kind and kind.group(1) == b"e":
        text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        return HiddenCell(column, row, "error", text)
    # An empty <v> under t="str" is a computed empty string (=IF(A2="","",A2)), not a lack of value.
    computed = value is not None and (value.group(1) != b"" or (kind and kind.group(1) == b"str"))
    if (b"<f>" in body or b"<f " in body) and not computed:
        formula = _FORMULA.search(body)
        text = formula.group(1).decode("utf-8", "replace") if formula else ""
        return HiddenCell(column, row, "formula", "=" + text)
    return None


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding a sheet, found through workbook.xml and its relationships."""
    return _sheet_parts(archive).get(sheet_name)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        return _find_sheet_parts(archive)
    except (DefusedXmlException, ElementTree.ParseError, KeyError):
        # calamine accepted the file, so this is a part it tolerates and a strict parser does not
        raise BadFileError(
            f"{Path(archive.filename or '').name}: the workbook's structure is damaged or hostile "
            "and cannot be checked; open it in Excel and save it again"
        ) from None


def _find_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_ids: dict[str, str] = {}  # sheet name -> relationship id (a name given twice: the last)
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        rel_id = sheet.get(f"{_NS_REL}id")
        if rel_id is not None:
            rel_ids[sheet.get("name", "")] = rel_id
        else:
            rel_ids.pop(sheet.get("name", ""), None)
    if not rel_ids:
        return {}
    targets: dict[str, str] = {}  # relationship id -> target (an id given twice: the first)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        targets.setdefault(rel.get("Id", ""), rel.get("Target", ""))
    parts = {}
    for name, rel_id in rel_ids.items():
        if rel_id in targets:
            target = targets[rel_id]
            parts[name] = (target.lstrip("/") if target.startswith("/")
                           else posixpath.normpath(posixpath.join("xl", target)))
    return parts
