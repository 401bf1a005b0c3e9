"""A report for a past day stays what it was, whatever is posted later with later dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
from money_support import FIRST_DAY, cell_values, example_practice, medsheets, reversal_835
from payments_support import payments_workbook

from medsheets.ledger import Ledger
from medsheets.ledger.reports.replay import replay_mismatches
from medsheets.ledger.schema import journal, runs
from medsheets.practice import open_practice

LATER = dt.date(2026, 12, 10)
CORRECTED = "E261123-14"  # the example's denied claim


def _work_later(folder: Path) -> None:
    """Later work, dated LATER: the payer reverses a claim and pays it again, a denied claim
    is corrected from the worklist, the day is run."""
    example = next((folder / "remits").glob("*.835")).read_text()
    (folder / "remits" / "reversal.835").write_text(
        reversal_835(example, "E261123-01", LATER, "MCRB1REV1"))
    worklist = folder / "out" / "reports" / f"denials-{LATER}.xlsx"
    medsheets("denials", "--practice", folder, "--as-of", LATER)
    book = openpyxl.load_workbook(worklist)
    sheet = book["Denials"]
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) + 1 for name in ("encounter_id", "line", "status",
                                                         "action", "procedure_code")}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column["status"]).value == "not denied":
            continue
        if sheet.cell(row, column["encounter_id"]).value == CORRECTED:  # 99214: a new charge
            sheet.cell(row, column["action"]).value = "correct"
            if sheet.cell(row, column["line"]).value == 1:
                sheet.cell(row, column["procedure_code"]).value = "99214"
        else:
            sheet.cell(row, column["action"]).value = "write off"
    book.save(worklist)
    print(medsheets("resubmit", "--practice", folder, "--as-of", LATER, worklist, code=None))
    medsheets("run", folder, "--as-of", LATER, code=None)


def test_a_past_days_aging_is_the_same_after_later_postings(tmp_path: Path) -> None:
    folder = example_practice(tmp_path / "practice")
    medsheets("run", folder, "--as-of", FIRST_DAY)
    first = cell_values(folder / "out" / "aging" / f"aging-{FIRST_DAY}.xlsx")
    _work_later(folder)
    with Ledger.open(open_practice(folder).db_url).reading() as tx:
        later_entries = tx.conn.execute(
            journal.select().where(journal.c.effective_date > FIRST_DAY)).all()
        reversals = [r for r in later_entries if r.reverses_id is not None]
        as_ofs = {r.as_of for r in tx.conn.execute(runs.select())}
    assert reversals and all(r.effective_date == LATER for r in reversals)
    assert {FIRST_DAY, LATER} <= as_ofs
    medsheets("aging", "--practice", folder, "--as-of", FIRST_DAY)
    again = folder / "out" / "aging" / f"aging-{FIRST_DAY}-2.xlsx"
    assert again.exists(), "the later postings changed the ledger: a second workbook is written"
    redrawn = cell_values(again)
    assert list(redrawn) == list(first)
    for name in first:
        assert redrawn[name] == first[name], f"sheet {name} changed"
    later = cell_values(folder / "out" / "aging" / f"aging-{LATER}.xlsx")
    assert later["Summary"] != first["Summary"]
    with Ledger.open(open_practice(folder).db_url).reading() as tx:
        assert replay_mismatches(tx) == []  # every day reported replays to the cent


def test_the_replay_check_names_a_day_an_entry_was_dated_into_afterwards(tmp_path: Path) -> None:
    folder = example_practice(tmp_path / "practice")
    medsheets("run", folder, "--as-of", FIRST_DAY)
    row = {"date": FIRST_DAY, "patient_id": "000412", "amount": Decimal("10.00"),
           "method": "check", "reference": "LATE-1", "encounter_id": None}
    medsheets("payments", "--practice", folder, "--as-of", LATER,
              payments_workbook(tmp_path / "late.xlsx", patient=[row]))
    with Ledger.open(open_practice(folder).db_url).reading() as tx:
        (mismatch,) = replay_mismatches(tx)
    assert mismatch.as_of == FIRST_DAY
    assert mismatch.reported.total - mismatch.replayed.total == 1000
