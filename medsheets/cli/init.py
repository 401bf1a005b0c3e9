"""`medsheets init DIR`: create a practice folder with working example content.

The example is dated to the two weekdays before `--as-of` (default: today), so that
`medsheets run DIR` works at once: nothing is in the future and nothing is past a payer's filing
limit. `--as-of` builds the same example for a fixed day (tests and demonstrations that must
not depend on the calendar). An existing practice or a non-empty folder is refused (exit 2)
rather than touched.
"""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path

import click

from medsheets.cli.options import as_of_option
from medsheets.example import create_practice, recent_weekdays


@click.command("init")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@as_of_option("Date the example to the two weekdays before this day (default: today).")
def init(directory: Path, as_of: dt.date) -> None:
    """Create the practice folder DIR with an example practice to try and then edit."""
    made = create_practice(directory, recent_weekdays(as_of))
    click.echo(f"Created the practice folder {directory}:")
    for entry in made:
        click.echo(f"  {entry}")
    click.echo("The practice, its patients and payers are fictional examples; put your own "
               "details in medsheets.toml and codesets.xlsx before billing.")
    click.echo(f"Next: medsheets run {shlex.quote(str(directory))}")


commands: list[click.Command] = [init]
