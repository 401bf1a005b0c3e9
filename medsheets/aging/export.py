"""`medsheets collections --export`: hand the accounts that meet the rule to the agency, once.

In one transaction the accounts are chosen and recorded in collection_placements with the name
of the agency file; after the commit the file is written (out/aging/collections-DATE.xlsx,
owner-only; an xlsx rather than a CSV so that account numbers and ZIP codes keep their leading
zeros and no name can turn into a formula when the agency opens it). An account is placed
once: the next run does not list it again. Should a run die between its commit and its file,
the next run writes the missing file from the ledger first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.aging.sheets import AGENCY_COLUMNS, agency_values
from medsheets.command import command_session
from medsheets.files import remove_stale_parts
from medsheets.ledger import Ledger
from medsheets.ledger.reports import collections
from medsheets.ledger.reports.collections import AgencyAccount
from medsheets.practice import Practice
from medsheets.workbook.report_book import ReportBook

COMMAND = "collections"
SHEET = "Placements"


@dataclass
class CollectionsResult:
    """The accounts listed (or placed), the agency file written, and any file restored."""

    accounts: list[AgencyAccount] = field(default_factory=list)
    file: Path | None = None
    restored: Path | None = None


def list_ready(practice: Practice, *, as_of: dt.date) -> CollectionsResult:
    """The accounts meeting the rule, without placing them."""
    with command_session(practice, COMMAND) as session, session.reading() as tx:
        ids = collections.ready_ids(tx, as_of, practice.config.statements)
        return CollectionsResult(collections.describe(tx, as_of, ids))


def export_collections(practice: Practice, *, as_of: dt.date) -> CollectionsResult:
    """Place every account meeting the rule and write the agency file for them."""
    folder = practice.output_dir("aging")
    result = CollectionsResult()
    with command_session(practice, COMMAND) as session:
        remove_stale_parts(folder, "collections-")  # a run killed while writing its file
        result.restored = _restore_latest(session.ledger, folder)
        with session.reading() as tx:  # the practice is held: nothing changes them meanwhile
            ids = collections.ready_ids(tx, as_of, practice.config.statements)
            result.accounts = collections.describe(tx, as_of, ids)
        if not result.accounts:
            return result
        with session.run(as_of=as_of) as run:
            target = _free_name(folder, as_of)
            collections.place(run.tx, run.id, result.accounts, as_of, target.name)
            run.counts["placed"] = len(result.accounts)
            accounts = result.accounts
            result.file = run.write_with(target, lambda path: write_agency_file(path, accounts))
    return result


def _restore_latest(ledger: Ledger, folder: Path) -> Path | None:
    """Write the latest agency file again if a run committed it but died before writing it."""
    with ledger.reading() as tx:
        name = collections.latest_placement_file(tx)
        if name is None or (folder / name).exists():
            return None
        ids = collections.placed_ids(tx, dt.date.max, file_name=name)
        placed = collections.describe(tx, dt.date.max, ids)
    return write_agency_file(folder / name, placed)


def _free_name(folder: Path, as_of: dt.date) -> Path:
    target = folder / f"collections-{as_of.isoformat()}.xlsx"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"collections-{as_of.isoformat()}-{number}.xlsx"
    return target


def write_agency_file(target: Path, accounts: Sequence[AgencyAccount]) -> Path:
    """One flat table, header in row 1, as agencies import it; the balance is the one placed."""
    book = ReportBook([SHEET])
    sheet = book.sheet(SHEET)
    sheet.setup([c.width for c in AGENCY_COLUMNS], header_row=1)
    sheet.header(AGENCY_COLUMNS)
    rows = []
    for account in accounts:
        values = list(agency_values(account))
        if account.placed_balance is not None:
            values[10] = account.placed_balance
        rows.append(values)
    sheet.rows(AGENCY_COLUMNS, rows)
    sheet.filter(1, len(AGENCY_COLUMNS), max(sheet.row, 2))
    return book.save(target, title="Accounts placed for collection", identifier="medsheets-collections")
