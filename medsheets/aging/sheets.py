"""The streamed sheets: Detail (every open line), By Patient (every account), Collections.

Each sheet opens the same way (a title naming the practice and the as-of date, a line saying
how to read it, the header row frozen and repeated on printed pages) and ends with its totals:
values medsheets computed, and below them live formulas that agree with them in Excel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from medsheets import __version__
from medsheets.aging.layout import (
    COLUMN_LABELS,
    DETAIL_COLUMNS,
    DETAIL_MONEY,
    AgingMismatch,
    DetailTally,
    bucket_index,
    detail_values,
    dollars,
    patient_name,
)
from medsheets.config import KpiTargets, Statements
from medsheets.ledger.accounts import Standing
from medsheets.ledger.cob import pending_parts
from medsheets.ledger.plans import PlanStanding
from medsheets.ledger.reports.buckets import Scope
from medsheets.ledger.reports.collections import AgencyAccount, placement_minimum
from medsheets.ledger.reports.detail import DetailRow
from medsheets.ledger.reports.totals import Buckets, PatientAging
from medsheets.model import column_letter
from medsheets.workbook.report_book import Column, ReportBook, ReportSheet

HEADER_ROW = 4  # title, subtitle, blank, header


@dataclass(frozen=True)
class ReportContext:
    """What every sheet's heading says: whose report, as of when, read how."""

    practice_name: str
    scope: Scope
    written_at: dt.datetime
    payer_names: Mapping[str, str]
    rules: Statements
    targets: KpiTargets = field(default_factory=KpiTargets)

    def payer_label(self, payer_id: str) -> str:
        """'Name (ID)'; for what a further payer is expected to pay, 'Name (ID, secondary
        pending)' (or tertiary)."""
        base, rank = pending_parts(payer_id)
        name = self.payer_names.get(base)
        pending = f", {rank} pending" if rank else ""
        return f"{name} ({base}{pending})" if name else payer_id


def start(sheet: ReportSheet, ctx: ReportContext, what: str, note: str,
          columns: Sequence[Column]) -> int:
    """Set the sheet up and write its title, note and header; the header's row number."""
    sheet.setup([c.width for c in columns], header_row=HEADER_ROW)
    sheet.line(f"{ctx.practice_name} — {what} as of {ctx.scope.as_of:%m/%d/%Y}", "title")
    sheet.line(f"{note} Written {ctx.written_at:%Y-%m-%d %H:%M} by medsheets {__version__}.", "note")
    sheet.line()
    return sheet.header(columns)


def sum_formulas(columns: Sequence[Column], first: int, last: int, label: str, *,
                 visible_only: bool = False) -> list[Any]:
    """A label, then a formula summing rows first..last of every money column (only the rows
    a filter shows, with `visible_only`: SUBTOTAL 109 skips hidden rows)."""
    formula = "=SUBTOTAL(109,{})" if visible_only else "=SUM({})"
    cells: list[Any] = [label]
    for index, column in enumerate(columns[1:], start=1):
        if column.kind == "money":
            letter = column_letter(index)
            cells.append(formula.format(f"{letter}{first}:{letter}{last}"))
        else:
            cells.append(None)
    return cells


def bucket_columns(first: Sequence[Column], after: Sequence[Column] = ()) -> tuple[Column, ...]:
    money = tuple(Column(label, "money", 12) for label in COLUMN_LABELS)
    return (*first, *money, Column("Total", "money", 13), *after)


def _detail_values(scope: Scope, rows: Iterable[DetailRow], tally: DetailTally) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        bucket, age = bucket_index(scope, row)
        tally.add(row, bucket)
        yield detail_values(row, bucket, age)


def write_detail(book: ReportBook, name: str, ctx: ReportContext, rows: Iterable[DetailRow]) -> DetailTally:
    """Every open line, continued on further sheets past Excel's row limit; the tally."""
    tally = DetailTally()
    values = _detail_values(ctx.scope, rows, tally)
    sheet, part = book.sheet(name), 1
    note = (f"Every claim line with money still owed; {ctx.scope.basis.description}. "
            "Filter on 'Owed by' or 'Bucket' to work a list.")
    while True:
        header = start(sheet, ctx, "A/R detail", note, DETAIL_COLUMNS)
        done = sheet.stream(DETAIL_COLUMNS, values, reserve=2)
        last = max(sheet.row, header + 1)
        sheet.filter(header, len(DETAIL_COLUMNS), last)
        if done:
            break
        part += 1
        sheet = book.add_sheet_after(f"{name} ({part})", sheet.title)
    first_money, last_money = DETAIL_MONEY
    totals: list[Any] = [None] * len(DETAIL_COLUMNS)
    totals[0], totals[14] = "Total", f"{tally.lines} lines"
    totals[first_money:last_money + 1] = [dollars(c) for c in tally.money]
    sheet.rows(DETAIL_COLUMNS, [totals], "total")
    sheet.formulas(sum_formulas(DETAIL_COLUMNS, header + 1, last, "Rows shown by the filter",
                                visible_only=True), [c.kind for c in DETAIL_COLUMNS])
    return tally


PATIENT_COLUMNS = bucket_columns(
    (Column("Account", "text", 11), Column("Patient", "text", 24), Column("Phone", "text", 13)),
    (Column("Insurance pending", "money", 13), Column("Last payment", "date", 12),
     Column("Last statement", "date", 12), Column("Statements", "count", 11),
     Column("Guarantor", "text", 24), Column("Status", "text", 34)),
)


def patient_status(account: PatientAging, ready: frozenset[str], standing: Standing | None,
                   plan: PlanStanding | None = None) -> str:
    if account.placed_on is not None:
        return f"placed with collections {account.placed_on:%m/%d/%Y}"
    if plan is not None and plan.active:
        return "payment plan kept" if plan.kept else "payment plan: installment missed (see Plans)"
    if account.patient_id in ready:
        return "ready for collections (see Collections)"
    if standing is not None and standing.credit > 0:
        return "credit balance: refund it (see Refunds)"
    if account.owed.total < 0:
        return "prepaid on a visit still with insurance"
    return ""


def write_by_patient(sheet: ReportSheet, ctx: ReportContext, accounts: Iterable[PatientAging],
                     ready: frozenset[str], expected: Buckets,
                     standing: Mapping[str, Standing],
                     plans: Mapping[str, PlanStanding],
                     guarantors: Mapping[str, str] | None = None) -> list[int]:
    """One row per account the patient owes on; [credit accounts, -credit cents] for the
    notes (true credits only: a prepayment on a visit still with insurance is not one).
    `guarantors` names who answers for the accounts of patients who do not answer for
    themselves (statements go to them); blank: the patient."""
    guarantors = guarantors or {}
    header = start(sheet, ctx, "A/R by patient",
                   "What each patient owes (their own share), by age; insurance still pending is "
                   "shown beside it, not in the buckets.", PATIENT_COLUMNS)
    seen = Buckets()
    credits = [0, 0]

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal seen
        for account in accounts:
            seen = seen + account.owed
            found = standing.get(account.patient_id)
            if found is not None and found.credit > 0:
                credits[0] += 1
                credits[1] -= found.credit
            yield (account.patient_id, patient_name(account.last_name, account.first_name),
                   account.phone, *account.owed.money(), dollars(account.owed.total),
                   dollars(account.insurance_cents), account.last_payment,
                   account.last_statement, account.statements, guarantors.get(account.patient_id),
                   patient_status(account, ready, standing.get(account.patient_id),
                                  plans.get(account.patient_id)))

    sheet.stream(PATIENT_COLUMNS, rows())
    last = max(sheet.row, header + 1)
    sheet.filter(header, len(PATIENT_COLUMNS), last)
    if seen != expected:
        raise AgingMismatch("the By Patient rows differ from the ledger's patient totals")
    total_row = ("Total", None, None, *expected.money(), dollars(expected.total))
    sheet.rows(PATIENT_COLUMNS, [total_row], "total")
    sheet.formulas(sum_formulas(PATIENT_COLUMNS[:10], header + 1, last, "Excel check (formulas)"),
                   [c.kind for c in PATIENT_COLUMNS[:10]])
    return credits


AGENCY_COLUMNS = (
    # The debtor is the guarantor (never a minor); the patient is named beside the account.
    Column("Account", "text", 11), Column("Debtor last name", "text", 16),
    Column("Debtor first name", "text", 14),
    Column("Patient", "text", 22), Column("Address", "text", 26), Column("City", "text", 16),
    Column("State", "text", 6), Column("ZIP", "text", 10), Column("Phone", "text", 13),
    Column("Email", "text", 26), Column("Balance", "money", 12),
    Column("Dates of service", "text", 30), Column("Statements sent", "count", 10),
    Column("First statement", "date", 12), Column("Last statement", "date", 12),
    Column("Last payment", "date", 12),
)
PLACED_COLUMNS = AGENCY_COLUMNS[:4] + (
    Column("Placed on", "date", 12), Column("Balance placed", "money", 12),
    Column("Balance now", "money", 12),
)


def agency_values(account: AgencyAccount) -> tuple[Any, ...]:
    """The agency's row: the guarantor as the debtor, at their address; the patient by name."""
    days = "; ".join(f"{day:%m/%d/%Y}" for day in account.dates_of_service)
    debtor = account.debtor
    if debtor is None:
        who: tuple[Any, ...] = (account.last_name, account.first_name, account.patient_name,
                                account.address, account.city, account.state, account.zip)
        email = account.email
    else:
        who = (debtor.last_name, debtor.first_name, account.patient_name, debtor.address,
               debtor.city, debtor.state, debtor.zip)
        email = debtor.email
    return (account.patient_id, *who, account.phone, email, account.balance, days,
            account.statements, account.first_statement, account.last_statement,
            account.last_payment)


def rule_text(rules: Statements) -> str:
    return (f"Accounts where the patient owes at least ${placement_minimum(rules)}, part of it on "
            f"visits more than {rules.collections_after_days} days old, after "
            f"{rules.collections_after_statements} statements sent (emailed or marked mailed) and "
            "no payment since the last one.")


def write_collections(sheet: ReportSheet, ctx: ReportContext, ready: Sequence[AgencyAccount],
                      placed: Sequence[AgencyAccount]) -> None:
    header = start(sheet, ctx, "accounts for collections",
                   rule_text(ctx.rules) + " Review them, then run 'medsheets collections "
                   "--export' to write the agency file and stop their statements.", AGENCY_COLUMNS)
    sheet.rows(AGENCY_COLUMNS, (agency_values(a) for a in ready))
    sheet.filter(header, len(AGENCY_COLUMNS), max(sheet.row, header + 1))
    total = sum((a.balance for a in ready), Decimal("0.00"))
    sheet.rows(AGENCY_COLUMNS, [("Total", f"{len(ready)} accounts", *[None] * 8, total)], "total")
    sheet.line()
    sheet.line("Placed with a collection agency (no more statements; shown apart in the aging)",
               "bold")
    sheet.header(PLACED_COLUMNS)
    sheet.rows(PLACED_COLUMNS, ((*agency_values(a)[:4], a.placed_on, a.placed_balance, a.balance)
                                for a in placed))
    if not placed:
        sheet.line("No account has been placed.", "note")
