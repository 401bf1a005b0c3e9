"""The follow-up worklist workbook: every unpaid insurance claim, most at risk first.

One row per claim: who and what (the account, the rendering doctor), when billed and how old,
the last word about it (999, 277CA, 277, 835, our 276) with its codes explained and the
payer's own words, the timely-filing deadline and the days left, and what to do next. Written in write-only mode through
the one report writer of every report (report_book.py: a name starting with "=" stays text),
atomically and owner-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from medsheets.followup.plan import FollowupRow
from medsheets.workbook.report_book import Column, ReportBook

COLUMNS = tuple(Column(header, kind, width) for header, kind, width in (
    ("encounter_id", "text", 16), ("account", "text", 12), ("rendering", "text", 22),
    ("payer", "text", 30), ("date of service", "iso-date", 14), ("billed", "iso-date", 12), ("age (days)", "int", 10),
    ("charge", "amount", 12), ("status", "text", 10), ("last from", "text", 9),
    ("last status", "text", 22), ("on", "iso-date", 12), ("what it says", "text", 70),
    ("payer claim number", "text", 18), ("timely filing deadline", "iso-date", 14),
    ("days left", "int", 10), ("next action", "text", 70), ("276 sent now", "text", 10)))


def write_followup_report(target: Path, rows: Sequence[FollowupRow], as_of: dt.date) -> Path:
    """The worklist for `as_of` at `target`."""
    book = ReportBook(("Follow-up", "About"))
    try:
        book.sheet("Follow-up").table(COLUMNS, (
            (row.claim.encounter_id, row.claim.patient_id, row.clinician,
             f"{row.claim.payer_id} {row.payer_name}",
             row.claim.date_of_service, row.claim.billed_on, row.age_days, row.claim.charge,
             row.claim.status, row.last_source, row.last_status, row.last_date, row.last_words,
             row.claim.payer_claim_number or "", row.deadline, row.days_left, row.next_action,
             "yes" if row.ask else "") for row in rows), filter_when_empty=True)
        book.sheet("About").line(f"Unpaid insurance claims as of {as_of:%Y-%m-%d}, the claim "
                                 "closest to its timely-filing deadline first.")
        return book.save(target)
    except BaseException:
        book.abandon()
        raise
