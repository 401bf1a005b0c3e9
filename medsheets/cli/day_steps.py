"""The steps of `medsheets run`: a table, one row per step, each a library call, its report and
one summary line.

Each step reuses the report of its own command (`medsheets claims`, `remit`, ...), so what
`run` prints is what a biller already knows from running the steps one by one. A step whose
inputs are absent is skipped; a step that cannot run is reported and the next one still runs.
The library calls are imported when their step runs, so `medsheets --help` stays quick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import click

from medsheets.day import DayInputs
from medsheets.errors import MedsheetsError
from medsheets.money import format_money
from medsheets.practice import Practice
from medsheets.results import CommandResult

if TYPE_CHECKING:
    from medsheets.acks.process import AckResult
    from medsheets.aging.report import AgingResult
    from medsheets.benefits.run import BenefitsResult
    from medsheets.claims import BillingResult
    from medsheets.denials.worklist import WorklistResult
    from medsheets.eligibility.run import EligibilityResult
    from medsheets.estimate.run import EstimateResult
    from medsheets.followup.run import FollowupResult
    from medsheets.invoices.run import InvoiceResult
    from medsheets.payments.report import PaymentsResult
    from medsheets.remit.results import RemitResult

R = TypeVar("R", bound=CommandResult)


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


@dataclass(frozen=True)
class Step(Generic[R]):
    """One step of the day: its heading, the inputs it needs (None: it always runs), the work,
    its command's report and its line in the day's summary."""

    title: str
    inputs: Callable[[DayInputs], list[Path]] | None
    work: Callable[[Day], R]
    report: Callable[[R, Day], None]
    summary: Callable[[R, Day], str]
    nothing_to_do: str | None = None  # the summary line when its inputs are absent


def run_step(day: Day, step: Step[Any]) -> None:
    """Run one step: its report and its summary line; an error stops only this step."""
    if step.inputs is not None and not step.inputs(day.inputs):
        if step.nothing_to_do:
            day.lines.append(step.nothing_to_do)
        return
    click.secho(f"\n== {step.title}", bold=True)
    try:
        result = step.work(day)
    except MedsheetsError as exc:
        click.echo(f"medsheets: error: {exc}")
        day.lines.append(f"{step.title}: could not run ({exc})")
        day.held = True
        return
    step.report(result, day)
    day.lines.append(step.summary(result, day))
    day.held |= result.has_errors


def run_day(day: Day) -> None:
    for step in STEPS:
        run_step(day, step)


# The work of each step, imported when it runs.

def ask_eligibility(day: Day) -> EligibilityResult:
    from medsheets.eligibility.run import ask_eligibility as ask
    return ask(day.practice, day.inputs.appointments, now=day.now)


def read_benefits(day: Day) -> BenefitsResult:
    from medsheets.benefits.run import read_benefit_files
    return read_benefit_files(day.practice, day.inputs.benefits, as_of=day.as_of)


def estimate(day: Day) -> EstimateResult:
    from medsheets.estimate.run import make_estimates
    return make_estimates(day.practice, day.inputs.appointments, as_of=day.as_of, now=day.now)


def bill(day: Day) -> BillingResult:
    from medsheets.claims import bill_workbooks
    return bill_workbooks(day.practice, day.inputs.encounters, now=day.now)


def read_acks(day: Day) -> AckResult:
    from medsheets.acks.process import read_acknowledgments
    return read_acknowledgments(day.practice, day.inputs.acknowledgments, as_of=day.as_of)


def post_remits(day: Day) -> RemitResult:
    from medsheets.cli.progress import terminal_progress
    from medsheets.remit.run import post_remit_files
    return post_remit_files(day.practice, day.inputs.remittances, now=day.now,
                            progress=terminal_progress())


def post_payments(day: Day) -> PaymentsResult:
    from medsheets.payments.post import post_payment_workbooks
    return post_payment_workbooks(day.practice, day.inputs.payments, as_of=day.as_of)


def worklist(day: Day) -> WorklistResult:
    from medsheets.denials.worklist import make_worklist
    return make_worklist(day.practice, None, as_of=day.as_of)


def statements(day: Day) -> InvoiceResult:
    from medsheets.cli.invoices import terminal_progress
    from medsheets.invoices.run import produce_statements
    return produce_statements(day.practice, as_of=day.as_of, send=day.send, progress=terminal_progress)


def follow_up_claims(day: Day) -> FollowupResult:
    from medsheets.followup.run import follow_up
    return follow_up(day.practice, as_of=day.as_of, now=day.now)


def report_followup(result: FollowupResult, _day: Day) -> None:
    from medsheets.cli.followup import print_followup_report
    print_followup_report(result)


def followup_summary(result: FollowupResult, _day: Day) -> str:
    return (f"follow-up: {len(result.asked)} claim-status requests, {len(result.rows)} unpaid "
            f"insurance claims (see {result.report_file})")


def aging(day: Day) -> AgingResult:
    from medsheets.aging import AgeBasis
    from medsheets.aging.report import run_aging
    from medsheets.cli.progress import terminal_progress
    return run_aging(day.practice, as_of=day.as_of, basis=AgeBasis("service"), now=day.now,
                     progress=terminal_progress())


# Each step's report is its command's own.

def report_eligibility(result: EligibilityResult, _day: Day) -> None:
    from medsheets.cli.eligibility import print_eligibility_report
    print_eligibility_report(result)


def report_benefits(result: BenefitsResult, _day: Day) -> None:
    from medsheets.cli.benefits import print_benefits_report
    print_benefits_report(result)


def report_estimate(result: EstimateResult, _day: Day) -> None:
    from medsheets.cli.estimate import print_estimate_report
    print_estimate_report(result)


def report_billing(result: BillingResult, _day: Day) -> None:
    from medsheets.cli.claims import print_billing_report
    print_billing_report(result)


def report_acks(result: AckResult, _day: Day) -> None:
    from medsheets.cli.acks import print_ack_report
    print_ack_report(result)


def report_remit(result: RemitResult, _day: Day) -> None:
    from medsheets.cli.remit import print_remit_report
    print_remit_report(result)


def report_payments(result: PaymentsResult, _day: Day) -> None:
    from medsheets.cli.payments import print_payments_report
    print_payments_report(result)


def report_worklist(result: WorklistResult, _day: Day) -> None:
    from medsheets.cli.denials import print_worklist_report
    print_worklist_report(result)


def report_statements(result: InvoiceResult, day: Day) -> None:
    from medsheets.cli.invoices import print_invoice_report
    print_invoice_report(result, day.send)


def report_aging(result: AgingResult, _day: Day) -> None:
    from medsheets.cli.aging import print_aging_report
    print_aging_report(result)


# And one line each in the day's summary.

def eligibility_summary(result: EligibilityResult, _day: Day) -> str:
    where = f" (see {result.file})" if result.file else ""
    return (f"eligibility: {len(result.asked)} asked, {len(result.already_asked)} already "
            f"asked, {len(result.self_pay)} self-pay, {len(result.book.held)} held{where}")


def benefits_summary(result: BenefitsResult, _day: Day) -> str:
    return (f"benefits: {len(result.answers)} answers read, {len(result.already_read)} files "
            f"already read, {len(result.problems)} for the front desk")


def estimate_summary(result: EstimateResult, _day: Day) -> str:
    flagged = sum(e.status == "flagged" for e in result.estimates)
    where = f" (see {result.file})" if result.file else ""
    return (f"estimates: {len(result.estimates)} ({flagged} flagged), "
            f"{len(result.gfe_files)} Good Faith Estimates{where}")


def claims_summary(result: BillingResult, _day: Day) -> str:
    total = sum((e.total_charge for e in result.billed), Decimal("0.00"))
    where = f" (see {result.summary_file})" if result.summary_file else ""
    return (f"claims: {len(result.billed)} billed ({format_money(total)}), "
            f"{len(result.self_pay)} self-pay, {len(result.held)} held, "
            f"{len(result.already_billed)} already billed{where}")


def acks_summary(result: AckResult, _day: Day) -> str:
    rejected = sum(o.event == "rejected" and o.new for o in result.outcomes)
    return (f"acknowledgments: {len(result.read)} read, {len(result.already_read)} already read, "
            f"{rejected} claims newly rejected")


def remit_summary(result: RemitResult, _day: Day) -> str:
    from medsheets.remit.results import ALREADY_POSTED, POSTED

    posted = result.with_status(POSTED)
    denied = sum(1 for c in result.posted_claims if c.action == "denied"
                 or any(line.result == "denied line" for line in c.lines))
    return (f"remittances: {len(posted)} posted, {len(result.with_status(ALREADY_POSTED))} already "
            f"posted, {denied} claims denied")


def bill_secondaries(day: Day) -> BillingResult:
    """After the day's remittances and EOBs: bill each secondary whose primary just adjudicated
    (`medsheets claims` with no workbook)."""
    from medsheets.claims import bill_workbooks
    return bill_workbooks(day.practice, [], now=day.now)


def secondary_summary(result: BillingResult, _day: Day) -> str:
    total = sum((c.encounter.total_charge for c in result.secondary), Decimal("0.00"))
    return f"secondary claims: {len(result.secondary)} billed ({format_money(total)})"


def payments_summary(result: PaymentsResult, _day: Day) -> str:
    return (f"payments: {len(result.posted)} posted, {len(result.already_posted)} already posted, "
            f"{len(result.held)} held")


def denials_summary(result: WorklistResult, _day: Day) -> str:
    if not result.rows:
        return "denials: none to work"
    return f"denials: {result.claims} claims to work (see {result.path})"


def statements_summary(result: InvoiceResult, day: Day) -> str:
    where = " (in out/outbox/ to review)" if not day.send else ""
    return f"statements: {len(result.produced)} produced, {format_money(result.total_due)} due{where}"


def aging_summary(result: AgingResult, _day: Day) -> str:
    from medsheets.money import from_cents

    return f"A/R total: {format_money(from_cents(result.totals.grand.total))} (see {result.file})"


STEPS: tuple[Step[Any], ...] = (
    Step("Eligibility (270)", lambda i: i.appointments, ask_eligibility, report_eligibility,
         eligibility_summary),
    Step("Benefits (271)", lambda i: i.benefits, read_benefits, report_benefits, benefits_summary),
    Step("Estimates", lambda i: i.appointments, estimate, report_estimate, estimate_summary),
    Step("Claims", lambda i: i.encounters, bill, report_billing, claims_summary,
         nothing_to_do="claims: no encounter workbooks in encounters/"),
    Step("Acknowledgments (999, 277CA, 277)", lambda i: i.acknowledgments, read_acks, report_acks,
         acks_summary),
    Step("Remittances (835)", lambda i: i.remittances, post_remits, report_remit, remit_summary),
    Step("Payments", lambda i: i.payments, post_payments, report_payments, payments_summary),
    Step("Secondary claims", None, bill_secondaries, report_billing, secondary_summary),
    Step("Denials", None, worklist, report_worklist, denials_summary),
    Step("Follow-up (276)", None, follow_up_claims, report_followup, followup_summary),
    Step("Statements", None, statements, report_statements, statements_summary),
    Step("Aging", None, aging, report_aging, aging_summary),
)
