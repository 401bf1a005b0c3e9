"""The sheets an owner reads first: Summary (with its chart and next steps), By Payer, Trend.

Summary puts every responsible party on one row of buckets, totals and shares, then says in
plain words what to do next, each step naming the sheet or command that does it. The steps
come from the numbers: an empty list would mean nothing needs doing, and the sheet says so.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from medsheets.aging.layout import DetailTally, dollars
from medsheets.aging.sheets import ReportContext, bucket_columns, start, sum_formulas
from medsheets.ledger.cob import pending_parts
from medsheets.ledger.reports.buckets import ON_ACCOUNT
from medsheets.ledger.reports.collections import AgencyAccount
from medsheets.ledger.reports.kpis import Kpis, ratio
from medsheets.ledger.reports.totals import Buckets, PartyTotals
from medsheets.ledger.reports.trend import TrendPoint
from medsheets.money import format_money
from medsheets.workbook.report_book import Column, ReportSheet

SUMMARY_COLUMNS = bucket_columns((Column("Responsible party", "text", 44),),
                                 (Column("Share of A/R", "percent", 11),))
NOTHING_TO_DO = ("Nothing needs action: no payer balance over 60 days, no denial waiting, no "
                 "account for collections.")
STEP_WIDTH = 120  # characters per line of a next step: about the width of the table
SHARE_COLUMNS = (SUMMARY_COLUMNS[0], *(Column(c.header, "percent") for c in SUMMARY_COLUMNS[1:]))


def _money(cents: int) -> str:
    return "$" + format_money(dollars(cents))


def write_summary(sheet: ReportSheet, ctx: ReportContext, totals: PartyTotals,
                  steps: Sequence[str]) -> None:
    header = start(sheet, ctx, "A/R aging",
                   f"Open balances by who owes them and how old they are; "
                   f"{ctx.scope.basis.description}.", SUMMARY_COLUMNS)
    grand = totals.grand
    parties = [(ctx.payer_label(payer), owed) for payer, owed in totals.payers.items()]
    parties += [("Patients", totals.patients), ("Patients placed with collections", totals.placed)]
    sheet.rows(SUMMARY_COLUMNS, [
        (label, *owed.money(), dollars(owed.total), ratio(owed.total, grand.total))
        for label, owed in parties
    ])
    first, last = header + 1, sheet.row
    sheet.rows(SUMMARY_COLUMNS, [("Total", *grand.money(), dollars(grand.total),
                                  ratio(grand.total, grand.total))], "total")
    sheet.rows(SHARE_COLUMNS, [("Share of A/R", *(ratio(c, grand.total) for c in grand.cents),
                                ratio(grand.total, grand.total))])
    sheet.formulas(sum_formulas(SUMMARY_COLUMNS, first, last, "Excel check: sum of the rows above"),
                   [c.kind for c in SUMMARY_COLUMNS])
    sheet.line()
    sheet.line("What to do next", "bold")
    for step in steps or [NOTHING_TO_DO]:
        for number, text in enumerate(textwrap.wrap(step, STEP_WIDTH)):
            sheet.line(f"  {text}" if number else f"• {text}")
    sheet.line()
    sheet.bar_chart(title="Open balances by age", anchor_row=sheet.row + 1,
                    series_rows=(first, last), series_in_rows=True, data_cols=(2, 6),
                    category_ref=(2, header, 6, header), y_title="Owed")


def next_steps(totals: PartyTotals, tally: DetailTally, ready: Sequence[AgencyAccount],
               credits: Sequence[int], kpis: Kpis, ctx: ReportContext) -> list[str]:
    """The actions the numbers call for, most urgent first, each naming where to do it."""
    steps = []
    late = {payer: sum(cells[2:ON_ACCOUNT]) for payer, cells in tally.payers.items()}
    late = {payer: cents for payer, cents in late.items() if cents > 0}
    if late:
        worst = max(late, key=lambda payer: late[payer])
        steps.append(f"Payers owe {_money(sum(late.values()))} on visits more than 60 days old "
                     f"(most: {ctx.payer_label(worst)}, {_money(late[worst])}). Check the status "
                     "of those claims with each payer: By Payer, then Detail filtered on 'Owed by'.")
    waiting = sum(len(claims) for claims in tally.worklist.values())
    if waiting:
        steps.append(f"{waiting} claims were rejected or denied and wait for a correction: run "
                     "'medsheets denials' for the worklist.")
    unsent = sum(len(claims) for claims in tally.unsent.values())
    if unsent:
        steps.append(f"{unsent} claims to payers were never sent: bill them with 'medsheets claims'.")
    if ready:
        owed = sum((a.balance for a in ready), Decimal("0.00"))
        steps.append(f"{len(ready)} accounts (${format_money(owed)}) meet the collections rule: "
                     "review the Collections sheet, then run 'medsheets collections --export'.")
    patients_late = sum(totals.patients.cents[3:ON_ACCOUNT])
    if patients_late > 0:
        steps.append(f"Patients owe {_money(patients_late)} on visits more than 90 days old: "
                     "make sure their statements go out ('medsheets invoices').")
    if credits[0]:
        steps.append(f"{credits[0]} accounts hold a credit of {_money(-credits[1])}: refund or "
                     "apply it (see the Refunds sheet).")
    underpaid = sum(c.underpaid_lines for c in kpis.code_payments)
    if underpaid:
        steps.append(f"{underpaid} lines were paid below the payer's allowed percent of the fee: "
                     "see KPIs, 'Payments per code'; appeal them or correct codesets.xlsx.")
    return steps


PAYER_COLUMNS = bucket_columns(
    (Column("Payer ID", "text", 10), Column("Payer", "text", 34)),
    (Column("Share", "percent", 8), Column("Open claims", "count", 8),
     Column("Open lines", "count", 8), Column("Oldest visit", "date", 12),
     Column("Not sent", "count", 8), Column("Rejected or denied", "count", 10)),
)


def write_by_payer(sheet: ReportSheet, ctx: ReportContext, totals: PartyTotals,
                   tally: DetailTally) -> None:
    header = start(sheet, ctx, "A/R by payer",
                   "What each payer still owes, by age, with the claims behind it.", PAYER_COLUMNS)
    payers_total = sum(totals.payers.values(), Buckets())
    sheet.rows(PAYER_COLUMNS, [
        (payer, ctx.payer_names.get(pending_parts(payer)[0], ""), *owed.money(),
         dollars(owed.total),
         ratio(owed.total, payers_total.total), len(tally.payer_claims.get(payer, ())),
         tally.payer_lines.get(payer, 0), tally.oldest.get(payer),
         len(tally.unsent.get(payer, ())), len(tally.worklist.get(payer, ())))
        for payer, owed in totals.payers.items()
    ])
    last = max(sheet.row, header + 1)
    sheet.filter(header, len(PAYER_COLUMNS), last)
    sheet.rows(PAYER_COLUMNS, [("Total", None, *payers_total.money(), dollars(payers_total.total))],
               "total")
    sheet.formulas(sum_formulas(PAYER_COLUMNS, header + 1, last, "Excel check (formulas)"),
                   [c.kind for c in PAYER_COLUMNS])


TREND_COLUMNS = (Column("As of", "date", 12), *bucket_columns(())[:7],
                 Column("Change from previous", "money", 14), Column("Recorded", "date", 12))


def write_trend(sheet: ReportSheet, ctx: ReportContext, points: Sequence[TrendPoint]) -> None:
    header = start(sheet, ctx, "A/R trend",
                   "Totals of each weekly aging run (one per as-of date), oldest first.",
                   TREND_COLUMNS)
    rows: list[tuple[Any, ...]] = []
    previous: int | None = None
    for point in points:
        change = None if previous is None else dollars(point.totals.total - previous)
        rows.append((point.as_of, *point.totals.money(), dollars(point.totals.total), change,
                     point.recorded_at))
        previous = point.totals.total
    sheet.rows(TREND_COLUMNS, rows)
    first, last = header + 1, sheet.row
    sheet.filter(header, len(TREND_COLUMNS), max(last, first))
    sheet.line()
    sheet.bar_chart(title="A/R by age, week on week", anchor_row=sheet.row + 1,
                    series_rows=(first, max(last, first)), series_in_rows=False, data_cols=(2, 6),
                    category_ref=(1, first, 1, max(last, first)), y_title="Owed")
