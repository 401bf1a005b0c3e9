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

from medsheets.cli.options import as_of_option, load_practice, practice_options
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


@click.command("init-ledger")
@click.option("--adopt", is_flag=True, required=True,
              help="Make the ledger now named (by --db, or medsheets.db) this folder's own.")
@practice_options
def init_ledger(adopt: bool, practice_dir: str | None, db_url: str | None) -> None:
    """After a deliberate move of the ledger, tell the practice folder that the ledger it now
    names is its own, and the ledger that it keeps the books of the practice medsheets.toml
    names; until then medsheets refuses a ledger the folder or the practice does not know."""
    from medsheets.ledger import hold_practice
    from medsheets.ledger.identity import ADOPTED_EMPTY, PracticeIds, adopt_ledger

    practice = load_practice(practice_dir, db_url)
    ids = PracticeIds(practice.config.practice.npi, practice.config.practice.tax_id)
    with hold_practice(practice.root, "init-ledger"):
        stamp = adopt_ledger(practice.root, practice.db_url, ids)
    if stamp == ADOPTED_EMPTY:
        click.echo("adopted an empty ledger: the next run starts it afresh (claims already "
                   "billed from this folder are not in it)")
    else:
        click.echo(f"adopted the ledger whose first run was {stamp.split(' ', 1)[0]}")
    click.echo(f"the ledger keeps the books of the practice with {ids}")


commands: list[click.Command] = [init, init_ledger]
