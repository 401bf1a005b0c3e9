"""The drawn CMS-1500 (02/12): every box, caption, check box and mark of the plain-paper form,
as one PDF content stream, drawn in drop-out red like the printed form.

Everything stands on the form's grid (`grid.py`); the offsets below place each kind of text
in its cell (baselines, in inches below the top of its grid line). Captions are Helvetica
4.6 pt in capitals, wrapped inside their box and clipped to it, as the printed form has them.
The stream is the same for every form, so the document draws it once, as a Form XObject that
each page places (render.py).
"""

from __future__ import annotations

from medsheets.paper.grid import CHECKS, COLUMN_INCH, FRAME, LINE_INCH, MARKS, Box, x_inch, y_inch
from medsheets.paper.helvetica import text_width, wrap
from medsheets.paper.pdf_text import POINTS, number, pdf_string, shown_at, x_point, y_point

RED = b"0.816 0.125 0.18"  # #d0202e, the form's drop-out red
SHADED = b"0.984 0.89 0.894"  # #fbe3e4, item 24's upper half-lines
BORDER, SHADED_BORDER = 0.6, 0.3  # line widths, points, inside the box's edge
REGULAR, BOLD = b"/H", b"/HB"  # Helvetica, Helvetica-Bold in the document's font resources

CAPTION_SIZE, CAPTION_LEADING = 4.6, 4.83  # points
CAPTION_LEFT, CAPTION_PADDING, CAPTION_BASELINE = 2.1, 1.5, 4.8  # points from the box's edges
CHECK_SIZE = 0.12  # inches, a check box's side
CHECK_LEFT, CHECK_TOP = -0.01, 0.025  # the check box's corner from its cell's, inches
CHECK_LABEL_COLUMN, CHECK_LABEL_BASELINE = 1.15, 0.113  # columns right, inches down
MARK_SIZE, MARK_BASELINE = 7, 0.138
SMALL_SIZE, SMALL_BASELINE = 6, 0.075  # the form's header and footer lines
TITLE_SIZE, TITLE_BASELINE = 15, 0.189
SIDE_SIZE, SIDE_X = 5.5, 8.25  # the rotated side texts: size, baseline inches from the left
SIDE_ARROW, SIDE_GAP = 0.055, 0.083  # an arrow's length, and from its start to the text, inches

# Texts at (line, column) of the grid, a line maybe fractional: size, weight, text.
HEADINGS = (
    (3, 36, SMALL_SIZE, REGULAR, "CARRIER"),
    (4.2, 1, TITLE_SIZE, BOLD, "HEALTH INSURANCE CLAIM FORM"),
    (5.5, 1, SMALL_SIZE, REGULAR, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12"),
    (6.1, 1, SMALL_SIZE, REGULAR, "PICA"),
    (62.2, 1, SMALL_SIZE, REGULAR, ("NUCC Instruction Manual available at: www.nucc.org   PLEASE PRINT "
                                    "OR TYPE   APPROVED OMB-0938-1197 FORM 1500 (02-12)")),
)
SIDES = ((9, "PATIENT AND INSURED INFORMATION"), (38, "PHYSICIAN OR SUPPLIER INFORMATION"))
BASELINES = {SMALL_SIZE: SMALL_BASELINE, TITLE_SIZE: TITLE_BASELINE}


def frame_content() -> bytes:
    """The drawn form's content stream, in page coordinates (the XObject's box is the page)."""
    parts = [b"q", RED + b" RG"]
    for box in FRAME:
        parts += _box(box)
    parts += [RED + b" rg", b"%s w" % number(BORDER)]
    for line, column, label in CHECKS:
        left, top = x_inch(column) + CHECK_LEFT, y_inch(line) + CHECK_TOP
        parts.append(b"1 g " + _rectangle(left, top, CHECK_SIZE, CHECK_SIZE, BORDER) + b" B")
    parts += [RED + b" rg", b"BT", REGULAR + b" %s Tf" % number(CAPTION_SIZE)]
    parts += [shown_at(x_inch(column + CHECK_LABEL_COLUMN), y_inch(line) + CHECK_LABEL_BASELINE, label)
              for line, column, label in CHECKS if label]
    parts.append(BOLD + b" %s Tf" % number(MARK_SIZE))
    parts += [shown_at(x_inch(column), y_inch(line) + MARK_BASELINE, text) for line, column, text in MARKS]
    for row, column, size, font, text in HEADINGS:
        parts += [font + b" %s Tf" % number(size), shown_at(x_inch(column), y_inch(row) + BASELINES[size], text)]
    parts.append(b"ET")
    for line, text in SIDES:
        parts += _side(y_inch(line), text)
    parts.append(b"Q")
    return b"\n".join(parts)


def _box(box: Box) -> list[bytes]:
    """A box: its shading, its border inside its edge, its caption clipped to the inside."""
    left, top = x_inch(box.left), y_inch(box.top)
    width = (box.right - box.left + 1) * COLUMN_INCH
    height = (box.bottom - box.top + 1) * LINE_INCH
    border = SHADED_BORDER if box.shaded else BORDER
    parts = []
    if box.shaded:
        parts.append(SHADED + b" rg " + _rectangle(left, top, width, height, 0) + b" f")
    parts.append(b"%s w " % number(border) + _rectangle(left, top, width, height, border) + b" S")
    if box.caption:
        inside = border / POINTS
        room = width * POINTS - 2 * (border + CAPTION_PADDING)
        parts += [b"q " + _rectangle(left + inside, top + inside, width - 2 * inside, height - 2 * inside, 0)
                  + b" W n", RED + b" rg BT", REGULAR + b" %s Tf" % number(CAPTION_SIZE)]
        for index, text in enumerate(wrap(box.caption.upper(), CAPTION_SIZE, room)):
            baseline = (CAPTION_BASELINE + index * CAPTION_LEADING) / POINTS
            parts.append(shown_at(left + CAPTION_LEFT / POINTS, top + baseline, text))
        parts.append(b"ET Q")
    return parts


def _rectangle(left: float, top: float, width: float, height: float, line: float) -> bytes:
    """A rectangle given in inches from the top-left, shrunk by half a line width (points) on
    each side so that its stroke lies inside it, as a CSS border does."""
    inset = line / 2
    return b"%s %s %s %s re" % (number(x_point(left) + inset), number(y_point(top + height) + inset),
                                 number(width * POINTS - line), number(height * POINTS - line))


def _side(top: float, text: str) -> list[bytes]:
    """A side text read top to bottom beside the form's right edge, between an arrow pointing
    up and one pointing down (the glyphs stand to the right of the baseline)."""
    x = x_point(SIDE_X)
    tip = x + SIDE_ARROW * POINTS / 2
    end = top + SIDE_GAP + text_width(f"{text}  ", SIDE_SIZE) / POINTS
    parts = [b"BT", REGULAR + b" %s Tf" % number(SIDE_SIZE),
             b"0 -1 1 0 %s %s Tm " % (number(x), number(y_point(top + SIDE_GAP))) + pdf_string(text) + b" Tj", b"ET"]
    for base, point in ((top + SIDE_ARROW, top), (end, end + SIDE_ARROW)):
        parts.append(b"%s %s m %s %s l %s %s l f" % (
            number(x), number(y_point(base)), number(x + SIDE_ARROW * POINTS), number(y_point(base)),
            number(tip), number(y_point(point))))
    return parts

