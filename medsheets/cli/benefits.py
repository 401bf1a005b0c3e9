"""`medsheets benefits FILE…`: read the payers' 271 answers; the front desk's problems shown.

The report names accounts and appointments, never a patient. Exit code 0 whenever the files
were read (inactive coverage and rejections are warnings for the front desk, not held data).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from medsheets.benefits.run import Answer, BenefitsResult, read_benefit_files
from medsheets.benefits.terms import Terms
from medsheets.cli.options import as_of_option, exit_held_if, load_practice, practice_options
from medsheets.cli.report import problem_line
from medsheets.codes.service_types import describe
from medsheets.money import format_money


@click.command("benefits")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The day the answers were received (default: today).")
@practice_options
def benefits_command(files: tuple[Path, ...], as_of: dt.date, practice_dir: str | None,
                     db_url: str | None) -> None:
    """Read X12 271 eligibility answers: coverage, plan dates, copay, coinsurance, deductible
    and out-of-pocket remaining, into the ledger for 'medsheets estimate'.

    Inactive coverage, an unknown member, another payer primary are listed for the front desk.
    """
    practice = load_practice(practice_dir, db_url)
    result = read_benefit_files(practice, list(files), as_of=as_of)
    print_benefits_report(result)
    exit_held_if(result.has_errors)


def answer_line(answer: Answer) -> str:
    who = (f"account {answer.patient_id} ({answer.appointment_id})" if answer.patient_id
           else "unmatched answer")
    return f"{who}, {answer.payer_id}: {describe_terms(answer.terms)}"


def describe_terms(terms: Terms) -> str:
    """The terms in a line of words: status, dates, copays, coinsurance, deductible, maximum."""
    parts = [terms.status]
    if terms.plan_begin or terms.plan_end:
        begin = f"{terms.plan_begin:%Y-%m-%d}" if terms.plan_begin else "…"
        end = f"{terms.plan_end:%Y-%m-%d}" if terms.plan_end else "…"
        parts.append(f"plan {begin} to {end}")
    parts += [f"copay {describe(k)} ${format_money(v)}" for k, v in terms.copay.items()]
    parts += [f"coinsurance {describe(k)} {v * 100:.0f}%" for k, v in terms.coinsurance.items()]
    for label, acc in (("deductible", terms.deductible), ("out-of-pocket", terms.out_of_pocket)):
        if acc.remaining is not None or acc.total is not None:
            left = f"${format_money(acc.remaining)}" if acc.remaining is not None else "?"
            total = f" of ${format_money(acc.total)}" if acc.total is not None else ""
            parts.append(f"{label} {left} left{total}")
    return "; ".join(parts)


def print_benefits_report(result: BenefitsResult) -> None:
    for answer in result.answers:
        click.echo(answer_line(answer))
    for problem in result.problems:
        click.echo(problem_line(problem))
    if result.already_read:
        click.echo(f"already read: {len(result.already_read)} files (nothing recorded twice)")
    if not result.answers and not result.already_read:
        click.echo("no answers in the files")


commands: list[click.Command] = [benefits_command]
