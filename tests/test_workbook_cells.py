"""The cell converters on the raw values python-calamine hands them, one edge at a time.

The file-level tests show the converters wired in; these pin down each converter's contract
(what is text, what is repaired and flagged, what is refused) on the exact values calamine
produces: float for every number cell, date/datetime for date-formatted cells, "" for blanks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from medsheets.workbook.cells import (
    CellProblem,
    Flagged,
    clean_text,
    to_code,
    to_date,
    to_decimal,
    to_identifier,
    to_text,
    to_whole_number,
    to_zip,
)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (99213.0, "99213"),
        (1.5, "1.5"),
        (7, "7"),
        (True, "TRUE"),
        (dt.datetime(2026, 3, 4), "2026-03-04"),
        ("  a\u00a0b  ", "a b"),
        ("line one\nline two", "line one line two"),
        ("a\tb", "a b"),
        ("O'Brien-Smith", "O'Brien-Smith"),
        ("=1+1", "=1+1"),
        ("<b>Ann</b>", "<b>Ann</b>"),
        ("Zoë", "Zoë"),
    ],
)
def test_to_text(raw: Any, text: str) -> None:
    assert to_text(raw) == text


def test_to_code_upper_cases_and_removes_inner_spaces() -> None:
    assert (to_code(" 0001u "), to_code("e11. 9"), to_code(99213.0)) == ("0001U", "E11.9", "99213")


@pytest.mark.parametrize(
    ("raw", "value", "flagged"),
    [
        ("000123", "000123", False),
        (123.0, "123", True),
        (1.5, "1.5", True),
    ],
)
def test_to_identifier(raw: Any, value: str, flagged: bool) -> None:
    result = to_identifier(raw)
    assert isinstance(result, Flagged) is flagged
    assert (result.value if isinstance(result, Flagged) else result) == value


@pytest.mark.parametrize(
    ("raw", "zip_code", "flagged"),
    [
        ("02134", "02134", False),
        ("02134-1234", "021341234", False),
        (62701.0, "62701", False),
        (2134.0, "02134", True),
        (501.0, "00501", True),
        (21341234.0, "021341234", True),
        (627011234.0, "627011234", False),
    ],
)
def test_to_zip(raw: Any, zip_code: str, flagged: bool) -> None:
    result = to_zip(raw)
    assert isinstance(result, Flagged) is flagged
    assert (result.value if isinstance(result, Flagged) else result) == zip_code


@pytest.mark.parametrize("raw", [213401.0, 2134012.0, 2134.5, "2134", "ABCDE", "02134-12"])
def test_to_zip_refuses(raw: Any) -> None:
    with pytest.raises(CellProblem) as raised:
        to_zip(raw)
    assert raised.value.code == "MS-CELL-ZIP"


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        (61.0, dt.date(1900, 3, 1)),
        (46085.0, dt.date(2026, 3, 4)),
        ("2026-03-04", dt.date(2026, 3, 4)),
        ("12/31/2025", dt.date(2025, 12, 31)),
        (dt.datetime(2026, 3, 4, 13, 30), dt.date(2026, 3, 4)),
    ],
)
def test_to_date(raw: Any, day: dt.date) -> None:
    assert to_date(raw) == day


@pytest.mark.parametrize(
    "raw",
    [
        59.0,
        60.0,
        0.0,
        -1.0,
        46085.5,
        dt.date(1900, 2, 28),
        True,
        dt.timedelta(hours=1),
        "02/30/2026",
        "2026-13-01",
        "",
    ],
)
def test_to_date_refuses(raw: Any) -> None:
    with pytest.raises(CellProblem) as raised:
        to_date(raw)
    assert raised.value.code == "MS-CELL-DATE"


def test_to_whole_number_and_to_decimal() -> None:
    assert (to_whole_number(2.0), to_whole_number(" 3 "), to_whole_number(4)) == (2, 3, 4)
    for bad in (1.5, "two", True, "1.0"):
        with pytest.raises(CellProblem):
            to_whole_number(bad)
    assert (to_decimal(0.8), to_decimal("80%"), to_decimal(80)) == (
        Decimal("0.8"),
        Decimal(80),
        Decimal(80),
    )
    with pytest.raises(CellProblem):
        to_decimal("eighty")


@pytest.mark.parametrize(
    "char", ["\u200b", "\u200d", "\ufeff", "\u0000", "\u001b", "\u2028", "\u00ad"]
)
def test_clean_text_refuses_invisible_characters(char: str) -> None:
    with pytest.raises(CellProblem) as raised:
        clean_text(f"Sm{char}ith")
    assert raised.value.code == "MS-CELL-CHAR" and f"U+{ord(char):04X}" in raised.value.message
