"""A report's rows as the text the ledger keeps, so a report a killed run owed is written again.

A run that owes a report workbook records its rows with the run (medsheets/command.py `Kept`)
and writes the workbook from them after the commit; the next run writes it from the same text
should the first have died. One JSON array a line, `[table, value, ...]`, tables in the order
they are written: amounts keep their exact Decimal text and dates their ISO form (tagged, so
the workbook gets back the same typed cells), and the lines are read back one at a time, so a
report of 100,000 rows is never held twice.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

AMOUNT, DAY = "$", "d"  # the tags of a Decimal and of a date


def rows_text(tables: Iterable[Iterable[Sequence[Any]]]) -> str:
    """The rows of each table, in order, as the text to keep."""
    out = io.StringIO()
    for number, rows in enumerate(tables):
        for row in rows:
            out.write(_line(number, row))
            out.write("\n")
    return out.getvalue()


def _line(number: int, row: Sequence[Any]) -> str:
    """`[number, *row]` as _ENCODER writes it (one JSON array, no spaces), made a value at a
    time for the kinds a report row holds (text, whole numbers, amounts, days, None, yes/no):
    the encoder's callback for every amount and day cost more than the rest of the row. A row
    holding anything else is written by _ENCODER itself."""
    pieces = [str(number)]
    for value in row:
        kind = value.__class__
        if kind is str:
            pieces.append(encode_basestring_ascii(value))
        elif kind is Decimal:  # its text needs no escaping: digits, sign, point, exponent
            pieces.append(f'{{"{AMOUNT}":"{value}"}}')
        elif kind is dt.date:
            pieces.append(f'{{"{DAY}":"{value.isoformat()}"}}')
        elif value is None:
            pieces.append("null")
        elif kind is int:
            pieces.append(int.__repr__(value))
        elif kind is bool:
            pieces.append("true" if value else "false")
        else:
            return _ENCODER.encode([number, *row])
    return f"[{','.join(pieces)}]"


class KeptRows:
    """The tables of a kept text, read back in the order they were kept: `table(n)` yields
    table n's rows (typed as they were), after tables 0..n-1 have been read."""

    def __init__(self, text: str) -> None:
        self._lines = _lines(text)
        self._next: list[Any] | None = self._read()

    def table(self, number: int) -> Iterator[list[Any]]:
        while self._next is not None and self._next[0] <= number:
            row, self._next = self._next, self._read()
            if row[0] == number:
                yield row[1:]

    def _read(self) -> list[Any] | None:
        line = next(self._lines, None)
        return _DECODER.decode(line) if line is not None else None


def _lines(text: str) -> Iterator[str]:
    """The kept text's lines one at a time, each cut from the text as it is reached (an
    io.StringIO over the text would first copy all of it, four bytes a character)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def _tagged(value: Any) -> dict[str, str]:
    if isinstance(value, Decimal):
        return {AMOUNT: str(value)}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {DAY: value.isoformat()}
    raise TypeError(f"a report cell of type {type(value).__name__} cannot be kept")


def _untagged(item: dict[str, str]) -> Any:
    if AMOUNT in item:
        return Decimal(item[AMOUNT])
    if DAY in item:
        return dt.date.fromisoformat(item[DAY])
    return item


# One encoder and one decoder for every row (json.dumps/loads given these options make new
# ones per call, which cost more than the row's own text).
_ENCODER = json.JSONEncoder(default=_tagged, separators=(",", ":"))
_DECODER = json.JSONDecoder(object_hook=_untagged)
