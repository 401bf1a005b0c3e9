"""The report workbook of a `remit` run: what each 835 paid, adjusted and denied, and why.

The biller opens it after posting to see the payments by claim and line, every adjustment with
its reason code and a plain explanation, the denials to work, what matched none of our claims
(to post by hand), the payer's provider-level adjustments, and per remittance the totals that
reconcile to the payment (BPR02). Claims are identified by encounter id and account number;
amounts are exact Decimal cells; text cells are never formulas (writing.as_text_cell). The
sheets are written in openpyxl's write-only mode, so a remittance of 10,000 claims is as quick
to report as one of ten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from medsheets.files import atomic_path
from medsheets.remit.results import POSTED, RemitResult, RemittanceOutcome
from medsheets.workbook.writing import as_text_cell

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
ZERO = Decimal("0.00")
BOLD = Font(bold=True)


def write_remit_report(target: Path, result: RemitResult) -> Path:
    """Write the report for `result` to `target` atomically, owner-only."""
    book = openpyxl.Workbook(write_only=True)
    _sheet(book, "Totals", ("file", "trace", "payer", "payment date", "method", "status",
                            "payment (BPR02)", "claims paid, posted", "claims paid, not posted",
                            "provider adjustments", "reconciles"),
           [_totals(o) for o in result.outcomes],
           widths=(22, 16, 30, 12, 8, 16, 14, 14, 14, 14, 10))
    claims = [c for o in result.outcomes if o.status == POSTED for c in o.claims]
    _sheet(book, "Payments", ("trace", "encounter_id", "account", "line", "code", "modifiers",
                              "date of service", "charge", "paid", "adjusted", "patient", "result"),
           [(r.trace, r.encounter_id, r.account, r.line_number, r.code, r.modifiers,
             r.service_date, r.charge, r.paid, r.adjusted, r.patient, r.result)
            for c in claims for r in c.lines],
           widths=(14, 16, 12, 6, 8, 10, 14, 12, 12, 12, 12, 18))
    _sheet(book, "Adjustments", ("trace", "encounter_id", "line", "group", "reason", "code",
                                 "amount", "posted as", "explanation", "remarks"),
           [(a.trace, a.encounter_id, a.line_number, a.group, a.reason, f"{a.group}-{a.reason}",
             a.amount, a.posted_as, a.explanation, a.remarks)
            for c in claims for a in c.adjustments],
           widths=(14, 16, 6, 7, 7, 9, 12, 40, 70, 50))
    _sheet(book, "Denials", ("trace", "encounter_id", "account", "line", "code", "charge",
                             "reason codes", "explanation"),
           list(_denials(claims)), widths=(14, 16, 12, 6, 8, 12, 20, 90))
    _sheet(book, "Unmatched", ("trace", "encounter_id (CLP01)", "what", "code", "charge", "paid",
                               "why"),
           list(_unmatched(claims)), widths=(14, 20, 14, 8, 12, 12, 80))
    _sheet(book, "Provider adjustments", ("trace", "payer", "reason", "explanation", "reference",
                                          "amount", "fiscal period"),
           [(o.remittance.trace_number, o.remittance.payer_name, p.reason,
             result.provider_explanations.get(p.reason, ""), p.reference, p.amount,
             p.fiscal_period_date)
            for o in result.outcomes if o.status == POSTED and o.remittance
            for p in o.provider_adjustments],
           widths=(14, 30, 7, 60, 20, 12, 12))
    _sheet(book, "Problems", ("where", "code", "severity", "message"),
           [(str(p.source), p.code, p.severity.value, p.message) for p in result.problems],
           widths=(34, 26, 9, 120))
    with atomic_path(target) as temp:
        book.save(temp)
    return target


def _totals(outcome: RemittanceOutcome) -> tuple[Any, ...]:
    remittance = outcome.remittance
    if remittance is None:
        return (outcome.transaction.file, "", "", None, "", "refused: unreadable", None, None,
                None, None, "")
    if outcome.status == POSTED:
        posted = sum((c.paid for c in outcome.claims if c.claim_id is not None), ZERO)
        unposted = sum((c.paid for c in outcome.claims if c.claim_id is None), ZERO)
    else:  # refused or posted before: none of its money is posted by this run
        posted, unposted = ZERO, sum((c.paid for c in remittance.claims), ZERO)
    provider = sum((p.amount for p in remittance.provider_adjustments), ZERO)
    reconciles = posted + unposted - provider == remittance.payment
    status = outcome.status + (f" on {outcome.earlier}" if outcome.earlier else "")
    return (remittance.file, remittance.trace_number, remittance.payer_name,
            remittance.effective_date, remittance.method, status, remittance.payment, posted,
            unposted, provider, "yes" if reconciles else "NO")


def _denials(claims: Iterable[Any]) -> Iterable[tuple[Any, ...]]:
    for claim in claims:
        if claim.action == "denied":
            yield (claim.trace, claim.patient_control_number, claim.account, None, "(claim)",
                   claim.charge, claim.reason_codes, claim.explanation)
        for line in claim.lines:
            if line.result == "denied line":
                codes = [f"{a.group}-{a.reason}" for a in claim.adjustments
                         if a.line_number == line.line_number and a.group != "PR"]
                words = [a.explanation for a in claim.adjustments
                         if a.line_number == line.line_number and a.group != "PR"]
                yield (claim.trace, claim.patient_control_number, claim.account, line.line_number,
                       line.code, line.charge, " ".join(codes), "; ".join(dict.fromkeys(words)))


def _unmatched(claims: Iterable[Any]) -> Iterable[tuple[Any, ...]]:
    for claim in claims:
        if claim.action == "unmatched":
            yield (claim.trace, claim.patient_control_number, "claim", "", claim.charge,
                   claim.paid, claim.note)
            continue
        for service in claim.unmatched_lines:
            yield (claim.trace, claim.patient_control_number, f"line (segment {service.position})",
                   service.billed_code, service.charge, service.paid,
                   "matches none of the claim's lines; its money was posted at claim level")


def _sheet(book: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           widths: Sequence[int]) -> None:
    """A write-only sheet (constant memory and time per row, however many claims): bold
    headers, money and date formats, frozen header row, a filter when there are rows."""
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    header = []
    for value in headers:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _cell(sheet: Any, value: Any) -> Any:
    """One cell: text kept as text (never a formula), money and dates formatted. A plain value
    is passed as it is (openpyxl makes a formula only of text starting with '=')."""
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        return as_text_cell(WriteOnlyCell(sheet, value=value))
    return value
