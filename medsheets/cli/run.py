"""`medsheets run [DIR]`: the day in one command.

Order matters: before the visits, the eligibility questions for the appointments, the payers'
answers (271) and the estimates; then claims (so acknowledgments and remittances find them), then the
clearinghouse's acknowledgments, the payers' remittances, the patients' payments; then the
statements and the aging workbook over the ledger as it now stands. A step that cannot run is
reported and the next one still runs; the exit code says whether anything was held back.
"""

from __future__ import annotations

import datetime as dt

import click

from medsheets.cli.day_steps import Day, run_day
from medsheets.cli.options import as_of_option, exit_held_if, load_practice, now_of, practice_options
from medsheets.day import find_inputs


@click.command("run")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--send", is_flag=True, help="Email the statements (default: .eml files in out/outbox/).")
@as_of_option("The day of work: every entry is dated and every report drawn up for it "
              "(default: today).")
@practice_options
def run_command(folder: str | None, send: bool, as_of: dt.date,
                practice_dir: str | None, db_url: str | None) -> None:
    """Do the day's work for every new file in the practice folder DIR.

    Bills new encounters, reads acknowledgments and remittances, posts payments, produces the
    statements and the aging workbook. Running it again does nothing new and says so.
    """
    practice = load_practice(folder or practice_dir, db_url)
    day = Day(practice, as_of, now_of(as_of), send, find_inputs(practice))
    for path, reason in day.inputs.refused:
        click.echo(f"medsheets: skipped {path.name}: {reason}")
        day.held = True
    run_day(day)
    click.secho("\n== The day", bold=True)
    for line in day.lines:
        click.echo(line)
    exit_held_if(day.held)


commands: list[click.Command] = [run_command]
