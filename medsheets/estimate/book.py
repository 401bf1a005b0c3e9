"""The estimates workbook, `out/estimates/estimates-DATE.xlsx`, through the report writer.

Sheet `Estimates`: one row per appointment with its coverage, charges, allowed amount,
expected insurance payment, the patient's expected share and what to collect at the visit,
and why (or why it was flagged instead). Sheet `Lines`: each planned service with its
allowed amount, copay, deductible, coinsurance, insurance payment and the reason for every
figure. Sheet `How`: the rules and the rounding. Accounts and appointments by id only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from medsheets.estimate.price import VisitEstimate
from medsheets.money import ZERO
from medsheets.workbook.report_book import Column, ReportBook

SHEETS = ("Estimates", "Lines", "How")
VISIT_COLUMNS = (
    Column("appointment", width=14), Column("date", "date", 11), Column("account", width=11),
    Column("payer", width=10), Column("coverage", width=12), Column("charges", "money", 12),
    Column("allowed", "money", 12), Column("insurance pays", "money", 13),
    Column("patient share", "money", 13), Column("collect at visit", "money", 14),
    Column("Good Faith Estimate", width=22), Column("why", width=80),
)
LINE_COLUMNS = (
    Column("appointment", width=14), Column("line", "int", 5), Column("code", width=8),
    Column("service", width=34), Column("units", "int", 6), Column("charge", "money", 11),
    Column("allowed", "money", 11), Column("copay", "money", 10), Column("deductible", "money", 11),
    Column("coinsurance", "money", 11), Column("patient share", "money", 12),
    Column("insurance pays", "money", 12), Column("reason", width=90),
)
HOW = (
    "How each estimate is made (see docs/before-the-visit.md):",
    ("allowed: the FeeSchedule rate for the payer and code in force on the date x units; else the "
    "payer's allowed_percent x the charge; else the charge; never more than the charge."),
    ("copay: the plan's copay for the service type (98 office visit, ...), once per service type "
    "per visit; such a line owes no deductible or coinsurance."),
    "otherwise the deductible that remains is taken first, then the coinsurance on the rest.",
    ("the patient's share never exceeds the out-of-pocket maximum that remains; insurance pays "
    "the allowed amount less the patient's share."),
    ("rounding: allowed_percent x charge and coinsurance x amount are rounded to the cent, half "
    "up, per line; totals are sums of the lines."),
    ("flagged: coverage inactive, rejected, unknown, outside the plan dates, another payer "
    "primary, or no eligibility answer on file. Nothing is guessed: settle it with the patient."),
    "self-pay: the patient owes the charges; a Good Faith Estimate PDF is written for them.",
)


def write_estimates_book(target: Path, estimates: Sequence[VisitEstimate],
                         gfe_files: Mapping[str, str]) -> Path:
    """Write the workbook for `estimates` to `target`, atomically and owner-only."""
    book = ReportBook(SHEETS)
    visits = book.sheet("Estimates")
    visits.setup([c.width for c in VISIT_COLUMNS], header_row=1)
    visits.header(VISIT_COLUMNS)
    visits.rows(VISIT_COLUMNS, [_visit_row(e, gfe_files) for e in estimates])
    visits.filter(1, len(VISIT_COLUMNS), max(visits.row, 2))
    lines = book.sheet("Lines")
    lines.setup([c.width for c in LINE_COLUMNS], header_row=1)
    lines.header(LINE_COLUMNS)
    lines.rows(LINE_COLUMNS, [
        (e.visit.encounter_id, number, line.line.procedure_code, line.description,
         line.line.units or 1, line.charge, line.allowed,
         *((line.copay, line.deductible, line.coinsurance, line.patient, line.insurance)
           if e.status == "estimated" else (None, None, None,
                                            line.patient if e.status == "self-pay" else None,
                                            None)),
         line.reason)
        for e in estimates for number, line in enumerate(e.lines, start=1)])
    how = book.sheet("How")
    how.setup([120])
    for text in HOW:
        how.line(text)
    return book.save(target, title="Estimates before the visit", identifier="medsheets-estimates")


def _visit_row(estimate: VisitEstimate, gfe_files: Mapping[str, str]) -> tuple[object, ...]:
    first = estimate.visit.first
    coverage = {"estimated": estimate.terms.status if estimate.terms else "active",
                "self-pay": "self-pay", "flagged": f"FLAGGED: {_flag_word(estimate)}"}[estimate.status]
    allowed = (sum((line.allowed or ZERO for line in estimate.lines), ZERO)
               if estimate.status == "estimated" else None)
    why = "; ".join((estimate.reason, *estimate.notes))
    return (estimate.visit.encounter_id, first.date_of_service, first.patient_id,
            first.payer_id or "self-pay", coverage, estimate.charge, allowed, estimate.insurance,
            estimate.patient, estimate.collect, gfe_files.get(estimate.visit.encounter_id, ""), why)


def _flag_word(estimate: VisitEstimate) -> str:
    terms = estimate.terms
    if terms is None:
        return "no answer"
    if terms.other_payer:
        return "other payer"
    return terms.status if terms.status != "active" else "dates"
