"""The report workbook of a `remit` run: what each 835 paid, adjusted and denied, and why.

The biller opens it after posting to see the payments by claim and line, every adjustment with
its reason code and a plain explanation, the denials to work, what matched none of our claims
(to post by hand), the payer's provider-level adjustments, and per remittance the totals that
reconcile to the payment (BPR02). Claims are identified by encounter id and account number,
and name their rendering doctor (Providers sheet; the NPI when not listed);
amounts are exact Decimal cells; text cells are never formulas. The sheets are written through
the one report writer (report_book.py), streamed a row at a time, so a remittance of 10,000
claims is as quick to report as one of ten. The rows are kept with the run in the ledger
(`report_rows`) and the workbook is written from them, so a report a killed run owed is
written by the next `remit` exactly as it would have been.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from medsheets.remit.results import POSTED, ClaimOutcome, RemitResult, RemittanceOutcome
from medsheets.workbook.kept_rows import KeptRows, rows_text
from medsheets.workbook.report_book import Column, ReportBook

ZERO = Decimal("0.00")
SHEETS = ("Totals", "Payments", "Adjustments", "Denials", "Unmatched", "Provider adjustments",
          "Problems")


def _columns(*layout: tuple[str, str, float]) -> tuple[Column, ...]:
    return tuple(Column(header, kind, width) for header, kind, width in layout)


TOTALS = _columns(("file", "text", 22), ("trace", "text", 16), ("payer", "text", 30),
                  ("payment date", "iso-date", 12), ("method", "text", 8), ("status", "text", 16),
                  ("payment (BPR02)", "amount", 14), ("claims paid, posted", "amount", 14),
                  ("claims paid, not posted", "amount", 14), ("provider adjustments", "amount", 14),
                  ("reconciles", "text", 10))
PAYMENTS = _columns(("trace", "text", 14), ("encounter_id", "text", 16), ("account", "text", 12),
                    ("line", "text", 6), ("code", "text", 8), ("modifiers", "text", 10),
                    ("date of service", "iso-date", 14), ("charge", "amount", 12),
                    ("paid", "amount", 12), ("adjusted", "amount", 12), ("patient", "amount", 12),
                    ("result", "text", 18), ("rendering", "text", 22))
ADJUSTMENTS = _columns(("trace", "text", 14), ("encounter_id", "text", 16), ("line", "text", 6),
                       ("group", "text", 7), ("reason", "text", 7), ("code", "text", 9),
                       ("amount", "amount", 12), ("posted as", "text", 40),
                       ("explanation", "text", 70), ("remarks", "text", 50))
DENIALS = _columns(("trace", "text", 14), ("encounter_id", "text", 16), ("account", "text", 12),
                   ("line", "text", 6), ("code", "text", 8), ("charge", "amount", 12),
                   ("reason codes", "text", 20), ("explanation", "text", 90),
                   ("rendering", "text", 22))
UNMATCHED = _columns(("trace", "text", 14), ("encounter_id (CLP01)", "text", 20),
                     ("what", "text", 14), ("code", "text", 8), ("charge", "amount", 12),
                     ("paid", "amount", 12), ("why", "text", 80))
PROVIDER = _columns(("trace", "text", 14), ("payer", "text", 30), ("reason", "text", 7),
                    ("explanation", "text", 60), ("reference", "text", 20),
                    ("amount", "amount", 12), ("fiscal period", "iso-date", 12))
PROBLEMS = _columns(("where", "text", 34), ("code", "text", 26), ("severity", "text", 9),
                    ("message", "text", 120))
LAYOUTS = (TOTALS, PAYMENTS, ADJUSTMENTS, DENIALS, UNMATCHED, PROVIDER, PROBLEMS)


def report_rows(result: RemitResult) -> str:
    """The report's rows for `result`, as the run keeps them in the ledger (kept_rows.py)."""
    return rows_text(_tables(result))


def write_remit_report(target: Path, rows: str) -> Path:
    """Write the report of the kept `rows` to `target` atomically, owner-only, one row at a time."""
    kept = KeptRows(rows)
    return _write(target, (kept.table(number) for number in range(len(SHEETS))))


def write_result_report(target: Path, result: RemitResult) -> Path:
    """The same workbook written from `result` itself, the records its kept rows were made
    from (the run that kept them need not decode its own text: 0.13 s for 7,480 claims). Safe
    because kept_rows.py gives back each value as it was (text, whole number, exact Decimal
    text, date, None, yes/no), so both ways make the same cells."""
    return _write(target, iter(_tables(result)))


def _write(target: Path, tables: Iterator[Iterable[Sequence[Any]]]) -> Path:
    """Each sheet's rows taken from `tables` in the order of SHEETS, as that sheet is reached
    (a kept text is read in one pass)."""
    book = ReportBook(SHEETS)
    try:
        for name, columns, rows in zip(SHEETS, LAYOUTS, tables):
            book.sheet(name).table(columns, rows)
        return book.save(target)
    except BaseException:
        book.abandon()
        raise


def _tables(result: RemitResult) -> tuple[Iterable[Sequence[Any]], ...]:
    """Each sheet's rows, in the order of SHEETS."""
    return (
        (_totals(o) for o in result.outcomes),
        ((r.trace, r.encounter_id, r.account, r.line_number, r.code, r.modifiers, r.service_date,
          r.charge, r.paid, r.adjusted, r.patient, r.result, c.clinician)
         for c in _posted_claims(result) for r in c.lines),
        ((a.trace, a.encounter_id, a.line_number, a.group, a.reason, f"{a.group}-{a.reason}",
          a.amount, a.posted_as, a.explanation, a.remarks)
         for c in _posted_claims(result) for a in c.adjustments),
        _denials(_posted_claims(result)),
        _unmatched(_posted_claims(result)),
        ((o.remittance.trace_number, o.remittance.payer_name, p.reason,
          result.provider_explanations.get(p.reason, ""), p.reference, p.amount,
          p.fiscal_period_date)
         for o in result.outcomes if o.status == POSTED and o.remittance
         for p in o.provider_adjustments),
        ((str(p.source), p.code, p.severity.value, p.message) for p in result.problems),
    )


def _posted_claims(result: RemitResult) -> Iterator[ClaimOutcome]:
    return (c for o in result.outcomes if o.status == POSTED for c in o.claims)


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


def _denials(claims: Iterable[ClaimOutcome]) -> Iterable[tuple[Any, ...]]:
    for claim in claims:
        if claim.action == "denied":
            yield (claim.trace, claim.patient_control_number, claim.account, None, "(claim)",
                   claim.charge, claim.reason_codes, claim.explanation, claim.clinician)
        for line in claim.lines:
            if line.result == "denied line":
                codes = [f"{a.group}-{a.reason}" for a in claim.adjustments
                         if a.line_number == line.line_number and a.group != "PR"]
                words = [a.explanation for a in claim.adjustments
                         if a.line_number == line.line_number and a.group != "PR"]
                yield (claim.trace, claim.patient_control_number, claim.account, line.line_number,
                       line.code, line.charge, " ".join(codes), "; ".join(dict.fromkeys(words)),
                       claim.clinician)


def _unmatched(claims: Iterable[ClaimOutcome]) -> Iterable[tuple[Any, ...]]:
    for claim in claims:
        if claim.action == "unmatched":
            yield (claim.trace, claim.patient_control_number, "claim", "", claim.charge,
                   claim.paid, claim.note)
            continue
        for service in claim.unmatched_lines:
            yield (claim.trace, claim.patient_control_number, f"line (segment {service.position})",
                   service.billed_code, service.charge, service.paid,
                   "matches none of the claim's lines; its money was posted at claim level")
