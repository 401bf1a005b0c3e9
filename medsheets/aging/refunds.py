"""The aging workbook's Refunds sheet (credits to pay back, payer overpayments) and its Plans
sheet (payment plans, kept or behind).

A credit is what ledger/accounts.py calls one: money the patient paid beyond everything they
owe, not counting a copay waiting on a visit still with insurance (a prepayment). Each row
says to whom and how much, with the last payment that made the credit (its day and receipt
or check number, the place to send the money back). Payers who paid a claim beyond what they
owed (a claim paid twice) are listed apart: that money goes back to the payer, usually by a
recoupment on a later 835.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from medsheets.aging.layout import dollars, patient_name
from medsheets.aging.sheets import ReportContext, start
from medsheets.ledger.accounts import Overpaid, RefundDue
from medsheets.ledger.plans import PlanStanding
from medsheets.money import from_cents
from medsheets.workbook.report_book import Column, ReportSheet

REFUND_COLUMNS = (
    Column("Account", "text", 11), Column("Patient", "text", 24), Column("Refund", "money", 12),
    Column("Last payment", "date", 12), Column("Its reference", "text", 16),
    Column("What to do", "text", 60),
)
OVERPAID_COLUMNS = (
    Column("Claim", "text", 14), Column("Account", "text", 11), Column("Payer", "text", 26),
    Column("Overpaid", "money", 12), Column("Payments (trace or check)", "text", 30),
    Column("What to do", "text", 48),
)
OVERPAID_HOW = "Check for a duplicate payment; return it or let the payer recoup it"
HOW = ("Pay it back (same method as the payment), then enter it on the Refunds sheet of a "
       "payments workbook: date, patient_id, amount, method, reference.")


def write_refunds(sheet: ReportSheet, ctx: ReportContext, due: Sequence[RefundDue],
                  overpaid: Sequence[Overpaid]) -> None:
    start(sheet, ctx, "refunds due",
          "Credit balances to pay back to patients (a copay on a visit still with insurance "
          "is a prepayment and is not listed). Payer overpayments are listed apart below.",
          REFUND_COLUMNS)
    sheet.rows(REFUND_COLUMNS, ((r.patient_id, patient_name(r.last_name, r.first_name),
                                 dollars(r.credit_cents), r.last_payment, r.last_reference, HOW)
                                for r in due))
    total = sum((from_cents(r.credit_cents) for r in due), Decimal("0.00"))
    sheet.rows(REFUND_COLUMNS, [("Total", f"{len(due)} accounts", total)], "total")
    sheet.line()
    sheet.line("Payer overpayments (the payer paid a claim beyond what it owed)", "bold")
    sheet.header(OVERPAID_COLUMNS)
    sheet.rows(OVERPAID_COLUMNS, ((o.encounter_id, o.patient_id, ctx.payer_label(o.payer_id),
                                   dollars(o.cents), o.references,
                                   OVERPAID_HOW) for o in overpaid))
    if not overpaid:
        sheet.line("No payer has paid more than it owed.", "note")


PLAN_COLUMNS = (
    Column("Account", "text", 11), Column("Start", "date", 12), Column("Installment", "money", 12),
    Column("Frequency", "text", 12), Column("Due so far", "money", 12), Column("Paid since start", "money", 14),
    Column("Balance", "money", 12), Column("Next due", "date", 12), Column("Status", "text", 40),
)


def plan_status(standing: PlanStanding) -> str:
    if not standing.active:
        return "paid off"
    if standing.kept:
        return "kept: no dunning, no collections"
    return "installment missed: call the patient; dunning resumes"


def write_plans(sheet: ReportSheet, ctx: ReportContext, plans: Mapping[str, PlanStanding]) -> None:
    start(sheet, ctx, "payment plans",
          "Plans agreed with patients (the Plans sheet of a payments workbook). An installment "
          "counts as missed 10 days after its due date.", PLAN_COLUMNS)
    sheet.rows(PLAN_COLUMNS, ((pid, s.plan.start_date, dollars(s.plan.installment_cents),
                               s.plan.frequency, dollars(s.due_cents), dollars(s.paid_cents),
                               dollars(s.balance_cents), s.next_due if s.active else None,
                               plan_status(s)) for pid, s in sorted(plans.items())))
    if not plans:
        sheet.line("No payment plan is in force.", "note")
