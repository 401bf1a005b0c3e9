"""`medsheets aging` (the weekly A/R workbook) and `medsheets collections` (the agency hand-over).

The terminal shows account numbers and amounts only; names, addresses and birth dates are in
the workbook and the agency file, both readable by the owner only.
"""

from __future__ import annotations

import datetime as dt

import click

from medsheets.aging import (
    AgeBasis,
    AgingResult,
    CollectionsResult,
    export_collections,
    list_ready,
    run_aging,
)
from medsheets.cli.options import as_of_option, load_practice, now_of, practice_options
from medsheets.cli.progress import terminal_progress
from medsheets.ledger.reports.buckets import BUCKET_LABELS
from medsheets.money import format_money, from_cents

AS_OF_HELP = "Age balances as of this day (default: today)."


@click.command("aging")
@as_of_option(AS_OF_HELP)
@click.option("--age-from", type=click.Choice([b.value for b in AgeBasis]), default="service",
              show_default=True, help="Count ages from the date of service or from the day the "
                                      "claim was first sent.")
@practice_options
def aging_command(as_of: dt.date, age_from: str, practice_dir: str | None,
                  db_url: str | None) -> None:
    """Write the A/R aging workbook out/aging/aging-YYYY-MM-DD.xlsx.

    Running it again on unchanged data writes nothing; when the data changed the same day, the
    new workbook is aging-YYYY-MM-DD-2.xlsx (an earlier one is never overwritten). On a
    terminal, its phases are shown on stderr while it works.
    """
    practice = load_practice(practice_dir, db_url)
    result = run_aging(practice, as_of=as_of, basis=AgeBasis(age_from), now=now_of(as_of),
                       progress=terminal_progress())
    print_aging_report(result)


def print_aging_report(result: AgingResult) -> None:
    grand = result.totals.grand
    click.echo(f"A/R as of {result.scope.as_of.isoformat()}: {format_money(from_cents(grand.total))} "
               f"({result.scope.basis.description})")
    for label, cents in zip((*BUCKET_LABELS, "On account"), grand.cents):
        click.echo(f"  {label:>10}  {format_money(from_cents(cents)):>14}")
    if result.ready_for_collections:
        click.echo(f"collections: {result.ready_for_collections} accounts meet the rule; review the "
                   "Collections sheet, then run 'medsheets collections --export'")
    if result.written:
        click.echo(f"written: {result.file}")
    else:
        click.echo(f"unchanged since {result.file.name}: nothing written")


@click.command("collections")
@as_of_option(AS_OF_HELP)
@click.option("--export", "export", is_flag=True,
              help="Write the agency file and mark the accounts as placed (their statements stop).")
@practice_options
def collections_command(as_of: dt.date, export: bool, practice_dir: str | None,
                        db_url: str | None) -> None:
    """List the accounts that meet the practice's collections rule; --export hands them over."""
    practice = load_practice(practice_dir, db_url)
    day = as_of
    if export:
        print_collections(export_collections(practice, as_of=day), exported=True)
    else:
        print_collections(list_ready(practice, as_of=day), exported=False)


def print_collections(result: CollectionsResult, *, exported: bool) -> None:
    if result.restored:
        click.echo(f"restored {result.restored.name} from the ledger (an earlier run was interrupted)")
    for account in result.accounts:
        click.echo(f"account {account.patient_id}: {format_money(account.balance)}, "
                   f"{account.statements} statements")
    if not result.accounts:
        click.echo("no account meets the collections rule (already placed accounts are not listed)")
    elif exported:
        click.echo(f"placed: {len(result.accounts)} accounts -> {result.file}")
    else:
        click.echo(f"{len(result.accounts)} accounts meet the rule; run with --export to place them")


commands: list[click.Command] = [aging_command, collections_command]
