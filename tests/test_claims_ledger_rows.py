"""`claims` writes the same ledger rows, summary and terminal report while its ledger writes,
fingerprints and kept summary are made cheaper (issue 16).

A generated day (benchmarks/bench_check.py's generator: one line in 97 carries a known mistake,
so some encounters are held) is billed into a fresh ledger, on SQLite and on PostgreSQL. The
whole ledger is read table by table from the schema's metadata (as tests/kill_support.py does,
but keeping the ids: on a fresh ledger they are the same every run, and the journal's claim and
line ids must point where they did), wall-clock instants and the folder's id left out; the
summary workbook's cells and the terminal report are taken too. Each is fingerprinted and
compared with what the code gave before the speed work. A change that alters the rows on
purpose updates EXPECTED (the failure shows the new digests).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from clock import EXAMPLE_AS_OF, NOW

from medsheets.cli import cli
from medsheets.ledger import Ledger
from medsheets.ledger.schema import metadata
from medsheets.practice import open_practice

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

GENERATED_LINES = 300
EMPTY = hashlib.sha256(b"").hexdigest()
# Taken with main at ff876e5 (before this work), the same on SQLite and PostgreSQL; a table
# not listed is empty.
EXPECTED: dict[str, str] = {
    "control_numbers": "8a57c5f23bd7fce2c459d9da3e56ca6b095b3214cfecbe7dc1e9365a85ed84c2",
    "ledger_practice": "17cd100e8047fe6bf0e3fa9ae4c969456b6eecc1abc47ec7b387cdf92b1a7893",
    "patients": "f5106c4c054b968b5f1e7fb0f61929e46b5e91f36d898a98a89ca885f4960be7",
    "runs": "f85897818ac0ab5394957b7360db244956aadfbe7b377ae00d011af1aaa18156",
    "batches": "6a3c33f07161e8389871cb19512a6fbcfeb6967444319213d57d02fe2ca5cab4",
    "coverages": "3a2ce0c6d48258f4ab622e7c28ba76c53ccb948bc6cd8908024d4ed9b054e6d6",
    "output_files": "47840af1f090f27b6b251ca4defe483842d653e81fce8688a69dad51cfb22ed9",
    "claims": "a6307c37fae087fc34e280fcef7376199aa4ed8125e2a6243f08bffe5f6d6b61",
    "claim_lines": "3892c090f3cfdf98d5ddc7ae8e01efac993983069265c0e3e9c6ab52c694fc7c",
    "journal": "dcd72bc7ff3092190a14a723b15ef7992a996bd84d9fc9456d8dcca760e8750b",
    "summary workbook": "774399bd63a3ae1e8391b5f76b67e7660d2f093570660ddacaa1c3ca32b7ed00",
    "terminal": "8252f47bde56c7c92e5a7d92b205bc8c7a8dc5aaf6338ffec04a3285ca55f57a",
}


def ledger_digests(url: str) -> dict[str, str]:
    """sha256 per table of its rows (sorted, as text), without instants and the folder's id."""
    ledger = Ledger.open(url)
    try:
        with ledger.reading() as tx:
            digests = {}
            for table in metadata.sorted_tables:
                if table.name == "run_inputs":  # the generated workbook's sha256 (a zip's save time)
                    continue
                columns = [c for c in table.columns
                           if not isinstance(c.type, sa.DateTime) and c.name != "folder_id"]
                rows = sorted(repr(tuple(row)) for row in tx.conn.execute(sa.select(*columns)))
                digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            return digests
    finally:
        ledger.close()


def cells(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return repr([[sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)]]
                 for sheet in book.worksheets])


def all_electronic(practice_dir: Path) -> None:
    """Every payer billed by 837: printing CMS-1500 forms (WeasyPrint) would be most of the
    test's time, and the forms are not what is compared here."""
    path = practice_dir / "codesets.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Payers"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("submission") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column).value == "paper":
            sheet.cell(row, column).value = "electronic"
    book.save(path)


def billed_day(practice_dir: Path, url: str | None) -> dict[str, str]:
    from bench_check import write_workbook

    for day in (practice_dir / "encounters").glob("*.xlsx"):
        day.unlink()
    all_electronic(practice_dir)
    workbook = practice_dir / "encounters" / "generated.xlsx"
    write_workbook(workbook, GENERATED_LINES, practice_dir, EXAMPLE_AS_OF)
    words = ["claims", "--practice", str(practice_dir), "--as-of", NOW.date().isoformat(),
             str(workbook)] + (["--db", url] if url else [])
    done = CliRunner().invoke(cli, words, catch_exceptions=False)
    assert done.exit_code == 1, done.output  # the held encounters
    [summary] = (practice_dir / "out" / "claims").glob("*.xlsx")
    practice = open_practice(practice_dir, url)
    digests = ledger_digests(practice.db_url)
    digests["summary workbook"] = hashlib.sha256(cells(summary).encode()).hexdigest()
    report = done.output.replace(str(practice_dir), "PRACTICE")
    digests["terminal"] = hashlib.sha256(report.encode()).hexdigest()
    return digests


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_billed_day_writes_the_rows_it_wrote_before(database: str, practice_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      request: pytest.FixtureRequest) -> None:
    url = None if database == "sqlite" else str(request.getfixturevalue("pg_url"))
    monkeypatch.setattr("medsheets.ledger.claims.CLAIMS_AT_ONCE", 7)  # ~100 claims in slices
    digests = billed_day(practice_dir, url)
    assert len(digests) > 20 and digests["journal"] != EMPTY
    changed = {name: digest for name, digest in digests.items() if EXPECTED.get(name, EMPTY) != digest}
    assert not changed, changed
