"""`medsheets invoices [--as-of DATE] [--send]`: patient statements as PDFs, emails in the outbox.

The report names accounts by number only, never a patient. A progress bar is drawn on stderr
while the PDFs render, and only when stderr is a terminal. Exit code 1 when a statement email
was held back (an unusable address) or could not be sent; it is retried by the next run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator

import click

from medsheets.cli.options import as_of_option, exit_held_if, load_practice, practice_options
from medsheets.cli.report import problem_line
from medsheets.invoices import InvoiceResult, produce_statements
from medsheets.invoices.run import mark_mailed
from medsheets.money import format_money


@contextlib.contextmanager
def terminal_progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for `total` statements, or nothing when stderr is not a tty."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda done: None
        return
    with click.progressbar(length=total, label="Rendering statements", file=sys.stderr,
                           show_pos=True, show_eta=True) as bar:
        yield bar.update


@click.command("invoices")
@as_of_option("The statement date (default: today).")
@click.option("--send", is_flag=True,
              help="Deliver the outbox's statement emails through the [email] SMTP server.")
@click.option("--mailed", is_flag=True,
              help="Only record that the --as-of day's statements not emailed were printed and "
                   "mailed (they then count toward collections).")
@practice_options
def invoices_command(as_of: dt.date, send: bool, mailed: bool, practice_dir: str | None,
                     db_url: str | None) -> None:
    """Write a statement PDF in out/invoices/ for each patient who owes at least
    [statements] minimum_balance, record it, and put its email in out/outbox/ for review.

    Running it again the same day produces nothing twice. Accounts placed with a collection
    agency get no statement. With --send, the outbox is delivered over SMTP (STARTTLS or SSL,
    certificate verified), each message once.
    """
    practice = load_practice(practice_dir, db_url)
    if mailed:
        marked = mark_mailed(practice, as_of=as_of)
        click.echo(f"{marked} statement(s) of {as_of.isoformat()} marked mailed")
        return
    result = produce_statements(practice, as_of=as_of, send=send, progress=terminal_progress)
    print_invoice_report(result, send)
    exit_held_if(result.has_errors)


def print_invoice_report(result: InvoiceResult, send: bool) -> None:
    plan, mail = result.plan, result.mail
    if result.codesets_note:
        click.echo(f"note: {result.codesets_note}")
    for name in result.restored:
        click.echo(f"restored {name} from the ledger (an earlier run was interrupted)")
    for problem in mail.problems:
        click.echo(problem_line(problem))
    if plan.new:
        folder = result.files[0].parent if result.files else "out/invoices"
        click.echo(f"statements: {len(plan.new)} for ${format_money(result.total_due)} "
                   f"-> {folder}")
    for account in plan.no_address:
        click.echo(f"account {account}: no postal address on file; the statement cannot be "
                   "mailed until an encounter workbook gives one")
    if plan.already:
        click.echo(f"already produced on {result.as_of}: {_count(len(plan.already), 'statement')} "
                   "(nothing produced twice)")
    for account, recorded, now in plan.changed:
        click.echo(f"account {account}: balance is {format_money(now)} now, "
                   f"{format_money(recorded)} on today's statement; the next statement shows it")
    for account in plan.redrawn:
        click.echo(f"account {account}: the balance changed since its last statement, which was "
                   "not yet sent: drawn up again (the old one is never sent)")
    for account in plan.plan_missed:
        click.echo(f"account {account}: a payment plan installment was missed; dunning resumes")
    if plan.not_due:
        click.echo(f"not due yet: {_count(len(plan.not_due), 'account')} had a statement "
                   "this cycle")
    if plan.awaiting_secondary:
        click.echo(f"awaiting a secondary insurance: {_count(len(plan.awaiting_secondary), 'account')}, "
                   "no statement until it has paid")
    if plan.placed:
        click.echo(f"with a collection agency: {_count(len(plan.placed), 'account')}, no statement")
    _print_mail(result, send)
    if not (plan.new or result.restored or mail.sent):
        click.echo("nothing new to produce")


def _print_mail(result: InvoiceResult, send: bool) -> None:
    mail = result.mail
    if result.email_note:
        click.echo(f"note: {result.email_note}")
    if mail.written:
        click.echo(f"outbox: {_count(len(mail.written), 'new email')} in {mail.written[0].parent} "
                   "to review")
    for account in mail.stale:
        click.echo(f"account {account}: its statement no longer matches the balance; not sent "
                   "(the next statement run draws it up again)")
    if mail.no_email:
        click.echo(f"no email on file: {_count(len(mail.no_email), 'statement')} to print and mail")
    for account in mail.uncertain:
        click.echo(f"account {account}: an earlier run stopped while sending its statement; it "
                   "may have arrived, so it is not sent again; check the mail server's log")
    if send:
        if mail.sent:
            click.echo(f"sent: {_count(len(mail.sent), 'statement email')}")
        for account, reason in mail.failed:
            click.echo(f"not sent: account {account}: {reason}; the next run tries again")
        if not (mail.sent or mail.failed):
            click.echo("nothing to send")
    elif mail.outbox:
        click.echo(f"to send: {_count(len(mail.outbox), 'email')}; run 'medsheets invoices --send' "
                   "to deliver")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


commands: list[click.Command] = [invoices_command]
