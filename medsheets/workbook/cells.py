"""Turn one raw cell value into what its column means, or say exactly why it cannot be.

The raw value is what python-calamine gives: str, float, int, bool, date, datetime, timedelta,
or "" for an empty cell. Each converter returns the typed value, returns a `Flagged` value when
it had to repair the cell (a ZIP whose leading zero Excel dropped), or raises `CellProblem`.
Codes and IDs stay text; money becomes Decimal through money.parse_money; no string such as
"NA" or "NULL" is ever taken for a missing value.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from medsheets.money import MoneyError, parse_money

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 once the phantom 1900-02-29 is skipped
FIRST_RELIABLE_DATE = dt.date(1900, 3, 1)


class CellProblem(Exception):
    """A cell that cannot be read as its column requires. `code` is a stable problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Flagged:
    """A value the converter repaired, with the warning to show about the repair."""

    value: Any
    code: str
    message: str


def clean_text(raw: str) -> str:
    """Trim (non-breaking spaces included), fold line breaks and tabs to spaces, refuse
    zero-width and control characters, which hide inside copied text and break outputs."""
    if raw.isprintable():
        return raw.strip()
    chars = []
    for ch in raw:
        if ch.isprintable():
            chars.append(ch)
        elif ch in "\r\n\t" or unicodedata.category(ch) == "Zs":
            chars.append(" ")
        else:
            name = unicodedata.name(ch, "control character")
            raise CellProblem(
                "MS-CELL-CHAR",
                f"contains an invisible character U+{ord(ch):04X} ({name}); retype the cell",
            )
    return " ".join("".join(chars).split()) if "\n" in raw or "\r" in raw else "".join(chars).strip()


def _number_text(value: float | int) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def to_text(raw: Any) -> str:
    """Any cell as text; numbers without a spurious '.0'."""
    if isinstance(raw, str):
        return clean_text(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, (int, float)):
        return _number_text(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return clean_text(str(raw))


def to_code(raw: Any) -> str:
    """A code (CPT, modifier, payer id, state, sex): text, upper case, inner spaces removed."""
    return to_text(raw).upper().replace(" ", "")


def to_identifier(raw: Any) -> str | Flagged:
    """An ID assigned by someone else that must keep every character (member ID, group number).

    A number here means Excel converted the ID and any leading zeros are gone for good: the
    value is kept and flagged so the user can check it against the card.
    """
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if isinstance(raw, float) and abs(raw) >= 2**53:
            raise CellProblem(
                "MS-CELL-ID-NUMBER",
                "is a number too large for Excel to keep exactly; format the column as Text "
                "and type the ID again",
            )
        return Flagged(
            _number_text(raw),
            "MS-CELL-ID-NUMBER",
            "was stored by Excel as a number, so leading zeros may be lost; format the column "
            "as Text and check the ID",
        )
    return to_text(raw)


def to_date(raw: Any) -> dt.date:
    """An Excel date, an Excel serial number, or text as YYYY-MM-DD or MM/DD/YYYY."""
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        day = _from_serial(raw)
    elif isinstance(raw, str):
        day = _parse_date_text(clean_text(raw))
    else:
        raise CellProblem("MS-CELL-DATE", f"'{raw}' is not a date; write it as YYYY-MM-DD")
    if day < FIRST_RELIABLE_DATE:
        raise CellProblem(
            "MS-CELL-DATE",
            f"{day.isoformat()} is before 1900-03-01, where Excel's dates are off by a day (its "
            "1900 leap-year bug); type the date as text, YYYY-MM-DD",
        )
    return day


def _from_serial(serial: float) -> dt.date:
    if serial != int(serial):
        raise CellProblem("MS-CELL-DATE", f"{serial} is a number, not a date")
    number = int(serial)
    if number == 60:
        raise CellProblem(
            "MS-CELL-DATE",
            "Excel serial 60 is 1900-02-29, a day that never existed (Excel's 1900 leap-year bug); "
            "type the date as text, YYYY-MM-DD",
        )
    if not 1 <= number <= 2958465:
        raise CellProblem("MS-CELL-DATE", f"{number} is not a date; write it as YYYY-MM-DD")
    if number < 60:
        return dt.date(1899, 12, 31) + dt.timedelta(days=number)
    return EXCEL_EPOCH + dt.timedelta(days=number)


def _parse_date_text(text: str) -> dt.date:
    try:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        parts = text.split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[0]), int(parts[1]))
    except ValueError:
        raise CellProblem("MS-CELL-DATE", f"'{text}' is not a real calendar date") from None
    raise CellProblem(
        "MS-CELL-DATE", f"'{text}' is not a date; write it as YYYY-MM-DD or MM/DD/YYYY"
    )


def to_money(raw: Any) -> Decimal:
    if isinstance(raw, (dt.date, dt.timedelta)):
        raise CellProblem("MS-CELL-MONEY", f"'{raw}' is a date, not an amount of money")
    try:
        return parse_money(raw)
    except MoneyError as exc:
        raise CellProblem("MS-CELL-MONEY", str(exc)) from None


def to_whole_number(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellProblem("MS-CELL-NUMBER", f"{raw} is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellProblem("MS-CELL-NUMBER", f"{raw!r} is not a whole number")
    text = to_text(raw)
    if text.isdigit() or (text.startswith("-") and text[1:].isdigit()):
        return int(text)
    raise CellProblem("MS-CELL-NUMBER", f"'{text}' is not a whole number")


def to_decimal(raw: Any) -> Decimal:
    """A plain number (a percentage), exact."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    text = to_text(raw).rstrip("%").strip()
    try:
        return Decimal(text)
    except ArithmeticError:
        raise CellProblem("MS-CELL-NUMBER", f"'{text}' is not a number") from None


def to_zip(raw: Any) -> str | Flagged:
    """A ZIP code as 5 or 9 digits of text, restoring a leading zero Excel dropped.

    Excel turns 02134 into the number 2134. A number of 1 to 4 digits can only be a 5-digit
    ZIP and one of 8 digits only a ZIP+4, so those are restored (and flagged); 6 or 7 digits
    could be either and are refused.
    """
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        digits = _number_text(raw)
        if not digits.isdigit():
            raise CellProblem("MS-CELL-ZIP", f"{digits} is not a ZIP code")
        if len(digits) in (5, 9):
            return digits
        if len(digits) < 5 or len(digits) == 8:
            restored = digits.zfill(5 if len(digits) < 5 else 9)
            return Flagged(
                restored,
                "MS-CELL-ZIP-RESTORED",
                f"Excel stored the ZIP as the number {digits}; read as {restored}. Format the "
                "column as Text to keep leading zeros",
            )
        raise CellProblem(
            "MS-CELL-ZIP",
            f"Excel stored the ZIP as the number {digits}, which could be a 5- or 9-digit ZIP "
            "with its leading zeros lost; format the column as Text and retype it",
        )
    text = to_text(raw).replace("-", "").replace(" ", "")
    if text.isdigit() and len(text) in (5, 9):
        return text
    raise CellProblem("MS-CELL-ZIP", f"'{to_text(raw)}' is not a ZIP code (5 or 9 digits)")


Converter = Callable[[Any], Any]

def to_account(raw: Any) -> str:
    """A practice's own account number or an NPI: numeric ones are normal, no zeros to lose."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _number_text(raw)
    return to_text(raw)


def _zero_padded_code(width: int, what: str) -> Converter:
    """Codes with a fixed width whose leading zeros Excel drops when the cell is a number:
    anesthesia CPT 00100 becomes 100, place of service 02 becomes 2. Restored and flagged."""

    def convert(raw: Any) -> str | Flagged:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            digits = _number_text(raw)
            if digits.isdigit() and len(digits) < width:
                restored = digits.zfill(width)
                return Flagged(restored, "MS-CELL-CODE-RESTORED",
                               f"Excel stored the {what} as the number {digits}; read as "
                               f"{restored}. Format the column as Text to keep leading zeros")
            return digits
        return to_code(raw)

    return convert


CONVERTERS: dict[str, Converter] = {
    "text": to_text,
    "code": to_code,
    "id": to_identifier,
    "account": to_account,
    "procedure": _zero_padded_code(5, "procedure code"),
    "pos": _zero_padded_code(2, "place of service"),
    "date": to_date,
    "money": to_money,
    "int": to_whole_number,
    "decimal": to_decimal,
    "zip": to_zip,
}
