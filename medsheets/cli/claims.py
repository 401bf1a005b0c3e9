"""`medsheets claims WB…`: bill the clean encounters as one 837P batch, each exactly once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import click

from medsheets.claims import BillingResult, bill_workbooks
from medsheets.cli.options import (
    as_of_option,
    exit_held_if,
    load_practice,
    now_of,
    practice_options,
)
from medsheets.cli.progress import terminal_progress
from medsheets.cli.report import listed, print_notices, print_restored, print_unlisted, problem_line
from medsheets.collector import collector_paused
from medsheets.money import format_money


@click.command("claims")
@click.argument("workbooks", nargs=-1, required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The billing day: claims and charges are recorded for it (default: today).")
@practice_options
def claims_command(workbooks: tuple[Path, ...], as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Bill clean encounters into an X12 837P file in out/claims/; hold the rest with reasons.

    Also bills each secondary insurance whose primary has adjudicated a claim (with no
    WORKBOOKS, only those). Running it again bills nothing. Exit code 1 when claims were held.
    """
    practice = load_practice(practice_dir, db_url)
    with collector_paused():  # billing builds and keeps every line's records, none cyclic
        result = bill_workbooks(practice, list(workbooks), now=now_of(as_of),
                                progress=terminal_progress())
        print_billing_report(result)
    exit_held_if(result.has_errors)


def print_billing_report(result: BillingResult) -> None:
    print_restored(result.restored_files)
    unlisted: Counter[str] = Counter()
    for problem in listed(result.problems, unlisted):
        click.echo(problem_line(problem))
    print_unlisted(unlisted, "medsheets check --json or --annotate on the workbook lists every one")
    paper = set(result.on_paper)
    for label, claims, where in (
        ("billed", [e for e in result.billed if e.encounter_id not in paper], result.batch_file),
        ("billed on paper (CMS-1500)", [e for e in result.billed if e.encounter_id in paper],
         ", ".join(str(p) for p in result.paper_files)),
    ):
        if claims:
            total = sum((e.total_charge for e in claims), Decimal("0.00"))
            click.echo(f"{label}: {len(claims)} claims, {format_money(total)} -> {where}")
    if result.secondary:
        total = sum((c.encounter.total_charge for c in result.secondary), Decimal("0.00"))
        corrected = sum(1 for c in result.secondary if c.resubmission)
        extra = f" ({corrected} corrected)" if corrected else ""
        tertiary = sum(1 for c in result.secondary if c.rank == 3)
        after = (f"; {tertiary} of them to a tertiary after the secondary's" if tertiary else "")
        click.echo(f"secondary: {len(result.secondary)} claims{extra} to the next payer after "
                   f"the primary's remittance{after}, {format_money(total)} -> "
                   f"{result.batch_file}")
    if result.self_pay:
        click.echo(f"self-pay: {len(result.self_pay)} visits charged to the patient")
    if result.already_billed:
        click.echo(f"already billed: {len(result.already_billed)} claims (nothing billed twice)")
    if result.held:
        click.echo(f"held: {len(result.held)} claims with errors; fix the cells above and run again")
    if not (result.billed or result.self_pay or result.secondary):
        click.echo("nothing new to bill")
    if result.summary_file:
        click.echo(f"summary: {result.summary_file}")
    print_notices(result.checks)


commands: list[click.Command] = [claims_command]
