"""`medsheets followup [--as-of D]`: 276 requests for unanswered claims, and the worklist.

The terminal shows counts, encounter ids and file names only; patients are in the workbook.
"""

from __future__ import annotations

import datetime as dt

import click

from medsheets.cli.options import as_of_option, load_practice, now_of, practice_options
from medsheets.followup.run import FollowupResult, follow_up


@click.command("followup")
@as_of_option("Follow up as of this day (default: today).")
@practice_options
def followup_command(as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Ask payers about claims unanswered past their followup_days (X12 276 in out/followup/)
    and write out/reports/followup-DATE.xlsx: every unpaid insurance claim, most at risk first."""
    practice = load_practice(practice_dir, db_url)
    result = follow_up(practice, as_of=as_of, now=now_of(as_of))
    print_followup_report(result)


def print_followup_report(result: FollowupResult) -> None:
    for name in result.restored_files:
        click.echo(f"restored {name} from the ledger (an earlier run was interrupted)")
    if result.asked:
        click.echo(f"claim-status requests: {len(result.asked)} claims -> {result.request_file}")
    else:
        click.echo("claim-status requests: none due")
    urgent = [r for r in result.rows if r.days_left is not None and r.days_left <= 30]
    click.echo(f"unpaid insurance claims: {len(result.rows)}"
               + (f", {len(urgent)} within 30 days of timely filing" if urgent else ""))
    if result.report_file:
        click.echo(f"worklist: {result.report_file}")


commands: list[click.Command] = [followup_command]
