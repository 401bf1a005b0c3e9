"""The steps of `medsheets run`, each a library call, its report and one summary line.

Each step reuses the report of its own command (`medsheets claims`, `remit`, ...), so what
`run` prints is what a biller already knows from running the steps one by one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

import click

from medsheets.day import DayInputs
from medsheets.errors import MedsheetsError
from medsheets.money import format_money
from medsheets.practice import Practice


@dataclass
class Day:
    """What every step needs, and the closing lines collected as each step reports."""

    practice: Practice
    as_of: dt.date
    now: dt.datetime
    send: bool
    inputs: DayInputs
    lines: list[str] = field(default_factory=list)
    held: bool = False


def run_step(day: Day, title: str, work: Callable[[], Any], report: Callable[[Any], None],
             summarize: Callable[[Any], str]) -> Any:
    """Run one step: its report and its summary line; an error stops only this step."""
    click.secho(f"\n== {title}", bold=True)
    try:
        result = work()
    except MedsheetsError as exc:
        click.echo(f"medsheets: error: {exc}")
        day.lines.append(f"{title}: could not run ({exc})")
        day.held = True
        return None
    report(result)
    day.lines.append(summarize(result))
    day.held |= bool(getattr(result, "has_errors", False))
    return result


def eligibility_step(day: Day) -> None:
    from medsheets.cli.eligibility import print_eligibility_report
    from medsheets.eligibility.run import ask_eligibility

    if not day.inputs.appointments:
        return

    def summarize(result: Any) -> str:
        where = f" (see {result.file})" if result.file else ""
        return (f"eligibility: {len(result.asked)} asked, {len(result.already_asked)} already "
                f"asked, {len(result.self_pay)} self-pay, {len(result.book.held)} held{where}")

    run_step(day, "Eligibility (270)",
             lambda: ask_eligibility(day.practice, day.inputs.appointments, now=day.now),
             print_eligibility_report, summarize)


def benefits_step(day: Day) -> None:
    from medsheets.benefits.run import read_benefit_files
    from medsheets.cli.benefits import print_benefits_report

    if not day.inputs.benefits:
        return
    run_step(day, "Benefits (271)",
             lambda: read_benefit_files(day.practice, day.inputs.benefits, today=day.as_of),
             print_benefits_report,
             lambda r: (f"benefits: {len(r.answers)} answers read, {len(r.already_read)} files "
                        f"already read, {len(r.problems)} for the front desk"))


def estimate_step(day: Day) -> None:
    from medsheets.cli.estimate import print_estimate_report
    from medsheets.estimate.run import make_estimates

    if not day.inputs.appointments:
        return

    def summarize(result: Any) -> str:
        flagged = sum(e.status == "flagged" for e in result.estimates)
        where = f" (see {result.file})" if result.file else ""
        return (f"estimates: {len(result.estimates)} ({flagged} flagged), "
                f"{len(result.gfe_files)} Good Faith Estimates{where}")

    run_step(day, "Estimates",
             lambda: make_estimates(day.practice, day.inputs.appointments, as_of=day.as_of,
                                    now=day.now),
             print_estimate_report, summarize)


def claims_step(day: Day) -> None:
    from medsheets.billing import bill_workbooks
    from medsheets.cli.claims import print_billing_report

    if not day.inputs.encounters:
        day.lines.append("claims: no encounter workbooks in encounters/")
        return

    def summarize(result: Any) -> str:
        total = sum((e.total_charge for e in result.billed), Decimal("0.00"))
        where = f" (see {result.summary_file})" if result.summary_file else ""
        return (f"claims: {len(result.billed)} billed ({format_money(total)}), "
                f"{len(result.self_pay)} self-pay, {len(result.held)} held, "
                f"{len(result.already_billed)} already billed{where}")

    run_step(day, "Claims", lambda: bill_workbooks(day.practice, day.inputs.encounters, now=day.now),
             print_billing_report, summarize)


def acks_step(day: Day) -> None:
    from medsheets.acks.process import read_acknowledgments
    from medsheets.cli.acks import print_ack_report

    if not day.inputs.acknowledgments:
        return
    run_step(day, "Acknowledgments (999, 277CA)",
             lambda: read_acknowledgments(day.practice, day.inputs.acknowledgments, today=day.as_of),
             print_ack_report,
             lambda r: (f"acknowledgments: {len(r.read)} read, {len(r.already_read)} already read, "
                        f"{sum(o.event == 'rejected' and o.new for o in r.outcomes)} claims newly rejected"))


def remit_step(day: Day) -> None:
    from medsheets.cli.remit import print_remit_report
    from medsheets.remit.run import post_remit_files

    if not day.inputs.remittances:
        return
    run_step(day, "Remittances (835)",
             lambda: post_remit_files(day.practice, day.inputs.remittances, now=day.now),
             print_remit_report, remit_summary)


def remit_summary(result: Any) -> str:
    from medsheets.remit.results import ALREADY_POSTED, POSTED

    posted = result.with_status(POSTED)
    denied = sum(1 for c in result.posted_claims if c.action == "denied"
                 or any(line.result == "denied line" for line in c.lines))
    return (f"remittances: {len(posted)} posted, {len(result.with_status(ALREADY_POSTED))} already "
            f"posted, {denied} claims denied")


def payments_step(day: Day) -> None:
    from medsheets.cli.payments import print_payments_report
    from medsheets.payments.post import post_payment_workbooks

    if not day.inputs.payments:
        return
    run_step(day, "Payments",
             lambda: post_payment_workbooks(day.practice, day.inputs.payments, today=day.as_of),
             print_payments_report, payments_summary)


def payments_summary(result: Any) -> str:
    return (f"payments: {len(result.posted)} posted, {len(result.already_posted)} already posted, "
            f"{len(result.held)} held")


def denials_step(day: Day) -> None:
    from medsheets.cli.denials import print_worklist_report
    from medsheets.denials.worklist import make_worklist

    def summarize(result: Any) -> str:
        if not result.rows:
            return "denials: none to work"
        return f"denials: {result.claims} claims to work (see {result.path})"

    run_step(day, "Denials", lambda: make_worklist(day.practice, None, today=day.as_of),
             print_worklist_report, summarize)


def invoices_step(day: Day) -> None:
    from medsheets.cli.invoices import print_invoice_report, terminal_progress
    from medsheets.invoices.run import produce_statements

    def summarize(result: Any) -> str:
        where = " (in out/outbox/ to review)" if not day.send else ""
        return (f"statements: {len(result.produced)} produced, {format_money(result.total_due)} "
                f"due{where}")

    run_step(day, "Statements",
             lambda: produce_statements(day.practice, as_of=day.as_of, send=day.send,
                                        progress=terminal_progress),
             lambda result: print_invoice_report(result, day.send), summarize)


def aging_step(day: Day) -> None:
    from medsheets.aging import AgeBasis
    from medsheets.aging.report import run_aging
    from medsheets.cli.aging import print_aging_report
    from medsheets.money import from_cents

    def summarize(result: Any) -> str:
        total = format_money(from_cents(result.totals.grand.total))
        return f"A/R total: {total} (see {result.file})"

    run_step(day, "Aging",
             lambda: run_aging(day.practice, as_of=day.as_of, basis=AgeBasis("service"),
                               now=day.now),
             print_aging_report, summarize)


STEPS: tuple[Callable[[Day], None], ...] = (
    eligibility_step, benefits_step, estimate_step, claims_step, acks_step, remit_step, payments_step, denials_step, invoices_step, aging_step,
)
