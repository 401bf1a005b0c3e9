"""Options every command shares (docs/commands.md: --practice, --db, --as-of), defined once.

`--as-of` is the one place the calendar is read: every command that records or reports gets
the day (`as_of`, a date) from here, and the library below `medsheets/cli/` never reads the
clock. The instant a command stamps on its files (`now`) is that day: the clock's time when the
day is today, midnight of the day otherwise, so a run for a past day is reproducible.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import click

from medsheets.practice import Practice, open_practice


def practice_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --practice and --db; the command receives `practice: Practice`."""
    command = click.option(
        "--db", "db_url", default=None, metavar="URL",
        help="Ledger database URL (default: sqlite:///PRACTICE/medsheets.db).",
    )(command)
    command = click.option(
        "--practice", "practice_dir", default=None, envvar="MEDSHEETS_PRACTICE",
        type=click.Path(file_okay=False), metavar="DIR",
        help="The practice folder (default: $MEDSHEETS_PRACTICE, else the current directory).",
    )(command)
    return command


def _day(ctx: click.Context, param: click.Parameter, value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else dt.date.today()


def as_of_option(help_text: str = "The day the work is dated and reported for (default: today).",
                 ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--as-of YYYY-MM-DD; the command receives `as_of: datetime.date` (today when not given)."""
    return click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        metavar="YYYY-MM-DD", callback=_day, help=help_text,
    )


def now_of(as_of: dt.date) -> dt.datetime:
    """The instant a command working for day `as_of` stamps on what it writes (module docstring)."""
    clock = dt.datetime.now().replace(microsecond=0)
    return clock if clock.date() == as_of else dt.datetime.combine(as_of, dt.time())


def load_practice(practice_dir: str | None, db_url: str | None) -> Practice:
    return open_practice(practice_dir, db_url)


def exit_held_if(held: bool) -> None:
    """End the command with the code of docs/commands.md: 1 when data was held back, else 0."""
    click.get_current_context().exit(1 if held else 0)
