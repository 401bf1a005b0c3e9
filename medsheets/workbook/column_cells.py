"""One column of a chunk of rows converted a distinct value at a time.

A day's columns repeat themselves: 100,000 lines hold a few hundred dates, codes, payers and
cities. So a column's cells are converted as a column: each distinct raw value once per
reading (remembered across chunks), then every cell mapped to its value by a dictionary
look-up done in C (`map`), with no Python loop per cell. A raw value whose conversion makes a
problem makes it again at every cell holding it, at that cell, in row order, so the problems
are exactly those of a cell-by-cell conversion.

Raw values are what calamine gives (str, int, float, bool, date, datetime, timedelta, "").
`True == 1 == 1.0` in Python, so a look-up never mixes those types: a column's chunk holding
one of them shares that type's table; one holding several (rare) is converted cell by cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from medsheets.model import Problem, Severity, Source
from medsheets.workbook.cells import CONVERTERS, CellProblem, Flagged

TEXT, CODE = 1, 2
# Column kinds whose printable text is read inline (the converters only matter for numbers,
# dates and odd characters in them): plain trimming, or trimming to a code.
FAST_TEXT = {"text": TEXT, "id": TEXT, "account": TEXT, "code": CODE, "procedure": CODE, "pos": CODE}
_NUMBERS = (bool, int, float)


@dataclass(frozen=True, slots=True)
class Unclean:
    """A raw value's conversion that made a problem: the value the cell reads as, and the problem."""

    value: Any
    severity: Severity
    code: str
    message: str


class ColumnCells:
    """Converts one column's cells, chunk after chunk, each distinct raw value once."""

    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind
        self._fast = FAST_TEXT.get(kind, 0)
        self._converter = CONVERTERS[kind]
        # the numeric type a chunk's cells hold (None: none) -> raw -> value, and the raw
        # values among them that made a problem
        self._seen: dict[type | None, tuple[dict[Any, Any], set[Any]]] = {}

    def convert(self, cells: Sequence[Any], rows: Sequence[int], file: str, sheet: str,
                letter: str, problems: list[Problem]) -> list[Any]:
        """The column's values, cell for cell; each problem appended at its cell, in row order."""
        distinct = set(cells)
        types = set(map(type, distinct))
        if not types.isdisjoint(_NUMBERS):  # True, 1 and 1.0 collapse in `distinct`: look again
            types = set(map(type, cells))
        numeric = [kind for kind in _NUMBERS if kind in types]
        if len(numeric) > 1:
            values = [self._one(raw) for raw in cells]
        else:
            seen, unclean = self._seen.setdefault(numeric[0] if numeric else None, ({}, set()))
            for raw in distinct.difference(seen):
                seen[raw] = value = self._one(raw)
                if type(value) is Unclean:
                    unclean.add(raw)
            values = list(map(seen.__getitem__, cells))
            if unclean.isdisjoint(distinct):
                return values
        for j, value in enumerate(values):
            if type(value) is Unclean:
                problems.append(Problem(Source(file, sheet, rows[j], letter, self.name),
                                        value.code, value.severity, value.message))
                values[j] = value.value
        return values

    def _one(self, raw: Any) -> Any:
        """What one raw value reads as: a value, None for a blank, or an Unclean outcome."""
        if raw == "" or raw is None:
            return None
        if self._fast and type(raw) is str and raw.isprintable():
            text = raw.strip()
            return (text.upper().replace(" ", "") if self._fast == CODE else text) or None
        try:
            value = self._converter(raw)
        except CellProblem as exc:
            return Unclean(None, Severity.ERROR, exc.code, f"{self.name} {exc.message}")
        if type(value) is Flagged:
            return Unclean(value.value if value.value != "" else None, Severity.WARNING,
                           value.code, f"{self.name} {value.message}")
        return value if value != "" else None
