"""`claims` with the ledger on PostgreSQL (--db postgresql://...): bills once, then nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import needs_postgres

from medsheets.claims import bill_workbooks
from medsheets.practice import open_practice

pytestmark = needs_postgres


def test_example_day_bills_once_on_postgres(practice_dir: Path, pg_url: str) -> None:
    practice = open_practice(practice_dir, pg_url)
    books = sorted((practice_dir / "encounters").glob("*.xlsx"))
    first = bill_workbooks(practice, books, now=dt.datetime(2026, 11, 27, 10, 0))
    assert first.billed and first.batch_file is not None and not first.has_errors
    again = bill_workbooks(practice, books, now=dt.datetime(2026, 11, 27, 11, 0))
    assert again.billed == [] and len(again.already_billed) == len(first.billed) + len(first.self_pay)
    assert not (practice_dir / "medsheets.db").exists()
