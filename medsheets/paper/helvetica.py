"""Helvetica's advance widths, to wrap the drawn form's captions and the alignment note.

The form is drawn in the PDF standard font Helvetica, which a viewer or printer supplies (it is
never embedded), so its glyph widths are a fact of the font: the table below is its standard
metrics for printable ASCII, in thousandths of the font size. Every caption and note is ASCII;
any other character is measured as `OTHER`, an average glyph, which can only shift a line break.
"""

from __future__ import annotations

# Advance widths of " " (32) through "~" (126), in character-code order.
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556,  # 0 to 9
    278, 278, 584, 584, 584, 556, 1015,  # : to @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,  # A to M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611,  # N to Z
    278, 278, 278, 469, 556, 333,  # [ to `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,  # a to m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,  # n to z
    334, 260, 334, 584,  # { to ~
)
WIDTHS = {chr(32 + index): width for index, width in enumerate(_ASCII_WIDTHS)}
OTHER = 556


def text_width(text: str, size: float) -> float:
    """The advance of `text` at `size` points, in points."""
    return sum(WIDTHS.get(char, OTHER) for char in text) * size / 1000


def wrap(text: str, size: float, room: float) -> tuple[str, ...]:
    """`text`'s words in lines no wider than `room` points, as a browser wraps them: runs of
    spaces are one space, and a word wider than the room stands alone on its line (the box
    clips it)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > room:
            lines.append(line)
            candidate = word
        line = candidate
    return (*lines, line) if line else tuple(lines)
