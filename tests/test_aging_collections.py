"""The collections rule, `medsheets collections [--export]`, and placed accounts in the aging."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from aging_support import (
    calamine_rows,
    followed_up_example,
    openpyxl_rows,
    statement,
    table_after,
)
from clock import TODAY

from medsheets.aging import AgeBasis, run_aging
from medsheets.config import Statements
from medsheets.ledger import JournalEntry, Kind, Ledger, Party
from medsheets.ledger.reports.collections import ready_ids
from medsheets.ledger.schema import collection_placements, patients
from medsheets.practice import open_practice

LATER = TODAY + dt.timedelta(days=150)
CHASED = "007310"  # the example's first self-pay visit: three statements, never paid


@pytest.fixture
def practice(practice_template: Path, tmp_path_factory: pytest.TempPathFactory,
             tmp_path: Path) -> Path:
    """A copy of the example practice, billed and followed up (aging_support)."""
    shared = followed_up_example(practice_template, tmp_path_factory.getbasetemp())
    shutil.copytree(shared, tmp_path / "practice")
    return tmp_path / "practice"


def _ready(folder: Path, as_of: dt.date = LATER, **rules: object) -> list[str]:
    with Ledger.open(open_practice(folder).db_url) as ledger, ledger.reading() as tx:
        return ready_ids(tx, as_of, Statements(**rules))  # type: ignore[arg-type]


def test_the_rule_needs_age_statements_and_no_payment_since(practice: Path) -> None:
    assert _ready(practice) == [CHASED]
    assert _ready(practice, TODAY + dt.timedelta(days=100)) == [], "visits not yet 120 days old"
    assert _ready(practice, collections_after_statements=4) == [], "only three statements"
    assert _ready(practice, minimum_balance=Decimal("100000.00")) == [], "below the minimum"
    with Ledger.open(open_practice(practice).db_url) as ledger, ledger.transaction() as tx:
        run_id = tx.start_run("payments", [])
        tx.post([JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, Decimal("1.00"),
                              patient_id=CHASED, effective_date=TODAY + dt.timedelta(days=100))])
    assert _ready(practice) == [], "a payment on the day of the last statement stops it"


def test_listing_shows_accounts_and_amounts_but_no_names(practice: Path, invoke) -> None:
    result = invoke("collections", "--practice", practice, "--as-of", LATER.isoformat())
    assert result.exit_code == 0
    assert f"account {CHASED}:" in result.output and "3 statements" in result.output
    assert "1 accounts meet the rule; run with --export to place them" in result.output
    with Ledger.open(open_practice(practice).db_url) as ledger, ledger.reading() as tx:
        name = tx.conn.execute(sa.select(patients.c.last_name).where(
            patients.c.patient_id == CHASED)).scalar_one()
    assert name not in result.output
    assert not (practice / "out" / "aging").exists() or not list((practice / "out" / "aging").iterdir())


def test_export_places_once_and_the_aging_shows_them_apart(practice: Path, invoke) -> None:
    result = invoke("collections", "--practice", practice, "--as-of", LATER.isoformat(), "--export")
    agency = practice / "out" / "aging" / f"collections-{LATER.isoformat()}.xlsx"
    assert result.exit_code == 0 and f"placed: 1 accounts -> {agency}" in result.output
    assert agency.stat().st_mode & 0o777 == 0o600
    header, rows = table_after(calamine_rows(agency, "Placements"), "Account")
    assert [r[0] for r in rows] == [CHASED] and isinstance(rows[0][header.index("ZIP")], str)
    balance = Decimal(str(rows[0][header.index("Balance")]))
    assert balance > 0 and rows[0][header.index("Statements sent")] == 3
    with Ledger.open(open_practice(practice).db_url) as ledger, ledger.reading() as tx:
        placed = tx.conn.execute(sa.select(collection_placements)).one()
    assert (placed.patient_id, placed.placed_on, placed.file_name) == (CHASED, LATER, agency.name)
    assert placed.balance_cents == int(balance * 100)

    again = invoke("collections", "--practice", practice, "--as-of", LATER.isoformat(), "--export")
    assert "no account meets the collections rule" in again.output
    assert sorted(p.name for p in agency.parent.iterdir()) == [agency.name]

    aging = run_aging(open_practice(practice), as_of=LATER, basis=AgeBasis.SERVICE,
                      now=dt.datetime.combine(TODAY, dt.time(9)))
    summary = {r[0]: r for r in table_after(openpyxl_rows(aging.file, "Summary"), "Responsible party")[1]}
    assert Decimal(str(summary["Patients placed with collections"][7])) == balance
    header, accounts = table_after(openpyxl_rows(aging.file, "By Patient"), "Account")
    status = {r[0]: r[header.index("Status")] for r in accounts[:-1]}
    assert status[CHASED] == f"placed with collections {LATER:%m/%d/%Y}"
    sheet = openpyxl_rows(aging.file, "Collections")
    header, ready = table_after(sheet, "Account")
    assert ready == [["Total", "0 accounts", *[None] * 8, 0]]
    placed_header = next(i for i, r in enumerate(sheet) if r and r[0] == "Account" and "Placed on" in r)
    assert sheet[placed_header + 1][0] == CHASED


def test_a_lost_agency_file_is_written_again(practice: Path, invoke) -> None:
    invoke("collections", "--practice", practice, "--as-of", LATER.isoformat(), "--export")
    agency = practice / "out" / "aging" / f"collections-{LATER.isoformat()}.xlsx"
    first = calamine_rows(agency, "Placements")
    agency.unlink()  # as if the run had died between its commit and its file
    result = invoke("collections", "--practice", practice, "--as-of", LATER.isoformat(), "--export")
    assert f"restored {agency.name} from the ledger" in result.output
    assert calamine_rows(agency, "Placements") == first


def test_a_file_half_written_by_a_killed_export_is_cleared_when_run_again(
    practice: Path, invoke
) -> None:
    """A run killed inside its write leaves `.collections-....part` (files.atomic_path); the
    next run restores the file and clears that, but not another command's temporaries."""
    invoke("collections", "--practice", practice, "--as-of", LATER.isoformat(), "--export")
    folder = practice / "out" / "aging"
    agency = folder / f"collections-{LATER.isoformat()}.xlsx"
    agency.unlink()
    half = folder / f".{agency.name}.x1y2z3.part"
    half.write_bytes(b"PK half a workbook")
    others = folder / ".aging-2026-01-01.xlsx.a1b2c3.part"  # the aging's own: not collections'
    others.write_bytes(b"PK")
    result = invoke("collections", "--practice", practice, "--as-of", LATER.isoformat(), "--export")
    assert f"restored {agency.name} from the ledger" in result.output
    assert agency.exists() and not half.exists() and others.exists()


def test_statements_stop_counting_after_a_new_cycle(practice: Path) -> None:
    with Ledger.open(open_practice(practice).db_url) as ledger, ledger.transaction() as tx:
        run_id = tx.start_run("invoices", [])
        statement(tx, run_id, CHASED, TODAY + dt.timedelta(days=130), 1, 5000)
    assert _ready(practice) == [], "the last statement starts a new cycle"
