"""Read one sheet as a table of typed rows, each row knowing its file, sheet and cells.

This is the only module that opens a workbook for reading (python-calamine: fast, and it never
evaluates anything); `sheet_chunks` gives calamine a big sheet's rows a piece at a time. Around
it: `sniff` refuses what is not a sound xlsx, and `xmlscan` finds the error cells and
uncomputed formulas calamine would return as blanks (and counts and places the sheet's rows).

The header row is found by its names (title rows above it are fine); headers match
case-insensitively, ignoring spaces and underscores, plus the practice's `[columns]` aliases.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, islice
from pathlib import Path
from types import MappingProxyType
from typing import Any

import python_calamine

from medsheets.errors import BadFileError
from medsheets.model import Origin, Problem, Source, column_letter, error, warning
from medsheets.workbook import sheet_chunks, sniff, xmlscan
from medsheets.workbook.column_cells import ColumnCells
from medsheets.workbook.headers import in_users_words

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Column:
    """A column medsheets knows: its name, how to read its cells, and whether it must exist."""

    name: str
    kind: str = "text"  # a key of cells.CONVERTERS
    required: bool = False


@dataclass
class Table:
    """The rows of one sheet: `(origin, values)` pairs with values keyed by column name."""

    file: str
    sheet: str
    header_row: int | None
    columns: Mapping[str, str]  # column name -> letter
    headers: Mapping[str, str] = field(default_factory=dict)  # column name -> header as typed
    rows: list[tuple[Origin, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_NOT_COMPARED = str.maketrans("", "", " _\u00a0\t\r\n-")  # left out when headers are compared


def header_key(text: str) -> str:
    """How headers are compared: 'Date of Service', 'date_of_service' -> 'dateofservice'."""
    return text.lower().translate(_NOT_COMPARED)


class Workbook:
    """An xlsx opened for reading, after checking that it is one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        sniff.check_xlsx(path)
        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        except python_calamine.PasswordError:
            raise BadFileError(f"{self.name}: the workbook is protected with a password; "
                               "remove the password in Excel and save it as .xlsx") from None
        except Exception as exc:  # calamine raises several unrelated types for damaged files
            raise BadFileError(
                f"{self.name}: the workbook is damaged and cannot be read ({type(exc).__name__}); "
                "open it in Excel and save it again"
            ) from None
        self.visible_sheets = [
            meta.name
            for meta in self._book.sheets_metadata
            if meta.visible == python_calamine.SheetVisibleEnum.Visible
            and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        self.sheet_names = list(self._book.sheet_names)

    def find_sheet(self, wanted: str, *, fallback_to_first: bool) -> str | None:
        """The sheet named `wanted` (case-insensitive), else the first visible one if allowed."""
        for name in self.sheet_names:
            if header_key(name) == header_key(wanted):
                return name
        if fallback_to_first and self.visible_sheets:
            return self.visible_sheets[0]
        return None

    def rows(self, sheet: str) -> tuple[list[list[Any]], list[tuple[tuple[int, int], tuple[int, int]]]]:
        """All rows of a sheet from A1 (empty cells as ""), and its merged ranges (0-based)."""
        data, merged = self._sheet(sheet)
        try:
            return list(_rows_from_a1(data)), merged
        except Exception as exc:  # calamine: several unrelated types for a damaged sheet
            raise self._damaged(sheet, exc) from None

    @cached_property
    def _sheet_parts(self) -> dict[str, str]:
        """Each sheet's zip member, found once for all the sheets read from this workbook."""
        return xmlscan.sheet_parts(self.path)

    def _sheet(self, sheet: str) -> tuple[Any, list[tuple[tuple[int, int], tuple[int, int]]]]:
        try:
            data = self._book.get_sheet_by_name(sheet)
            return data, list(data.merged_cell_ranges or [])
        except Exception as exc:
            raise self._damaged(sheet, exc) from None

    def _damaged(self, sheet: str, exc: Exception) -> BadFileError:
        return BadFileError(
            f"{self.name}: sheet '{sheet}' is damaged and cannot be read ({type(exc).__name__}); "
            "open the workbook in Excel and save it again")

    def read_table(
        self, sheet: str, columns: Sequence[Column], aliases: Mapping[str, str] | None = None,
        *, note_unknown: bool = False,
    ) -> Table:
        """The whole sheet as a Table (for the small sheets: code sets, patients, payments)."""
        reading = self.read_chunks(sheet, columns, aliases, note_unknown=note_unknown)
        reading.table.rows = [row for chunk in reading.chunks() for row in chunk]
        return reading.finish()

    def read_chunks(
        self, sheet: str, columns: Sequence[Column], aliases: Mapping[str, str] | None = None,
        *, note_unknown: bool = False, max_rows: int | None = None,
    ) -> TableReading:
        """The sheet's rows a chunk at a time (`TableReading.chunks`), so that a big sheet is
        never held as Python values all at once. With `max_rows`, a sheet with more filled
        rows than that is not loaded at all: the reading holds only the MS-SHEET-TOO-LARGE
        problem (counting them streams the sheet's XML, in a few megabytes whatever its size;
        a sheet whose `<dimension>` declares it within the limit is counted as it is read,
        and refused then should it outgrow it: `TableReading.refused`)."""
        part = self._sheet_parts.get(sheet)
        if part is None:  # calamine found the sheet; its parts do not place it: read it whole
            data, merged = self._sheet(sheet)
            return table_reading(self.name, sheet, self._guarded(sheet, _rows_from_a1(data)),
                                 columns, aliases or {}, merged, {}, note_unknown=note_unknown)
        watched = max_rows  # the limit the rows are counted against while read
        declared = xmlscan.declared_rows(self.path, part) if max_rows is not None else None
        if max_rows is not None and (declared is None or declared > max_rows):
            # not declared small: counted before anything is loaded (a pass over its XML),
            # its row ends, then, when they pass the limit, its filled rows
            watched = None  # counted: nothing to watch for while reading
            if xmlscan.rows_at_most(self.path, part) > max_rows:
                filled = xmlscan.scan_sheet(self.path, sheet).filled_rows
                if filled > max_rows:
                    return TableReading(too_large(self.name, sheet, filled, max_rows))
        findings = xmlscan.Findings()  # filled as the pieces are read, before their rows come
        rows = sheet_chunks.rows_from_a1(self.path, sheet, part, findings, watched, self._book)
        return table_reading(self.name, sheet, self._guarded(sheet, rows), columns,
                             aliases or {}, findings.merged, findings.hidden,
                             note_unknown=note_unknown)

    def _guarded(self, sheet: str, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        try:
            yield from rows
        except sheet_chunks.TooManyRows:
            raise  # a refusal, not damage: `TableReading.column_chunks` reports it
        except Exception as exc:
            raise self._damaged(sheet, exc) from None


def _rows_from_a1(data: Any) -> Iterator[list[Any]]:
    """A calamine sheet's rows from A1, like `to_python(skip_empty_area=False)`, one at a
    time: `iter_rows` pads the rows above the first filled one, not the columns left of it."""
    left = [""] * (data.start[1] if data.start else 0)
    for row in data.iter_rows():
        yield left + row if left else row


def too_large(file: str, sheet: str, filled_rows: int, max_rows: int) -> Table:
    """A sheet refused for its size: an error on the sheet, no rows."""
    table = Table(file, sheet, None, {})
    table.problems.append(error(
        Source(file, sheet), "MS-SHEET-TOO-LARGE",
        f"the sheet has {filled_rows:,} filled rows; medsheets reads at most {max_rows:,} rows "
        "from one workbook; split it into several workbooks (by day or by week) and give "
        "each to medsheets"))
    return table


CHUNK_ROWS = 5000  # rows converted at a time: big enough for the column-wide fast path


def table_reading(
    file: str,
    sheet: str,
    rows: Iterable[list[Any]],
    columns: Sequence[Column],
    aliases: Mapping[str, str],
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    hidden: Mapping[tuple[int, str], xmlscan.HiddenCell] | None = None,
    *,
    note_unknown: bool = False,
) -> TableReading:
    """Find the header, then (through `TableReading.chunks`) convert every data row's known
    columns; collect every problem.

    `merged` and `hidden` may still be filling as the rows are read (`xmlscan.Findings`): a
    row's hidden cells are known once the row has come, the merged ranges (written after the
    rows) once all have; their problems are placed in `TableReading.finish`.

    With `note_unknown`, the headers medsheets does not know are named once, as a warning on
    the header row: a column the front desk fills that nobody reads should not pass in silence.
    """
    by_key = {header_key(c.name): c for c in columns}
    for alias, target in aliases.items():
        column = by_key.get(header_key(target))
        if column is not None:
            by_key[header_key(alias)] = column
    required = {c.name for c in columns if c.required}

    remaining = iter(rows)
    head = list(islice(remaining, HEADER_SEARCH_ROWS))
    header_index, positions, best_missing, unknown = _find_header(head, by_key, required)
    if header_index is None:
        table = Table(file, sheet, None, {})
        table.problems.append(
            error(Source(file, sheet), "MS-COL-MISSING",
                  f"no header row names the required columns; missing: {', '.join(best_missing)}"
                  + _alias_advice(unknown, best_missing))
        )
        return TableReading(table)

    letters = MappingProxyType({name: column_letter(i) for name, i in positions.items()})
    header_cells = head[header_index]
    table = Table(file, sheet, header_index + 1, letters,
                  {name: str(header_cells[i]).strip() for name, i in positions.items()})
    seen: dict[str, int] = {}
    for i, cell in enumerate(header_cells):
        column = by_key.get(header_key(str(cell))) if isinstance(cell, str) else None
        if column and column.name in seen:
            table.problems.append(error(
                Source(file, sheet, header_index + 1, column_letter(i), column.name),
                "MS-COL-DUPLICATE",
                f"a second '{column.name}' column (first in {column_letter(seen[column.name])}); "
                "delete or rename one",
            ))
        elif column:
            seen[column.name] = i
    if note_unknown:
        table.problems.extend(_unknown_columns(file, sheet, header_index, header_cells, by_key))

    data = enumerate(chain(head[header_index + 1:], remaining), start=header_index + 2)
    return TableReading(table, columns, positions, data, {} if hidden is None else hidden,
                        Merged(merged, header_index, len(table.problems)))


@dataclass(frozen=True)
class Merged:
    """The sheet's merged ranges, the header row's index, and where among the table's
    problems theirs go (after the header's, before the rows')."""

    ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]]
    header_index: int
    at: int

    def problems(self, file: str, sheet: str) -> list[Problem]:
        """An error for each range that reaches into the data (below the header)."""
        return [error(
            Source(file, sheet, r0 + 1, column_letter(c0)), "MS-CELL-MERGED",
            f"merged cells {column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1} in the data; "
            "unmerge them and fill every row",
        ) for (r0, c0), (r1, c1) in self.ranges if r1 > self.header_index]


class TableReading:
    """A table being read: its header and problems so far (`table`), its rows to come."""

    def __init__(self, table: Table, columns: Sequence[Column] = (),
                 positions: Mapping[str, int] | None = None,
                 data: Iterator[tuple[int, list[Any]]] | None = None,
                 hidden: Mapping[tuple[int, str], xmlscan.HiddenCell] | None = None,
                 merged: Merged | None = None) -> None:
        self.table = table
        self._columns = columns
        self._positions = positions or {}
        self._data = data or iter(())
        self._hidden = {} if hidden is None else hidden  # the same dict, still filling
        self._merged = merged
        self.refused = False  # the sheet was found too large while read: no rows hold
        # Per column, each distinct raw value converted once for the whole reading.
        self._cells = {c.name: ColumnCells(c.name, c.kind) for c in columns
                       if c.name in self._positions}

    def chunks(self) -> Iterator[list[tuple[Origin, dict[str, Any]]]]:
        """The non-blank data rows as `(origin, values)`, up to CHUNK_ROWS at a time; their
        problems are added to `table.problems`."""
        file, sheet, letters = self.table.file, self.table.sheet, self.table.columns
        for chunk in self.column_chunks():
            names = list(chunk.values)
            yield [(Origin(file, sheet, number, letters), dict(zip(names, values)))
                   for number, values in zip(chunk.rows, zip(*chunk.values.values()))]

    def column_chunks(self) -> Iterator[ColumnChunk]:
        """The non-blank data rows, up to CHUNK_ROWS at a time, as columns: what the big
        line sheet is read as (no dict per row); problems added to `table.problems`."""
        try:
            while batch := list(islice(self._data, CHUNK_ROWS)):
                kept = [(number, row) for number, row in batch if not _is_blank_row(row)]
                if kept:
                    yield self._convert(kept)
        except sheet_chunks.TooManyRows as refusal:
            # found while reading (its <dimension> promised fewer rows): the rows already
            # given are void, and the sheet is refused as one counted beforehand is
            self.refused, self._merged = True, None
            self.table = too_large(self.table.file, self.table.sheet, refusal.filled_rows,
                                   refusal.max_rows)

    def finish(self) -> Table:
        """The table, its problems in row then column order, in the sheet's own words."""
        table = self.table
        if self._merged is not None:
            merged, self._merged = self._merged, None
            table.problems[merged.at:merged.at] = merged.problems(table.file, table.sheet)
        order = {name: i for i, name in enumerate(table.columns.values())}
        table.problems.sort(key=lambda p: (p.source.row or 0, order.get(p.source.column or "", -1)))
        table.problems = in_users_words(table.problems, {table.sheet: table.headers})
        return table

    def _convert(self, kept: list[tuple[int, list[Any]]]) -> ColumnChunk:
        """Every known column of the rows, converted column by column (`ColumnCells`): the
        rows are turned into columns in one C-level `zip`, with no Python work per cell."""
        table, positions, hidden = self.table, self._positions, self._hidden
        file, sheet, letters = table.file, table.sheet, table.columns
        numbers = [number for number, _ in kept]
        width = max(positions.values(), default=-1) + 1
        rows = [row for _, row in kept]
        if min(map(len, rows)) < width:  # a row the sheet's XML ends early
            rows = [row if len(row) >= width else row + [""] * (width - len(row)) for row in rows]
        by_position = list(zip(*rows)) if width else []
        columns: dict[str, list[Any]] = {}
        for column in self._columns:
            if column.name not in positions:
                columns[column.name] = [None] * len(kept)  # an optional column the sheet lacks
                continue
            letter = letters[column.name]
            values = self._cells[column.name].convert(by_position[positions[column.name]], numbers,
                                                      file, sheet, letter, table.problems)
            if hidden:
                for j, number in enumerate(numbers):
                    if (number, letter) in hidden:
                        values[j] = None
                        table.problems.append(_hidden_problem(file, sheet, number, letter,
                                                              column.name, hidden[(number, letter)]))
            columns[column.name] = values
        return ColumnChunk(numbers, columns)


@dataclass(frozen=True)
class ColumnChunk:
    """Some rows of a table as columns: their row numbers, and each column's values in order."""

    rows: list[int]
    values: dict[str, list[Any]]


def _is_blank_row(row: list[Any]) -> bool:
    """True when every cell is empty or spaces (a data row almost always fails on its first)."""
    first = row[0] if row else None
    if first is not None and first != "" and not (type(first) is str and first.isspace()):
        return False
    return all(_is_blank(v) for v in row)


def _is_blank(value: Any) -> bool:
    """Empty, or only spaces: a row "cleared" with the space bar holds no data to report on."""
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(
    rows: list[list[Any]], by_key: Mapping[str, Column], required: set[str]
) -> tuple[int | None, dict[str, int], list[str], list[str]]:
    """The header row's index and column positions; when none names every required column,
    what the closest row lacks and the headers of that row medsheets did not know."""
    best_missing, best_unknown = sorted(required), []
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        unknown: list[str] = []
        for i, cell in enumerate(row):
            if isinstance(cell, str) and cell.strip():
                column = by_key.get(header_key(cell))
                if column and column.name not in positions:
                    positions[column.name] = i
                elif column is None:
                    unknown.append(cell.strip())
        missing = sorted(required - positions.keys())
        if not missing:
            return index, positions, [], []
        if positions and len(missing) < len(best_missing):
            best_missing, best_unknown = missing, unknown
    return None, {}, best_missing, best_unknown


def _alias_advice(unknown: Sequence[str], missing: Sequence[str]) -> str:
    """How to map the sheet's own header onto a missing column, in the user's words."""
    if not unknown or not missing:
        return ""
    return (f". If the sheet calls one of them something else, name it in medsheets.toml, e.g. "
            f'[columns] "{unknown[0]}" = "{missing[0]}" (see docs/workbook-headers.md)')


def _unknown_columns(file: str, sheet: str, header_index: int, header_cells: Sequence[Any],
                     by_key: Mapping[str, Column]) -> list[Problem]:
    named = [(column_letter(i), str(cell).strip()) for i, cell in enumerate(header_cells)
             if isinstance(cell, str) and cell.strip() and header_key(cell) not in by_key]
    if not named:
        return []
    listed = ", ".join(f"'{text}' ({letter})" for letter, text in named)
    return [warning(Source(file, sheet, header_index + 1, named[0][0]), "MS-COL-UNKNOWN",
                    f"medsheets does not read the columns {listed}; that is fine for notes of "
                    "your own; if one holds something a claim needs, name it in medsheets.toml "
                    "under [columns] (see docs/workbook-headers.md)")]


def _hidden_problem(
    file: str, sheet: str, row: int, letter: str, name: str, cell: xmlscan.HiddenCell
) -> Problem:
    source = Source(file, sheet, row, letter, name)
    if cell.kind == "error":
        return error(source, "MS-CELL-ERROR",
                     f"{name} holds the Excel error {cell.text}; fix the formula or type the value")
    return error(source, "MS-CELL-FORMULA",
                 f"{name} is a formula ({cell.text}) with no computed value; open and save the "
                 "workbook in Excel, or type the value")
