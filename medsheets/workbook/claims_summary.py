"""The summary workbook written beside each claim batch: every claim, billed or held, and why.

The biller opens this after `medsheets claims` to see what went out and what must be fixed.
Account numbers and encounter ids identify claims; amounts are exact (Decimal cells). The rows
are kept in the ledger as JSON (`summary_json`) with the run that billed them, so a run killed
(or a disk that filled) before the workbook was written is finished by the next run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from medsheets.workbook.report_book import Column, ReportBook

CLAIMS = (Column("file", "text", 22), Column("encounter_id", "text", 16),
          Column("account", "text", 12), Column("date_of_service", "iso-date", 14),
          Column("payer", "text", 14), Column("provider", "text", 24), Column("lines", "int", 7),
          Column("total", "amount", 12), Column("status", "text", 16), Column("reasons", "text", 90))
TOTALS = (Column("status"), Column("claims", "int"), Column("total", "amount"))


@dataclass(frozen=True)
class SummaryRow:
    """One claim's line in the summary: where it came from, what it bills, what happened to it."""

    file: str
    encounter_id: str
    account: str | None
    date_of_service: object
    payer: str
    lines: int
    total: Decimal
    status: str  # billed, self-pay, already billed, held, changed since billed
    reasons: str = ""
    provider: str = ""  # the rendering clinician, "Last, First" from the Providers sheet


def write_claims_summary(target: Path, rows: Sequence[SummaryRow], batch_name: str | None) -> Path:
    """Claims and Totals sheets, streamed through the one report writer: a day of 33,000
    claims stays quick."""
    book = ReportBook(("Claims", "Totals"))
    try:
        book.sheet("Claims").table(CLAIMS, (
            (row.file, row.encounter_id, row.account, row.date_of_service, row.payer,
             row.provider, row.lines, row.total, row.status, row.reasons) for row in rows),
            filter_when_empty=True)
        totals = book.sheet("Totals")
        totals.rows(TOTALS, [[column.header for column in TOTALS]], variant="bold")
        totals.rows(TOTALS, _totals(rows))
        totals.rows(TOTALS, [("claim file", batch_name or "none written")])
        return book.save(target)
    except BaseException:
        book.abandon()
        raise


def _totals(rows: Sequence[SummaryRow]) -> list[tuple[str, int, Decimal]]:
    """(status, claims, total) per status, in status order."""
    counts = Counter(row.status for row in rows)
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row.status] = sums.get(row.status, Decimal("0.00")) + row.total
    return [(status, counts[status], sums[status]) for status in sorted(counts)]


def summary_json(rows: Sequence[SummaryRow], batch_name: str | None) -> str:
    """The summary's content as the ledger keeps it: dates ISO, amounts as exact decimal text.
    The fields written one by one, in SummaryRow's order (not `dataclasses.asdict`, which
    deep-copies every value: 33,000 rows a big day); tests/test_billing_summary_restore.py
    holds the two to the same keys."""
    def plain(row: SummaryRow) -> dict[str, object]:
        day = row.date_of_service
        return {"file": row.file, "encounter_id": row.encounter_id, "account": row.account,
                "date_of_service": day.isoformat() if isinstance(day, dt.date) else day,
                "payer": row.payer, "lines": row.lines, "total": str(row.total),
                "status": row.status, "reasons": row.reasons, "provider": row.provider}

    return json.dumps({"batch": batch_name, "rows": [plain(row) for row in rows]},
                      separators=(",", ":"))


def summary_from_json(content: str) -> tuple[list[SummaryRow], str | None]:
    """The rows and batch name `summary_json` kept, exactly as they were."""
    kept = json.loads(content)
    rows = []
    for values in kept["rows"]:
        day = values["date_of_service"]
        values["date_of_service"] = dt.date.fromisoformat(day) if isinstance(day, str) else day
        values["total"] = Decimal(values["total"])
        rows.append(SummaryRow(**values))
    return rows, kept["batch"]
