"""The KPIs sheet: each measure with its target, its working, and what to do when it is off.

Targets are the usual rules of thumb for a physician practice, stated as such; the counts
behind every rate are on the sheet, so a surprising number can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from medsheets.aging.layout import dollars
from medsheets.aging.sheets import ReportContext
from medsheets.codes.reasons import explain, parse_reason_codes
from medsheets.ledger.reports.kpis import WINDOW_DAYS, Kpis, ratio
from medsheets.money import format_money
from medsheets.workbook.report_book import Column, ReportSheet

WIDTHS = (30, 16, 14, 9, 12, 12, 13, 12, 12, 10, 12, 12, 10, 34)
CODE_COLUMNS = (
    Column("Payer"), Column("Code"), Column("Lines", "count"), Column("Units", "count"),
    Column("Charged", "money"), Column("Paid by payer", "money"),
    Column("Patient responsibility", "money"), Column("Allowed", "money"), Column("Fee", "money"),
    Column("Allowed %", "percent"), Column("Expected allowed", "money"),
    Column("Difference", "money"), Column("Underpaid lines", "count"), Column("Flag"),
)
PAYER_COLUMNS = (Column("Payer"), Column("Name"), Column("Claims adjudicated", "count"),
                 Column("Denied", "count"), Column("Denial rate", "percent"))
REASON_COLUMNS = (Column("Reason code"), Column("Description"), Column("Denials", "count"),
                  Column("Share of denials", "percent"))


def _measure(sheet: ReportSheet, name: str, value: Any, kind: str, target: str, how: str) -> None:
    columns = (Column("Measure"), Column("Value", kind), Column("Target", align="center"),
               Column("How"))
    sheet.rows(columns, [(name, value, target, how)])


def _below(rate: Decimal | None, floor: str, advice: str) -> str:
    return f" {advice}" if rate is not None and rate < Decimal(floor) else ""


def write_kpis(sheet: ReportSheet, ctx: ReportContext, kpis: Kpis, reasons: Mapping[str, str]) -> None:
    sheet.setup(WIDTHS)
    sheet.line(f"{ctx.practice_name} — key measures as of {ctx.scope.as_of:%m/%d/%Y}", "title")
    sheet.line(f"Over the {WINDOW_DAYS} days from {kpis.window_start:%m/%d/%Y} to "
               f"{ctx.scope.as_of:%m/%d/%Y}. Targets are common rules of thumb.", "note")
    sheet.line()
    sheet.header((Column("Measure"), Column("Value"), Column("Target"),
                  Column("How it is counted, and what to do")), wrap=False)
    _measure(sheet, "Total A/R", dollars(kpis.total_ar_cents), "money", "",
             "What payers and patients owe as of the day (the Summary's total).")
    _measure(sheet, "Days in A/R", kpis.days_in_ar, "decimal", "under 40",
             f"Total A/R / average day's charges (${format_money(dollars(kpis.charges_cents))} "
             f"over {WINDOW_DAYS} days). High: work the oldest payer balances first.")
    sent, first, rejected = kpis.claims_sent, kpis.accepted_first_pass, kpis.rejected
    _measure(sheet, "First-pass acceptance", kpis.first_pass_rate, "percent", "95% or more",
             f"{sent} original claims sent; {first} accepted without a rejection, {rejected} "
             f"rejected, {sent - first - rejected} not answered yet."
             + _below(kpis.first_pass_rate, "0.95", "Fix the causes of rejections at the front desk."))
    adjudicated = sum(n for _, n, _ in kpis.denials_by_payer)
    denied = sum(d for _, _, d in kpis.denials_by_payer)
    denial_rate = ratio(denied, adjudicated)
    _measure(sheet, "Denial rate", denial_rate, "percent", "under 5%",
             f"{denied} of {adjudicated} claims the payers answered were denied in whole or in part."
             + ("" if denial_rate is None or denial_rate < Decimal("0.05")
                else " Work them with 'medsheets denials'; see the reasons below."))
    payments, net = kpis.payments_cents, kpis.charges_cents - kpis.contractual_cents
    _measure(sheet, "Net collection rate", kpis.net_collection_rate, "percent", "95% or more",
             f"Payments ${format_money(dollars(payments))} / (charges minus contractual "
             f"adjustments: ${format_money(dollars(net))}).")
    underpaid = sum(c.underpaid_lines for c in kpis.code_payments)
    _measure(sheet, "Underpaid lines", underpaid, "count", "0",
             "Lines whose allowed amount is below the payer's allowed percent of the fee.")
    _code_table(sheet, kpis)
    _denial_tables(sheet, ctx, kpis, reasons)


def _code_table(sheet: ReportSheet, kpis: Kpis) -> None:
    sheet.line()
    sheet.line("Payments per code per payer, against the fee schedule (lines paid in the window)",
               "bold")
    sheet.header(CODE_COLUMNS)
    rows = []
    for c in kpis.code_payments:
        expected = c.expected
        difference = None if expected is None else dollars(c.allowed_cents) - expected
        flag = ("UNDERPAID: appeal, or check the contract" if c.underpaid_lines else
                "no fee or allowed % in codesets.xlsx" if expected is None else "")
        rows.append((c.payer_id, c.code, c.lines, c.units, dollars(c.charge_cents),
                     dollars(c.paid_cents), dollars(c.patient_cents), dollars(c.allowed_cents),
                     c.fee, c.allowed_percent, expected, difference, c.underpaid_lines, flag))
    sheet.rows(CODE_COLUMNS, rows)
    if not rows:
        sheet.line("No payer payment in the window.", "note")


def _denial_tables(sheet: ReportSheet, ctx: ReportContext, kpis: Kpis,
                   reasons: Mapping[str, str]) -> None:
    sheet.line()
    sheet.line("Denials by payer", "bold")
    sheet.header(PAYER_COLUMNS)
    sheet.rows(PAYER_COLUMNS, [(payer, ctx.payer_names.get(payer, ""), n, d, ratio(d, n))
                               for payer, n, d in kpis.denials_by_payer])
    sheet.line()
    sheet.line("Denials by reason code (a denial citing several codes counts for each)", "bold")
    sheet.header(REASON_COLUMNS)
    sheet.rows(REASON_COLUMNS, [(code, explain(parse_reason_codes(code), reasons), n,
                                 ratio(n, kpis.denial_answers))
                                for code, n in kpis.denials_by_reason])
    if not kpis.denials_by_reason:
        sheet.line("No denial in the window.", "note")
