"""`medsheets payments WB…`: post patient payments and paper EOBs from payments workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from medsheets.cli.options import as_of_option, exit_held_if, load_practice, practice_options
from medsheets.cli.report import problem_line
from medsheets.money import format_money
from medsheets.payments import PaymentsResult, post_payment_workbooks


@click.command("payments")
@click.argument("workbooks", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The posting day: no payment may be dated after it (default: today).")
@practice_options
def payments_command(workbooks: tuple[Path, ...], as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Post patient payments and paper EOBs; hold rows with errors, with reasons.

    Each reference is posted once: running it again posts nothing. Exit code 1 when rows were
    held back.
    """
    practice = load_practice(practice_dir, db_url)
    result = post_payment_workbooks(practice, list(workbooks), as_of=as_of)
    print_payments_report(result)
    exit_held_if(result.has_errors)


def print_payments_report(result: PaymentsResult) -> None:
    for problem in result.problems:
        click.echo(problem_line(problem))
    patient = [p for p in result.posted if p.kind == "patient"]
    eob = [p for p in result.posted if p.kind == "eob"]
    refunds = [p for p in result.posted if p.kind == "refund"]
    if patient:
        click.echo(f"posted: {len(patient)} patient payments, {format_money(result.total('patient'))}")
    if eob:
        claims = sum(len(p.claims) for p in eob)
        click.echo(f"posted: {len(eob)} EOBs for {claims} claims, paid {format_money(result.total('eob'))}")
    if refunds:
        click.echo(f"refunded: {len(refunds)} refunds, {format_money(result.total('refund'))}")
    for encounter_id, reasons in result.denied:
        click.echo(f"denied: claim {encounter_id} {reasons}: nothing paid; its balance stays open "
                   "on the denial worklist")
    for account, credit in result.credits.items():
        click.echo(f"credit balance: account {account} {format_money(credit)} (paid more than "
                   "owed; refund it or apply it to the next visit)")
    for account, prepaid in result.prepaid.items():
        click.echo(f"prepaid: account {account} {format_money(prepaid)} on visits still with "
                   "insurance (kept for the payer's answer, not a credit to refund)")
    if result.applied_credits:
        click.echo(f"applied: {result.applied_credits} earlier credits to visits now owed (oldest first)")
    for encounter_id, credit in result.payer_credits.items():
        click.echo(f"credit balance: claim {encounter_id} {format_money(credit)} paid by the "
                   "payer beyond what it owed")
    if result.plans:
        click.echo(f"payment plans: {result.plans} recorded (no dunning or collections while kept)")
    if result.already_posted:
        click.echo(f"already posted: {len(result.already_posted)} references (nothing posted twice)")
    held = len(result.held) + result.held_rows
    if held:
        names = ", ".join(reference for _, reference, _ in result.held)
        click.echo(f"held: {held} payments with errors{f' ({names})' if names else ''}; fix the "
                   "cells above and run again")
    if not (result.posted or result.already_posted or held):
        click.echo("nothing to post")


commands: list[click.Command] = [payments_command]
