"""The report rows kept with a run (workbook/kept_rows.py) are the JSON text they always were:
rows kept by an earlier version are read back by this one, and a row is written as
json.dumps writes it whatever its values (issue 16 wrote the common kinds by hand)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medsheets.workbook.kept_rows import KeptRows, _tagged, rows_text

VALUE = st.one_of(
    st.text(), st.none(), st.booleans(), st.integers(), st.dates(),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.floats(allow_nan=True, allow_infinity=True),
)


def as_json_dumps_writes(tables: list[list[list[object]]]) -> str:
    return "".join(json.dumps([number, *row], default=_tagged, separators=(",", ":")) + "\n"
                   for number, rows in enumerate(tables) for row in rows)


@given(st.lists(st.lists(st.lists(VALUE, max_size=6), max_size=4), max_size=3))
def test_rows_are_kept_as_json_dumps_writes_them(tables: list[list[list[object]]]) -> None:
    assert rows_text(tables) == as_json_dumps_writes(tables)


def test_the_kept_rows_read_back_typed_as_they_were() -> None:
    rows = [["T1", Decimal("-0.00"), Decimal("105.50"), dt.date(2026, 12, 1), None, 3, True,
             'quote " and é']]
    back = KeptRows(rows_text([rows, [["second"]]]))
    assert list(back.table(0)) == rows and list(back.table(1)) == [["second"]]
    [[_, minus_zero, *_]] = KeptRows(rows_text([rows])).table(0)
    assert str(minus_zero) == "-0.00"


def test_a_value_a_report_cannot_keep_is_refused_as_before() -> None:
    with pytest.raises(TypeError, match="datetime"):
        rows_text([[["x", dt.datetime(2026, 12, 1, 10, 30)]]])


def test_kept_text_is_read_line_by_line_to_its_end() -> None:
    assert list(KeptRows('[0,"a"]\n[0,"b"]').table(0)) == [["a"], ["b"]]
    assert list(KeptRows("").table(0)) == []
