"""`medsheets eligibility APPTS…`: one X12 270 asking the payers about the insured appointments.

The report names appointments and accounts by their ids, never a patient. Exit code 1 when an
appointment was held back by an error in its row (fix the cell, run again: the others are not
asked twice).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from medsheets.cli.options import (
    as_of_option,
    exit_held_if,
    load_practice,
    now_of,
    practice_options,
)
from medsheets.cli.report import print_restored, problem_line
from medsheets.eligibility.run import EligibilityResult, ask_eligibility


@click.command("eligibility")
@click.argument("workbooks", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The day the inquiries are sent and recorded for (default: today).")
@practice_options
def eligibility_command(workbooks: tuple[Path, ...], as_of: dt.date, practice_dir: str | None,
                        db_url: str | None) -> None:
    """Ask each payer whether the appointments' patients are covered: an X12 270
    (005010X279A1) in out/eligibility/ for the clearinghouse; self-pay visits are not asked.

    Read the payers' 271 answers with 'medsheets benefits FILE…'.
    """
    practice = load_practice(practice_dir, db_url)
    result = ask_eligibility(practice, list(workbooks), now=now_of(as_of))
    print_eligibility_report(result)
    exit_held_if(result.has_errors)


def print_eligibility_report(result: EligibilityResult) -> None:
    print_restored(result.restored)
    for problem in result.problems:
        click.echo(problem_line(problem))
    for patient_id, inquiry in result.asked:
        kinds = ", ".join(inquiry.service_types)
        click.echo(f"asked {inquiry.payer_id} about account {patient_id} for "
                   f"{inquiry.date_of_service:%Y-%m-%d} (service types {kinds}; trace {inquiry.trace})")
    if result.file:
        click.echo(f"eligibility: {len(result.asked)} inquiries -> {result.file}")
    if result.already_asked:
        click.echo(f"already asked: {len(result.already_asked)} appointments (not sent twice)")
    if result.self_pay:
        click.echo(f"self-pay: {len(result.self_pay)} appointments, not asked about; "
                   "'medsheets estimate' gives them a Good Faith Estimate")
    if result.book.held:
        click.echo(f"held: {len(result.book.held)} appointments with errors; fix the cells above "
                   "and run again")
    if not result.asked:
        click.echo("no new inquiry to send")


commands: list[click.Command] = [eligibility_command]
