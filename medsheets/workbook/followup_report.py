"""The follow-up worklist workbook: every unpaid insurance claim, most at risk first.

One row per claim: who and what, when billed and how old, the last word about it (999, 277CA,
277, 835, our 276) with its codes explained and the payer's own words, the timely-filing
deadline and the days left, and what to do next. Written in write-only mode through the same
text-safe row writer as every report (a name starting with "=" stays text), atomically and
owner-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from medsheets.files import atomic_path
from medsheets.followup.plan import FollowupRow
from medsheets.workbook.writing import write_only_row

BOLD = Font(bold=True)
HEADERS = ("encounter_id", "account", "payer", "date of service", "billed", "age (days)",
           "charge", "status", "last from", "last status", "on", "what it says",
           "payer claim number", "timely filing deadline", "days left", "next action",
           "276 sent now")
WIDTHS = (16, 12, 30, 14, 12, 10, 12, 10, 9, 22, 12, 70, 18, 14, 10, 70, 10)
FORMATS = {3: "yyyy-mm-dd", 4: "yyyy-mm-dd", 6: "#,##0.00", 10: "yyyy-mm-dd", 13: "yyyy-mm-dd"}


def write_followup_report(target: Path, rows: Sequence[FollowupRow], as_of: dt.date) -> Path:
    """The worklist for `as_of` at `target`."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Follow-up")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"
    write_only_row(sheet, HEADERS, font=BOLD)
    for row in rows:
        claim = row.claim
        write_only_row(sheet, (
            claim.encounter_id, claim.patient_id, f"{claim.payer_id} {row.payer_name}",
            claim.date_of_service, claim.billed_on, row.age_days, claim.charge, claim.status,
            row.last_source, row.last_status, row.last_date, row.last_words,
            claim.payer_claim_number or "", row.deadline, row.days_left, row.next_action,
            "yes" if row.ask else ""), formats=FORMATS)
    about = book.create_sheet("About")
    write_only_row(about, ((f"Unpaid insurance claims as of {as_of:%Y-%m-%d}, the claim "
                            "closest to its timely-filing deadline first."),))
    with atomic_path(target) as part:
        book.save(part)
    return target
