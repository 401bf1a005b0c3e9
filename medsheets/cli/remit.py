"""`medsheets remit FILE…`: post the payer's 835 remittances into the ledger, each once.

Exit codes: 0 posted (warnings allowed); 1 something was held back or is not on the books: a
remittance that does not balance, says what cannot be true (docs/x12.md: a line twice, a line
paid above its charge, a negative payment outside a reversal, another payee), or reuses a trace
number with other content; or a claim this practice never billed (listed, recorded, to post by
hand); 2 the command could not run (a file that is not an 835, a 4010 file, one over the size
limit, no practice, the ledger busy).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import click

from medsheets.cli.options import (
    as_of_option,
    exit_held_if,
    load_practice,
    now_of,
    practice_options,
)
from medsheets.cli.progress import terminal_progress
from medsheets.cli.report import print_restored, problem_line
from medsheets.money import format_money
from medsheets.remit.results import ALREADY_POSTED, POSTED, REFUSED, RemitResult, RemittanceOutcome
from medsheets.remit.run import post_remit_files


@click.command("remit")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The posting day, recorded with the run; entries carry the 835's payment date "
              "(BPR16), else this day (default: today).")
@practice_options
def remit_command(files: tuple[Path, ...], as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Post X12 835 remittances: payments, adjustments, denials; report in out/reports/.

    The same remittance (payer and trace number) is never posted twice. Exit code 1 when a
    remittance was refused (it does not balance, cannot be true, or reuses a trace number) or
    pays a claim this practice never billed.
    """
    practice = load_practice(practice_dir, db_url)
    result = post_remit_files(practice, list(files), now=now_of(as_of), progress=terminal_progress())
    print_remit_report(result)
    exit_held_if(result.has_errors)


def outcome_line(outcome: RemittanceOutcome) -> str:
    """One line per remittance: what happened to it."""
    where = f"{outcome.transaction.file}: {outcome.label}"
    if outcome.status == POSTED:
        unmatched = sum(c.action == "unmatched" for c in outcome.claims)
        extra = f", {unmatched} unmatched" if unmatched else ""
        return f"{where}: posted {len(outcome.claims)} claims{extra}"
    if outcome.status == ALREADY_POSTED:
        return f"{where}: already posted on {outcome.earlier}; nothing changed"
    return f"{where}: refused, nothing of it was posted (see above)"


def print_remit_report(result: RemitResult) -> None:
    print_restored(result.restored_files)
    for problem in result.problems:
        click.echo(problem_line(problem))
    for outcome in result.outcomes:
        click.echo(outcome_line(outcome))
    posted = result.with_status(POSTED)
    claims = [c for c in result.posted_claims if c.action != "unmatched"]
    if posted:
        paid = sum((o.remittance.payment for o in posted if o.remittance), Decimal("0.00"))
        click.echo(f"posted: {len(posted)} remittances, {len(claims)} claims, "
                   f"{format_money(paid)} paid")
    denied = [c for c in claims if c.action == "denied"
              or any(line.result == "denied line" for line in c.lines)]
    if denied:
        click.echo(f"denied: {len(denied)} claims, listed on the denial worklist")
    unmatched = [c for c in result.posted_claims if c.action == "unmatched"]
    lines = sum(len(c.unmatched_lines) for c in claims)
    if unmatched or lines:
        click.echo(f"unmatched: {len(unmatched)} claims, {lines} lines; see the report's Unmatched "
                   "sheet and post them by hand")
    if result.with_status(ALREADY_POSTED):
        click.echo(f"already posted: {len(result.with_status(ALREADY_POSTED))} remittances "
                   "(nothing posted twice)")
    if result.with_status(REFUSED):
        click.echo(f"refused: {len(result.with_status(REFUSED))} remittances; ask the payer for "
                   "a corrected 835 and run again")
    if not posted:
        click.echo("nothing new to post")
    if result.report_file:
        click.echo(f"report: {result.report_file}")


commands: list[click.Command] = [remit_command]
