"""`medsheets denials [--out WB]` and `medsheets resubmit WB`: the denial worklist and acting on it."""

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
from medsheets.cli.report import print_restored, problem_line
from medsheets.denials.resubmit import ResubmitResult, resubmit_worklist
from medsheets.denials.worklist import WorklistResult, make_worklist
from medsheets.money import format_money


@click.command("denials")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False, path_type=Path),
              metavar="WB", help="Where to write the worklist (default: out/reports/denials-DATE.xlsx).")
@as_of_option("The worklist's day: deadlines are counted from it (default: today).")
@practice_options
def denials_command(out: Path | None, as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Write the worklist of rejected and denied claims, with columns to correct them.

    Choose an action per row (correct, void, write off, bill patient), then run
    'medsheets resubmit' on the edited workbook.
    """
    practice = load_practice(practice_dir, db_url)
    print_worklist_report(make_worklist(practice, out, as_of=as_of))


def print_worklist_report(result: WorklistResult) -> None:
    if not result.rows:
        click.echo("no rejected or denied claims to work")
    else:
        open_total = sum((row.insurance_balance for row in result.rows if row.status != "not denied"),
                         Decimal("0.00"))
        urgent = sum(1 for row in result.rows if row.days_left is not None and row.days_left <= 30
                     and row.status != "not denied")
        click.echo(f"worklist: {result.claims} claims, {len(result.rows)} lines, "
                   f"{format_money(open_total)} open with insurance")
        if urgent:
            click.echo(f"due within 30 days: {urgent} denied lines (sorted first)")
    click.echo(f"written: {result.path}")


@click.command("resubmit")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The day corrections, voids, write-offs and reversals are dated (default: today).")
@practice_options
def resubmit_command(workbook: Path, as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Act on an edited denial worklist: corrected (7) and void (8) claims as one 837 in
    out/claims/, write-offs and transfers to the patient in the ledger.

    Running it again on the same worklist does nothing new. Exit code 1 when rows were held.
    """
    practice = load_practice(practice_dir, db_url)
    result = resubmit_worklist(practice, workbook, now=now_of(as_of))
    print_resubmit_report(result)
    exit_held_if(result.has_errors)


def print_resubmit_report(result: ResubmitResult) -> None:
    print_restored(result.restored_files)
    for problem in result.problems:
        click.echo(problem_line(problem))
    sent = [f"{len(claims)} {what}" for claims, what in (
        (result.corrected, "corrected"), (result.voided, "void"),
        (result.sent_again, "sent again after a rejection"),
        ([e for e, _, _ in result.rebilled if e not in result.rebilled_on_paper], "rebilled")) if claims]
    if sent:
        click.echo(f"sent: {', '.join(sent)} -> {result.batch_file}")
    for eid, old_payer, new_payer in result.rebilled:
        how = "on paper" if eid in result.rebilled_on_paper else "in the 837"
        click.echo(f"rebilled: claim {eid} from {old_payer} to {new_payer} ({how})")
    if result.paper_files:
        click.echo(f"printed (CMS-1500): {', '.join(str(p) for p in result.paper_files)}")
    if result.noted:
        click.echo(f"notes kept: {result.noted}")
    if result.voided_in_ledger:
        click.echo(f"voided in the ledger only (the payer never had them): {len(result.voided_in_ledger)}")
    for eid, payer, owed in result.secondary_ended:
        click.echo(f"voided in the ledger only: claim {eid}, which {payer}'s front end rejected "
                   f"(nothing on file there, no 837 sent); no longer waiting for {payer}: the "
                   f"patient's {format_money(owed)} on it is billable")
    for label, lines in (("written off", result.written_off), ("billed to patient", result.billed_to_patient)):
        if lines:
            total = sum((amount for _, _, amount in lines), Decimal("0.00"))
            click.echo(f"{label}: {len(lines)} lines, {format_money(total)}")
    if result.done_before:
        click.echo(f"already done: {len(result.done_before)} (nothing is done twice)")
    if result.held:
        click.echo(f"held: {len(result.held)} claims with errors; fix the cells above and run again")
    if not result.did_anything:
        click.echo("nothing new to do")


commands: list[click.Command] = [denials_command, resubmit_command]
