"""The A/R aging: who owes the practice what, for how long, and what to do about it.

    result = run_aging(practice, as_of=date, basis=AgeBasis.SERVICE, now=datetime)
    placed = export_collections(practice, as_of=date)

Stages, ledger to workbook: buckets.py (the age bands, as SQL), totals.py (GROUP BY totals by
payer and patient), detail.py (every open line, streamed), collections.py (the turnover rule
and placements), kpis.py (the measures), trend.py (each run's totals, kept in the ledger);
layout.py, sheets.py, summary.py and kpi_sheet.py lay them out through
medsheets.workbook.report_book; report.py and export.py are the two commands' library calls.
"""

from medsheets.aging.export import CollectionsResult, export_collections, list_ready
from medsheets.aging.report import AgingResult, run_aging
from medsheets.ledger.reports.buckets import AgeBasis, Scope

__all__ = [
    "AgeBasis",
    "AgingResult",
    "CollectionsResult",
    "Scope",
    "export_collections",
    "list_ready",
    "run_aging",
]
