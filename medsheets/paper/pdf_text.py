"""The few pieces of PDF content syntax the forms are drawn with: numbers, strings, places.

Positions come in inches from the sheet's top-left corner, as the grid gives them, and leave
as PDF points from the bottom-left corner, as a content stream wants them.
"""

from __future__ import annotations

from functools import cache

POINTS = 72  # per inch
PAGE_WIDTH, PAGE_HEIGHT = 8.5 * POINTS, 11 * POINTS  # US Letter
# Control characters have no glyph: they print as the replacement too.
_CONTROLS = bytes.maketrans(bytes(range(32)) + b"\x7f", b"?" * 33)


def number(value: float) -> bytes:
    """A coordinate or size as a PDF number: at most three decimals (1/72,000 inch), no
    exponent, the same text for the same value (the same forms give the same bytes)."""
    return f"{value:.3f}".rstrip("0").rstrip(".").encode()


def pdf_string(text: str) -> bytes:
    """`text` as a PDF literal string in WinAnsiEncoding (cp1252), the encoding the page's
    standard fonts are declared with, so the text prints and extracts as written. A character
    WinAnsiEncoding lacks (or a control character) prints as "?": the form's data is already
    cleaned to the 837's character set (form.py), so only a payer's or practice's name could
    carry one."""
    data = text.encode("cp1252", "replace").translate(_CONTROLS)
    if b"\\" in data or b"(" in data or b")" in data:
        data = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + data + b")"


def x_point(x_inch: float) -> float:
    return x_inch * POINTS


def y_point(y_inch: float) -> float:
    """Inches down from the top edge as points up from the bottom edge."""
    return PAGE_HEIGHT - y_inch * POINTS


@cache
def text_at(x_inch: float, y_inch: float) -> bytes:
    """The text-matrix operator that starts a string's baseline at (x, y) inches; cached, since
    every form puts its data at the same few hundred places."""
    return b"1 0 0 1 %s %s Tm " % (number(x_point(x_inch)), number(y_point(y_inch)))


def shown_at(x_inch: float, y_inch: float, text: str) -> bytes:
    """Show `text` with its baseline starting at (x, y) inches, in the current font."""
    return text_at(x_inch, y_inch) + pdf_string(text) + b" Tj"
