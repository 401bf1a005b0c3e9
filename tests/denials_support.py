"""Helpers for the denial worklist tests (import the two fixtures by their *_fixture names): a billed example practice, answers from payers, edits.

The remit and acks commands record denials as claim_events rows (docs/posting.md); these
helpers insert the same rows directly, so the worklist can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa

from medsheets.claims import bill_workbooks
from medsheets.ledger import ClaimStatus, JournalEntry, Kind, Ledger, Party, Transaction
from medsheets.ledger.schema import claim_events
from medsheets.ledger.sql import utc_now
from medsheets.practice import Practice, open_practice
from medsheets.workbook.table import header_key

BILLED_AT = dt.datetime(2026, 11, 27, 10, 30)
DENIED_ON = dt.date(2026, 12, 10)
NOW = dt.datetime(2026, 12, 15, 9, 0)
STATUS = {"rejected": ClaimStatus.REJECTED, "denied": ClaimStatus.DENIED,
          "line_denied": ClaimStatus.PAID, "paid": ClaimStatus.PAID, "partly_paid": ClaimStatus.PAID,
          "accepted": ClaimStatus.ACCEPTED}


@pytest.fixture(scope="module", name="billed_template")
def billed_template_fixture(practice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example practice with both example days billed, once per test module."""
    folder = tmp_path_factory.mktemp("billed") / "practice"
    shutil.copytree(practice_template, folder)
    bill_example(folder)
    return folder


@pytest.fixture(name="practice")
def practice_fixture(billed_template: Path, tmp_path: Path) -> Practice:
    """A private copy of the billed example practice."""
    return copy_practice(billed_template, tmp_path / "practice")


def bill_example(folder: Path) -> Practice:
    practice = open_practice(folder)
    result = bill_workbooks(practice, sorted((folder / "encounters").glob("*.xlsx")), now=BILLED_AT)
    assert not result.has_errors and result.billed
    return practice


def copy_practice(template: Path, target: Path) -> Practice:
    shutil.copytree(template, target)
    return open_practice(target)


def answer(practice: Practice, encounter_id: str, *events: dict[str, Any]) -> None:
    """Record what a payer or clearinghouse said, as one run: each dict is an event with
    keys event, reasons, line (line number), number (payer claim number), on (date),
    paid (Decimal paid on that line by the payer), source."""
    answer_many(practice, {encounter_id: events})


def answer_many(practice: Practice, answers: dict[str, Sequence[dict[str, Any]]]) -> None:
    """`answer` for several claims in one run (one ledger transaction)."""
    ledger = Ledger.open(practice.db_url)
    with ledger.transaction() as tx:
        run_id = tx.start_run("remit", [])
        for encounter_id, events in answers.items():
            _record(tx, run_id, encounter_id, events)
        tx.finish_run(run_id, {})
    ledger.close()


def _record(tx: Transaction, run_id: int, encounter_id: str, events: Sequence[dict[str, Any]]) -> None:
    claim = tx.find_claim(encounter_id)
    assert claim is not None
    lines = {line.line_number: line for line in tx.claim_lines(claim.id)}
    for spec in events:
        line = lines[spec["line"]] if "line" in spec else None
        if spec.get("number") or spec["event"] in STATUS:
            tx.set_claim_status(claim.id, STATUS.get(spec["event"], claim.status),
                                payer_claim_number=spec.get("number"))
        if spec.get("paid") and line is not None:
            tx.post([JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, spec["paid"],
                                  claim_line_id=line.id, payer_id=claim.payer_id,
                                  effective_date=spec.get("on", DENIED_ON))])
        tx.conn.execute(claim_events.insert().values(
            run_id=run_id, claim_id=claim.id, claim_line_id=line.id if line else None,
            source=spec.get("source", "835"), event=spec["event"], payer_id=claim.payer_id,
            payer_claim_number=spec.get("number"), reason_codes=spec.get("reasons"),
            effective_date=spec.get("on", DENIED_ON), created_at=utc_now()))


def deny(practice: Practice, encounter_id: str, reasons: str = "CO-16 N290", number: str = "ICN0001") -> None:
    answer(practice, encounter_id, {"event": "denied", "reasons": reasons, "number": number})


def reject(practice: Practice, encounter_id: str, reasons: str = "A7:562") -> None:
    answer(practice, encounter_id, {"event": "rejected", "reasons": reasons, "source": "277CA"})


def worklist_rows(path: Path) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path)
    sheet = book["Denials"]
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, values)) for values in sheet.iter_rows(min_row=2, values_only=True)]


def edit_worklist(path: Path, changes: dict[tuple[str, int], dict[str, Any]], target: Path | None = None) -> Path:
    """Set cells of the rows keyed (encounter_id, line) by column name; save to `target`."""
    book = openpyxl.load_workbook(path)
    sheet = book["Denials"]
    columns = {header_key(str(cell.value)): cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        key = (sheet.cell(row, columns["encounterid"]).value, sheet.cell(row, columns["line"]).value)
        for name, value in changes.get(key, {}).items():  # type: ignore[call-overload]
            sheet.cell(row, columns[header_key(name)]).value = value
    out = target or path
    book.save(out)
    return out


def cell_of(path: Path, key: tuple[str, int], name: str) -> str:
    """The A1 reference of a worklist cell, e.g. 'X3'."""
    book = openpyxl.load_workbook(path)
    sheet = book["Denials"]
    columns = {header_key(str(cell.value)): cell.column_letter for cell in sheet[1]}
    ids = {header_key(str(cell.value)): cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        if (sheet.cell(row, ids["encounterid"]).value, sheet.cell(row, ids["line"]).value) == key:
            return f"{columns[header_key(name)]}{row}"
    raise KeyError(key)


def count(practice: Practice, table: sa.Table) -> int:
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        total = tx.conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    ledger.close()
    return int(total)


ZERO = Decimal("0.00")
