"""`medsheets estimate APPTS… [--as-of D] [--email]`: what each patient will owe at the visit.

The report names appointments and accounts, never a patient. Exit code 1 when an appointment
was held back by an error in its row; a flagged one (coverage in doubt) is a warning.
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
from medsheets.cli.report import problem_line
from medsheets.estimate.price import FLAGGED
from medsheets.estimate.run import EstimateResult, make_estimates
from medsheets.money import format_money


@click.command("estimate")
@click.argument("workbooks", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The day the estimates are issued (default: today).")
@click.option("--email", is_flag=True,
              help="Put each Good Faith Estimate's email in out/outbox/ for the patient.")
@practice_options
def estimate_command(workbooks: tuple[Path, ...], as_of: dt.date, email: bool,
                     practice_dir: str | None, db_url: str | None) -> None:
    """Estimate what each appointment will cost the patient, from the payer's latest 271 and
    the fee schedule: out/estimates/estimates-DATE.xlsx; a Good Faith Estimate PDF for every
    self-pay appointment (out/estimates/gfe-APPOINTMENT.pdf).
    """
    practice = load_practice(practice_dir, db_url)
    result = make_estimates(practice, list(workbooks), as_of=as_of, now=now_of(as_of), email=email)
    print_estimate_report(result)
    exit_held_if(result.has_errors)


def print_estimate_report(result: EstimateResult) -> None:
    for problem in result.book.problems:
        click.echo(problem_line(problem))
    for estimate in result.estimates:
        who = f"{estimate.visit.encounter_id} (account {estimate.visit.first.patient_id})"
        if estimate.status == FLAGGED:
            click.echo(f"{who}: {click.style('FLAGGED', fg='yellow')} {estimate.reason}")
        else:
            collect = estimate.collect
            assert collect is not None
            click.echo(f"{who}: {estimate.status}, collect ${format_money(collect)} at the visit "
                       f"(charges ${format_money(estimate.charge)})")
    if result.file:
        click.echo(f"estimates: {len(result.estimates)} -> {result.file}")
    if result.gfe_files:
        click.echo(f"Good Faith Estimates: {len(result.gfe_files)} -> {result.gfe_files[0].parent}")
    if result.emails:
        click.echo(f"emails: {len(result.emails)} in out/outbox/ to review")
    if result.no_email:
        click.echo(f"no email address: {', '.join(result.no_email)} (hand or mail the PDF)")
    if result.unchanged:
        click.echo(f"unchanged: {len(result.unchanged)} estimates as already told (not recorded again)")
    if result.book.held:
        click.echo(f"held: {len(result.book.held)} appointments with errors; fix the cells above")
    if not result.estimates:
        click.echo("no appointment to estimate")


commands: list[click.Command] = [estimate_command]
