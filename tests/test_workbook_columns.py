"""A column converted a distinct value at a time reads exactly as cell by cell.

`medsheets.workbook.column_cells` converts each distinct raw value of a column once and maps
the cells to it. Python says `True == 1 == 1.0`, so one table of values shared by those types
would read a TRUE typed in a units column as 1; and a value that makes a problem must make it
at every cell holding it, not only the first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from medsheets.model import Problem
from medsheets.workbook.cells import CONVERTERS, CellProblem, Flagged
from medsheets.workbook.column_cells import ColumnCells


def _cell_by_cell(kind: str, cells: list[Any]) -> list[Any]:
    """The reference: each cell through its converter on its own."""
    values = []
    for raw in cells:
        if raw == "":
            values.append(None)
            continue
        try:
            value = CONVERTERS[kind](raw)
        except CellProblem as exc:
            values.append(("problem", exc.code))
            continue
        if type(value) is Flagged:
            values.append(("flagged", value.value, value.code))
            continue
        values.append(value if value != "" else None)
    return values


def _columnwise(column: ColumnCells, cells: list[Any], first_row: int = 2) -> tuple[list[Any], list[Problem]]:
    problems: list[Problem] = []
    rows = list(range(first_row, first_row + len(cells)))
    return column.convert(cells, rows, "day.xlsx", "Encounters", "S", problems), problems


def _as_reference(values: list[Any], problems: list[Problem], first_row: int = 2) -> list[Any]:
    at = {p.source.row: p for p in problems}
    out = []
    for row, value in enumerate(values, start=first_row):
        problem = at.get(row)
        if problem is None:
            out.append(value)
        elif problem.severity.value == "warning":
            out.append(("flagged", value, problem.code))
        else:
            assert value is None
            out.append(("problem", problem.code))
    return out


def test_true_one_and_one_point_zero_are_not_taken_for_one_another() -> None:
    for cells in ([1, True, 1.0, "", 1, True], [True, 1], [1.0, True, 2]):
        column = ColumnCells("units", "int")
        values, problems = _columnwise(column, cells)
        assert _as_reference(values, problems) == _cell_by_cell("int", cells)
        assert [p.source.row for p in problems] == [2 + j for j, raw in enumerate(cells)
                                                    if raw is True]


def test_a_later_chunk_of_another_number_type_reads_as_its_own() -> None:
    column = ColumnCells("charge", "money")
    _columnwise(column, [True, True])  # the first chunk: booleans (refused as money)
    values, problems = _columnwise(column, [1, 1, ""])
    assert values == [Decimal("1.00"), Decimal("1.00"), None] and not problems
    values, problems = _columnwise(column, [True])
    assert values == [None] and [p.code for p in problems] == ["MS-CELL-MONEY"]


def test_a_value_that_makes_a_problem_makes_it_at_every_cell_in_row_order() -> None:
    column = ColumnCells("patient_last_name", "text")
    bad = "Smith\u200b"  # a zero-width space
    cells = [bad, "Jones", bad, "", bad]
    values, problems = _columnwise(column, cells, first_row=10)
    assert values == [None, "Jones", None, None, None]
    assert [(p.source.row, p.source.column, p.code) for p in problems] == [
        (10, "S", "MS-CELL-CHAR"), (12, "S", "MS-CELL-CHAR"), (14, "S", "MS-CELL-CHAR")]
    again, more = _columnwise(column, [bad], first_row=20)  # remembered: still reported
    assert again == [None] and [p.source.row for p in more] == [20]


def test_mixed_kinds_read_as_their_converters_read_them() -> None:
    day = dt.date(2026, 11, 27)
    cases = {
        "date": [day, dt.datetime(2026, 11, 27, 0, 0), 46353, "2026-11-27", "11/27/2026", "x", ""],
        "zip": [2134, "02134", 62701.0, "62701-1234", 1234567],
        "id": [123456, "M000001", " M000001 ", 1.5, ""],
        "procedure": ["99213", 99213, " 99 213 ", "9921", ""],
        "code": ["f41.1", " F41 .1", 41, ""],
        "money": ["$10.50", 10.5, 10, "ten", ""],
    }
    for kind, cells in cases.items():
        values, problems = _columnwise(ColumnCells("field", kind), cells)
        assert _as_reference(values, problems) == _cell_by_cell(kind, cells), kind


def test_a_repeated_value_is_converted_once() -> None:
    column = ColumnCells("patient_city", "text")
    calls: list[Any] = []
    original = column._one

    def counting(raw: Any) -> Any:
        calls.append(raw)
        return original(raw)

    column._one = counting  # type: ignore[method-assign]
    values, _ = _columnwise(column, ["Springfield"] * 500 + [""] * 10)
    _columnwise(column, ["Springfield"] * 500)
    assert values[:2] == ["Springfield", "Springfield"] and values[-1] is None
    assert sorted(calls, key=str) == ["", "Springfield"]
