"""CMS-1500 forms to PDF, drawn directly (pydyf): each form a page of text on the form's grid.

Two variants of the same forms, placed on the same grid (`grid.py`):

- plain paper: the form drawn in red with every box and caption, the data in black: for a
  payer that takes a printed form, and for the practice's own copy;
- pre-printed: the data only, to print onto the red OCR form the payer wants. It starts with
  an alignment page: every field of the form filled with X's. Print it on a blank red form
  first; each X must sit inside its box, or the printer's margins need adjusting.

The data are Courier 12 pt, whose every character is 0.1 inch wide, the grid's pitch; the form
is Helvetica. Both are PDF standard fonts, which a viewer supplies, so nothing is embedded.
The drawn form is the same on every page: the document holds it once, as a Form XObject
(`frame.py`) that each page places, so a page costs only its data, and a page is kept only as
its compressed content while the rest are made (a day of thousands of paper claims stays in
a few megabytes).

The PDF's title is fixed and it carries no creation date: it never names a patient in its
properties, and the same forms give the same bytes.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

import pydyf

from medsheets.paper.form import ClaimForm
from medsheets.paper.frame import frame_content
from medsheets.paper.grid import Field, shown_text, x_inch, y_inch
from medsheets.paper.helvetica import wrap
from medsheets.paper.pdf_text import PAGE_HEIGHT, PAGE_WIDTH, POINTS, number, shown_at

PDF_TITLE = "Health insurance claim form"
ALIGNMENT_NOTE = ("ALIGNMENT TEST. Print this page on a blank red CMS-1500 form: every X must "
                  "sit inside its box. If not, adjust the printer's margins and print it again.")
DATA_SIZE, DATA_BASELINE = 12, 0.163  # points; inches below the top of the field's grid line
NOTE_LINE, NOTE_SIZE, NOTE_LEADING, NOTE_WIDTH = 63.5, 9, 10.35, 7.5  # grid line, pt, pt, inches
NOTE_BASELINE = 0.113
FONTS = {"C": "Courier", "H": "Helvetica", "HB": "Helvetica-Bold"}  # resource name: standard font
PLACE_FRAME = b"q /Frame Do Q\n"  # a drawn page places the form, then prints its data over it
MEDIA_BOX = b"[0 0 %s %s]" % (number(PAGE_WIDTH), number(PAGE_HEIGHT))


def render_forms(forms: Sequence[ClaimForm], *, drawn: bool) -> bytes:
    """One PDF of `forms`: drawn on plain paper, or data only after an alignment page."""
    pdf = pydyf.PDF()
    pdf.info["Title"] = pydyf.String(PDF_TITLE)
    fonts = pydyf.Dictionary({name: pydyf.Dictionary({
        "Type": "/Font", "Subtype": "/Type1", "BaseFont": f"/{base}", "Encoding": "/WinAnsiEncoding"})
        for name, base in FONTS.items()})
    resources = pydyf.Dictionary({"Font": fonts})
    if drawn:
        frame = _stream(frame_content(), {
            "Type": "/XObject", "Subtype": "/Form", "BBox": MEDIA_BOX, "Resources": resources})
        pdf.add_object(frame)
        resources = pydyf.Dictionary({"Font": fonts, "XObject": pydyf.Dictionary({"Frame": frame.reference})})
    pdf.add_object(resources)
    if not drawn:
        _add_page(pdf, resources, _data(alignment_fields(forms[0].fields if forms else ())) + _note())
    for form in forms:
        _add_page(pdf, resources, (PLACE_FRAME if drawn else b"") + _data(form.fields))
    output = io.BytesIO()
    pdf.write(output)
    return output.getvalue()


def alignment_fields(fields: Sequence[Field]) -> list[Field]:
    """Every field of a form, its text replaced by X's over its full width."""
    return [Field(f.box, f.line, f.column, f.width, "X" * min(f.width, max(len(f.text), 1)))
            for f in fields]


def _data(fields: Iterable[Field]) -> bytes:
    """The fields' text in black Courier, each at its grid cell."""
    return b"\n".join([b"BT 0 g /C %d Tf" % DATA_SIZE,
                       *[_placed(f.column, f.line, f.text, f.width, f.right) for f in fields if f.text],
                       b"ET"])


@lru_cache(maxsize=8192)
def _placed(column: int, line: int, text: str, width: int, right: bool) -> bytes:
    """One field shown at its cell. Remembered, within a bound: a day's forms repeat most of
    their fields (the check marks, the signatures, the practice's block, the day's dates, the
    NPIs). Keyed by the field's plain values, which hash and compare in C, not by the Field,
    whose dataclass hash and equality run in Python (840,000 look-ups for 4,545 forms)."""
    return shown_at(x_inch(column), y_inch(line) + DATA_BASELINE, shown_text(text, width, right))


def _note() -> bytes:
    """The alignment page's note, in black Helvetica under the form."""
    lines = wrap(ALIGNMENT_NOTE, NOTE_SIZE, NOTE_WIDTH * POINTS)
    top = y_inch(NOTE_LINE) + NOTE_BASELINE
    shown = [shown_at(x_inch(1), top + index * NOTE_LEADING / POINTS, text) for index, text in enumerate(lines)]
    return b"\n" + b"\n".join([b"BT 0 g /H %d Tf" % NOTE_SIZE, *shown, b"ET"])


def _add_page(pdf: pydyf.PDF, resources: pydyf.Dictionary, content: bytes) -> None:
    contents = _stream(content, {})
    pdf.add_object(contents)
    pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference, "MediaBox": MEDIA_BOX,
                                   "Resources": resources.reference, "Contents": contents.reference}))


def _stream(content: bytes, extra: dict[str, object]) -> pydyf.Stream:
    """A stream holding `content` already compressed: a page waits for the document's end as
    its compressed bytes alone, a tenth of its text. Deflated at the fastest level: a page's
    text repeats itself, so the file is a tenth bigger, and the level's default took a third
    of the time of drawing a day's forms."""
    return pydyf.Stream([zlib.compress(content, 1)], {**extra, "Filter": "/FlateDecode"})

