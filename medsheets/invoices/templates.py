"""Finding and filling the statement templates: the packaged ones, or the practice's own.

The packaged templates live inside this package (medsheets/invoices/templates/), so they are
found the same way from a source checkout and from an installed wheel. A practice overrides
any of them by putting a file of the same name in PRACTICE/templates/ (statement.html,
statement.css, email.txt); everything it does not override comes from the package.

Patient text only ever reaches a template as a variable, and every HTML template is
autoescaped: `<img src=...>` in a name prints as those characters. The environments are
sandboxed (a practice's template cannot reach into Python) and strict (a misspelt variable is
an error, not a blank on a mailed statement). The email body is plain text, so it is not
HTML-escaped; it is given no patient data at all, only the practice's and the dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from medsheets.errors import MedsheetsError
from medsheets.money import ZERO, format_money

PACKAGED = Path(__file__).parent / "templates"
PRACTICE_SUBFOLDER = "templates"
STATEMENT_HTML, STATEMENT_CSS, EMAIL_TEXT = "statement.html", "statement.css", "email.txt"
GFE_HTML, GFE_CSS, GFE_EMAIL_TEXT = "gfe.html", "gfe.css", "gfe_email.txt"  # the Good Faith Estimate


class TemplateError(MedsheetsError):
    """A statement template that cannot be read or filled: the file and line to fix."""


def template_folders(practice_root: Path | None) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins: the practice's folder, then the package."""
    own = practice_root / PRACTICE_SUBFOLDER if practice_root is not None else None
    return (own, PACKAGED) if own is not None and own.is_dir() else (PACKAGED,)


def find(folders: Sequence[Path], name: str) -> Path:
    """The file `name` from the first folder that has it."""
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    raise TemplateError(f"{name}: no such template in {', '.join(str(f) for f in folders)}")


def money(amount: Decimal) -> str:
    """$1,234.50; a credit (negative) as $25.00 CR, the way statements show credits."""
    if amount < ZERO:
        return f"${format_money(-amount)} CR"
    return f"${format_money(amount)}"


def cell_money(amount: Decimal) -> str:
    """Money in a table cell: a dash for nothing, so the amounts that matter stand out."""
    return "\u2014" if amount == ZERO else money(amount)


def us_date(day: dt.date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def phone(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) == 10:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number


def zip_code(value: str) -> str:
    return f"{value[:5]}-{value[5:]}" if len(value) == 9 and value.isdigit() else value


def environment(folders: Sequence[Path], *, html: bool) -> SandboxedEnvironment:
    """A sandboxed, strict environment over `folders`; autoescaped when it renders HTML."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=money, cell_money=cell_money, us_date=us_date,
                       long_date=long_date, phone=phone, zip_code=zip_code)
    return env


def load(env: jinja2.Environment, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound:
        raise TemplateError(f"{name}: template not found") from None


def fill(template: jinja2.Template, context: dict[str, object]) -> str:
    """The template filled in; a template error names the file and the problem, no data."""
    try:
        return template.render(context)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{template.filename or template.name}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template.filename or template.name}: {type(exc).__name__}") from None
