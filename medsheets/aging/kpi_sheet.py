"""The KPIs sheet: the HFMA MAP Keys a practice compares itself with, and charge lag.

Each measure is a row: the two figures the ledger counted, the value as a live formula on
them (so the spreadsheet computes it, and a surprising number can be checked by hand), the
target (the practice's own from [kpis], else the benchmark cited), whether it is met, the
formula in words and its definition. Below: payments per code and denials by payer and reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from medsheets.aging.layout import dollars
from medsheets.aging.sheets import ReportContext
from medsheets.codes.reasons import explain, parse_reason_codes
from medsheets.config import KpiTargets
from medsheets.ledger.reports.kpis import WINDOW_DAYS, Kpis, ratio
from medsheets.workbook.report_book import Column, ReportSheet

WIDTHS = (30, 12, 14, 14, 12, 12, 13, 12, 12, 10, 12, 12, 10, 34)
KPI_HEADERS = ("Measure", "Value", "Counted", "Out of", "Target", "On target", "Formula",
               "Definition, target and what to do")
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
PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class Measure:
    """One KPI row: what is counted and out of what (the ledger's figures), the formula the
    spreadsheet computes from them, and the target. `at_least`: higher is better."""

    name: str
    counted: Any
    out_of: Any
    kind: str  # of the value: percent or decimal
    parts: str  # of counted and out_of: count or money
    formula: str  # over {c} (counted) and {d} (out of), as the cell holds it
    printed: str  # the formula in words
    target: Decimal
    at_least: bool
    about: str

    def cells(self, row: int) -> list[tuple[Any, str]]:
        c, d, b, e = f"C{row}", f"D{row}", f"B{row}", f"E{row}"
        compare = ">=" if self.at_least else "<="
        return [(self.name, "text"), ("=" + self.formula.format(c=c, d=d), self.kind),
                (self.counted, self.parts), (self.out_of, self.parts), (self.target, self.kind),
                (f'=IF({b}="","",IF({b}{compare}{e},"yes","no"))', "text"),
                (self.printed, "text"), (self.about, "text")]


def measures(kpis: Kpis, targets: KpiTargets) -> list[Measure]:
    """The HFMA MAP Keys a physician practice compares itself with, and charge lag."""
    rate = "IF({d}>0,ROUND({c}/{d},4),\"\")"
    days = f"IF({{d}}>0,ROUND({{c}}*{WINDOW_DAYS}/{{d}},1),\"\")"
    average = "IF({d}>0,ROUND({c}/{d},1),\"\")"
    net = kpis.charges_cents - kpis.contractual_cents
    return [
        Measure("Clean claim rate", kpis.accepted_first_pass,
                kpis.accepted_first_pass + kpis.rejected, "percent", "count", rate,
                "claims accepted with no rejection ÷ claims answered", targets.clean_claim_rate
                * PERCENT, True,
                "HFMA MAP Key CL-1, for the original claims first sent in the window (claims "
                f"not answered yet: {kpis.claims_sent - kpis.accepted_first_pass - kpis.rejected}"
                "). Target: 95% is the benchmark quoted with it. Low: fix the causes of "
                "rejections at the front desk ('medsheets check' before billing)."),
        Measure("Denial rate", kpis.denied_claims, kpis.adjudicated_claims, "percent", "count",
                rate, "claims denied in whole or in part ÷ claims adjudicated",
                targets.denial_rate * PERCENT, False,
                "HFMA MAP Key AR-5 (remittance denial rate), by claim, over the payers' answers "
                "in the window. Target: under 5% (AAFP). High: work them with 'medsheets "
                "denials'; see the reasons below."),
        Measure("Days in A/R", dollars(kpis.total_ar_cents), dollars(kpis.charges_cents),
                "decimal", "money", days,
                f"total A/R ÷ (gross charges of the {WINDOW_DAYS} days ÷ {WINDOW_DAYS})",
                targets.days_in_ar, False,
                "Days in total A/R as HFMA and MGMA count it: what is owed now over the average "
                "day's charges of the last 3 months. Target: under 40 days, the common physician "
                "practice benchmark. High: work the oldest payer balances first."),
        Measure("Net collection rate", dollars(kpis.payments_cents), dollars(net), "percent",
                "money", rate, "payments ÷ (charges − contractual adjustments)",
                targets.net_collection_rate * PERCENT, True,
                "The adjusted collection rate (MGMA), in the window: what was collected of what "
                "could be. Target: 95% or more, the common benchmark. Low: money is written "
                "off or left uncollected; see Refunds, Collections and the denials."),
        Measure("A/R over 90 days", dollars(kpis.over_90_cents), dollars(kpis.total_ar_cents),
                "percent", "money", rate, "A/R in the 91–120 and Over 120 buckets ÷ total A/R",
                targets.ar_over_90 * PERCENT, False,
                "HFMA MAP Key AR-3 (aged A/R as a percentage of total A/R), aged "
                "as the Summary is. Target: under 15%, the common physician practice benchmark. "
                "High: follow up the oldest claims ('medsheets followup') and statements."),
        Measure("Charge lag (days)", kpis.lag_days, kpis.lag_claims, "decimal", "count",
                average, "days from service to claim sent ÷ claims sent",
                targets.charge_lag_days, False,
                "Average days from the date of service to the day the claim was first sent, "
                "over the claims first sent in the window. Target: 3 days or less, the common "
                "benchmark. High: bill each day's workbook the next day."),
    ]


def write_kpis(sheet: ReportSheet, ctx: ReportContext, kpis: Kpis, reasons: Mapping[str, str]) -> None:
    sheet.setup(WIDTHS)
    sheet.line(f"{ctx.practice_name} — key measures as of {ctx.scope.as_of:%m/%d/%Y}", "title")
    sheet.line(f"Over the {WINDOW_DAYS} days from {kpis.window_start:%m/%d/%Y} to "
               f"{ctx.scope.as_of:%m/%d/%Y}, by the HFMA MAP Key definitions where one exists. "
               "Each value is a formula on the two figures beside it; set your own targets in "
               "medsheets.toml under [kpis] (docs/kpis.md).", "note")
    sheet.line()
    sheet.header([Column(h) for h in KPI_HEADERS], wrap=False)
    for measure in measures(kpis, ctx.targets):
        sheet.cells(measure.cells(sheet.row + 1))
    sheet.line()
    _measure(sheet, "Total A/R", dollars(kpis.total_ar_cents), "money",
             "What payers and patients owe as of the day (the Summary's total).")
    underpaid = sum(c.underpaid_lines for c in kpis.code_payments)
    _measure(sheet, "Underpaid lines", underpaid, "count",
             "Lines whose allowed amount is below the payer's allowed percent of the fee (below).")
    _code_table(sheet, kpis)
    _denial_tables(sheet, ctx, kpis, reasons)


def _measure(sheet: ReportSheet, name: str, value: Any, kind: str, how: str) -> None:
    columns = (Column("Measure"), Column("Value", kind), *[Column("")] * 5, Column("How"))
    sheet.rows(columns, [(name, value, None, None, None, None, None, how)])


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
