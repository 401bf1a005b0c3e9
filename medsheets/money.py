"""Money as Decimal, from the first cell read to the last byte written.

A float never holds money here: a cell's number is turned into Decimal through its shortest
decimal text (what the xlsx file itself stores), checked to whole cents, and kept as Decimal or
as integer cents (the ledger) from then on.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Commas only as thousands separators: "12,50" (a European decimal comma) must not read as 1250.
_MONEY_TEXT = re.compile(
    r"^\(?-?\$?-?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)\)?$"
)


class MoneyError(ValueError):
    """A value that is not an exact amount of money in whole cents."""


def parse_money(value: object) -> Decimal:
    """Parse a cell value (number or text such as ``$1,234.50`` or ``(12.00)``) to Decimal cents.

    Raises MoneyError for text that is not money and for a fraction of a cent: a charge of
    ``10.005`` is a typing error to fix, not something to round silently.
    """
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount of money")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, (float,)):
        # repr() gives the shortest text that round-trips: the digits the workbook stores.
        if not math.isfinite(value):
            raise MoneyError(f"{value!r} is not an amount of money")
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if not _MONEY_TEXT.match(text) or text.startswith("(") != text.endswith(")"):
            raise MoneyError(f"'{value}' is not an amount of money; write it like 1234.50")
        negative = text.startswith("(") and text.endswith(")") or "-" in text
        digits = text.strip("()").replace("$", "").replace(",", "").replace("-", "")
        try:
            amount = Decimal(digits)
        except InvalidOperation:
            raise MoneyError(f"'{value}' is not an amount of money") from None
        if negative:
            amount = -amount
    else:
        raise MoneyError(f"{value!r} is not an amount of money")
    try:
        cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than Decimal's precision: 1E+300, a run of 30 digits
        raise MoneyError(f"{amount} is too large to be an amount of money") from None
    if amount != cents:
        raise MoneyError(f"{amount} has a fraction of a cent; money has at most 2 decimals")
    return cents


def to_cents(amount: Decimal) -> int:
    """Whole cents as an integer, for storage; refuses anything finer than a cent."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise MoneyError(f"{amount} has a fraction of a cent")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_money(amount: Decimal) -> str:
    """Plain two-decimal text with thousands separators: 1,234.50 (negative: -1,234.50)."""
    return f"{amount.quantize(CENT):,.2f}"


def x12_amount(amount: Decimal) -> str:
    """An amount as X12 writes it (R data type): no trailing zeros past the point, no '+'."""
    text = format(amount.quantize(CENT), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
