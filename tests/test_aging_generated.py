"""The aging workbook over a generated ledger (bulk-inserted: thousands of lines, every kind of
entry), read back with openpyxl and with python-calamine."""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from aging_support import LAST, calamine_rows, generate_ledger, openpyxl_rows, table_after

from medsheets.aging import AgeBasis, run_aging
from medsheets.aging.report import AgingResult
from medsheets.ledger import Ledger
from medsheets.practice import open_practice
from medsheets.workbook import report_book

AS_OF = dt.date(2026, 11, 27)
PEOPLE_TEXT = {"Detail": ("Account", ["Account", "Patient", "Encounter"]),
               "By Patient": ("Account", ["Account", "Patient", "Phone"]),
               "Collections": ("Account", ["Account", "Debtor last name", "Debtor first name", "Patient",
                                           "Address", "ZIP"])}


@pytest.fixture(scope="module")
def generated(practice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "practice"
    shutil.copytree(practice_template, folder)
    with Ledger.open(open_practice(folder).db_url) as ledger:
        made = generate_ledger(ledger, lines=1500, as_of=AS_OF, seed=5)
    assert made.lines == 1500 and made.journal > 3000
    return folder


@pytest.fixture(scope="module")
def report(generated: Path) -> AgingResult:
    return run_aging(open_practice(generated), as_of=AS_OF, basis=AgeBasis.SERVICE,
                     now=dt.datetime(2026, 11, 27, 8))


def _cents(value: object) -> int:
    return int(Decimal(str(value)) * 100)


def test_buckets_add_up_to_the_ledger_per_payer_and_per_patient(generated: Path,
                                                                  report: AgingResult) -> None:
    with Ledger.open(open_practice(generated).db_url) as ledger, ledger.reading() as tx:
        payers, patients, total = tx.payer_balances(), tx.patient_balances(), tx.total_balance()
    header, rows = table_after(openpyxl_rows(report.file, "By Payer"), "Payer ID")
    sheet = {r[0]: r for r in rows}
    assert {p: Decimal(str(sheet[p][8])) for p in payers} == payers
    assert sum(_cents(v) for v in sheet["Total"][2:8]) == _cents(sheet["Total"][8])
    header, rows = table_after(openpyxl_rows(report.file, "By Patient"), "Account")
    listed = {r[0]: Decimal(str(r[9])) for r in rows[:-1]}
    # Every account the patient owes on is listed with the ledger's balance; an account whose
    # buckets cancel out (a credit against an old visit) is listed too, with a total of 0.
    assert {p: listed.get(p) for p in patients} == patients
    assert all(v == 0 for p, v in listed.items() if p not in patients)
    for row in rows[:-1]:
        assert sum(_cents(v) for v in row[3:9]) == _cents(row[9]), row[0]
    header, rows = table_after(openpyxl_rows(report.file, "Detail"), "Account")
    balance, payer_owes, patient_owes = (header.index(h) for h in ("Balance", "Payer owes", "Patient owes"))
    assert sum(_cents(r[balance]) for r in rows[:-1]) == _cents(total)
    assert sum(_cents(r[payer_owes]) for r in rows[:-1]) == _cents(sum(payers.values()))
    assert sum(_cents(r[patient_owes]) for r in rows[:-1]) == _cents(sum(patients.values()))
    assert report.totals.grand.total == _cents(total)


@pytest.mark.parametrize("reader", [openpyxl_rows, calamine_rows], ids=["openpyxl", "calamine"])
def test_text_from_people_stays_text(report: AgingResult, reader) -> None:
    tricky = {name for name in LAST if name[0] in "=+-@"}
    seen: set[str] = set()
    for sheet, (first, columns) in PEOPLE_TEXT.items():
        header, rows = table_after(reader(report.file, sheet), first)
        for column in columns:
            index = header.index(column)
            values = [r[index] for r in rows if r[0] != "Total" and r[index] not in (None, "")]
            assert values, f"{sheet} {column} is empty"
            assert all(isinstance(v, str) for v in values), f"{sheet} {column}: {values[:3]}"
            seen |= {v for v in values for name in tricky if v.startswith(name)}
    assert any(v.startswith('=HYPERLINK("http://x.example","click")') for v in seen)
    assert any(v.startswith("+1") for v in seen) and any(v.startswith("-Lee") for v in seen)


def test_no_cell_written_from_data_is_a_formula(report: AgingResult) -> None:
    book = openpyxl.load_workbook(report.file)  # full mode: cell data types are kept
    formulas = [(ws.title, c.coordinate, c.value) for ws in book.worksheets
                for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas, "the check rows hold live formulas"
    others = [(s, c, v) for s, c, v in formulas if s != "KPIs"]
    assert all(str(v).startswith(("=SUM(", "=SUBTOTAL(109,")) for _, _, v in others), others[:5]
    kpis = [(c, str(v)) for s, c, v in formulas if s == "KPIs"]  # medsheets' own, on its figures
    assert len(kpis) == 12 and all(c[0] in "BF" and v.startswith("=IF(") for c, v in kpis), kpis


def test_a_long_detail_continues_on_more_sheets(practice_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger:
        generate_ledger(ledger, lines=300, as_of=AS_OF, seed=6)
    monkeypatch.setattr(report_book, "MAX_ROWS", 60)
    result = run_aging(open_practice(practice_dir), as_of=AS_OF, basis=AgeBasis.SERVICE,
                       now=dt.datetime(2026, 11, 27, 8))
    names = openpyxl.load_workbook(result.file, read_only=True).sheetnames
    parts = [n for n in names if n.startswith("Detail")]
    assert len(parts) > 2 and names.index("Detail (2)") == names.index("Detail") + 1
    cents = 0
    for part in parts:
        header, rows = table_after(openpyxl_rows(result.file, part), "Account")
        assert len(rows) <= 60 - 4
        cents += sum(_cents(r[header.index("Balance")]) for r in rows if r[0] != "Total")
    assert cents == result.totals.grand.total


def test_killed_while_writing_leaves_no_workbook_and_the_next_run_finishes(practice_dir: Path) -> None:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger:
        generate_ledger(ledger, lines=1500, as_of=AS_OF, seed=8)
    child = subprocess.Popen([sys.executable, "-m", "medsheets", "aging", "--practice",
                              str(practice_dir), "--as-of", AS_OF.isoformat()],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = sqlite3.connect(f"file:{practice_dir / 'medsheets.db'}?mode=ro", uri=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if database.execute("SELECT count(*) FROM runs WHERE command = 'aging'").fetchone()[0]:
            break  # the run is committed: the workbook is being written now
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL, "killed before it finished"
    folder = practice_dir / "out" / "aging"
    assert not list(folder.glob("aging-*.xlsx"))
    result = run_aging(open_practice(practice_dir), as_of=AS_OF, basis=AgeBasis.SERVICE,
                       now=dt.datetime(2026, 11, 27, 8))
    assert result.written and not result.recorded_run
    assert [p.name for p in folder.iterdir()] == [result.file.name], "stale temporary files removed"
    database.close()
