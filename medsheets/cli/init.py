"""`medsheets init DIR`: create a practice folder with working example content.

The example is dated to the two most recent weekdays, so that `medsheets run DIR` works at
once: nothing is in the future and nothing is past a payer's filing limit. An existing
practice or a non-empty folder is refused (exit 2) rather than touched.
"""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path

import click

from medsheets.example import create_practice, recent_weekdays


@click.command("init")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
def init(directory: Path) -> None:
    """Create the practice folder DIR with an example practice to try and then edit."""
    made = create_practice(directory, recent_weekdays(dt.date.today()))
    click.echo(f"Created the practice folder {directory}:")
    for entry in made:
        click.echo(f"  {entry}")
    click.echo("The practice, its patients and payers are fictional examples; put your own "
               "details in medsheets.toml and codesets.xlsx before billing.")
    click.echo(f"Next: medsheets run {shlex.quote(str(directory))}")


commands: list[click.Command] = [init]
