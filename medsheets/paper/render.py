"""CMS-1500 forms to PDF, through the statement renderer (WeasyPrint, sandboxed jinja, the
locked-down fetcher): the form's template may load nothing but its own stylesheet.

Two variants of the same forms, placed on the same grid (`grid.py`):

- plain paper: the form drawn in red with every box and caption, the data in black: for a
  payer that takes a printed form, and for the practice's own copy;
- pre-printed: the data only, to print onto the red OCR form the payer wants. It starts with
  an alignment page: every field of the form filled with X's. Print it on a blank red form
  first; each X must sit inside its box, or the printer's margins need adjusting.

The PDF's title is fixed and it carries no creation date: it never names a patient in its
properties, and the same forms give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medsheets.invoices import templates
from medsheets.invoices.render import PdfRenderer
from medsheets.paper.form import ClaimForm
from medsheets.paper.grid import CHECKS, COLUMN_INCH, FRAME, LINE_INCH, MARKS, Field, x_inch, y_inch

PACKAGED = Path(__file__).parent / "templates"
FORM_HTML, FORM_CSS = "cms1500.html", "cms1500.css"
PDF_TITLE = "Health insurance claim form"
ALIGNMENT_NOTE = ("ALIGNMENT TEST. Print this page on a blank red CMS-1500 form: every X must "
                  "sit inside its box. If not, adjust the printer's margins and print it again.")

_renderer: PdfRenderer | None = None


def render_forms(forms: Sequence[ClaimForm], *, drawn: bool) -> bytes:
    """One PDF of `forms`: drawn on plain paper, or data only after an alignment page."""
    pages = [_page(form.fields, drawn=drawn) for form in forms]
    if not drawn:
        pages.insert(0, _page(alignment_fields(forms[0].fields if forms else ()), drawn=False,
                              note=ALIGNMENT_NOTE))
    env = templates.environment([PACKAGED], html=True)
    html = templates.fill(templates.load(env, FORM_HTML), {"pages": pages})
    return _pdf_renderer().pdf(html)


def alignment_fields(fields: Sequence[Field]) -> list[Field]:
    """Every field of a form, its text replaced by X's over its full width."""
    return [Field(f.box, f.line, f.column, f.width, "X" * min(f.width, max(len(f.text), 1)))
            for f in fields]


def _pdf_renderer() -> PdfRenderer:
    global _renderer
    if _renderer is None:
        _renderer = PdfRenderer([PACKAGED], html_name=FORM_HTML, css_name=FORM_CSS, title=PDF_TITLE)
    return _renderer


def _page(fields: Sequence[Field], *, drawn: bool, note: str = "") -> dict[str, Any]:
    page: dict[str, Any] = {
        "drawn": drawn, "note": note, "note_y": _inch(y_inch(63.5)), "title_x": _inch(x_inch(1)),
        "fields": [{"x": _inch(x_inch(f.column)), "y": _inch(y_inch(f.line)), "text": f.shown}
                   for f in fields if f.text],
    }
    if drawn:
        page.update(
            title_y=_inch(y_inch(4.2)), approved_y=_inch(y_inch(5.5)),
            pica_y=_inch(y_inch(6.1)), footer_y=_inch(y_inch(62.2)), side_top=_inch(y_inch(9)),
            lower_top=_inch(y_inch(38)), carrier_x=_inch(x_inch(36)), carrier_y=_inch(y_inch(3)),
            boxes=[{"x": _inch(x_inch(b.left)), "y": _inch(y_inch(b.top)),
                    "w": _inch((b.right - b.left + 1) * COLUMN_INCH),
                    "h": _inch((b.bottom - b.top + 1) * LINE_INCH),
                    "caption": b.caption, "shaded": b.shaded} for b in FRAME],
            marks=[{"x": _inch(x_inch(column)), "y": _inch(y_inch(line)), "text": text}
                   for line, column, text in MARKS],
            checks=[{"x": _inch(x_inch(column) - 0.01), "y": _inch(y_inch(line) + 0.025),
                     "label_x": _inch(x_inch(column + 1.15)), "label": label}
                    for line, column, label in CHECKS],
        )
    return page


def _inch(value: float) -> str:
    """A position as CSS inches; positions are layout, never money, so a float is right here."""
    return f"{value:.4f}"
