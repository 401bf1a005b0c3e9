"""`medsheets payments WB…`: the report lines and exit codes 0, 1 and 2; the example workbook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from acks_support import billed_once, copy_practice, query
from clock import TODAY
from payments_support import claims, invariant, payments_workbook

from medsheets.example.payments import payment_rows
from medsheets.example.rows import encounter_id
from medsheets.workbook.payments import read_payments_workbook


@pytest.fixture(scope="module")
def billed_template(practice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return billed_once(practice_template, tmp_path_factory.mktemp("paycli"))


@pytest.fixture
def billed(billed_template: Path, tmp_path: Path) -> Path:
    return copy_practice(billed_template, tmp_path / "practice")


def example_workbook(root: Path) -> Path:
    [path] = sorted((root / "payments").glob("*.xlsx"))
    return path


def test_the_example_payments_post_cleanly_then_are_recognised(billed: Path, invoke) -> None:
    book = example_workbook(billed)
    total = sum((Decimal(str(r["amount"])) for r in read_rows(book)), Decimal(0))
    result = invoke("payments", "--practice", billed, book)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.output == f"posted: 3 patient payments, {total:,.2f}\n"
    again = invoke("payments", "--practice", billed, book)
    assert again.exit_code == 0
    assert again.output == "already posted: 3 references (nothing posted twice)\n"
    charges, accounted = invariant(billed)
    assert charges == accounted


def read_rows(book: Path) -> list[dict[str, object]]:
    found = read_payments_workbook(book)
    assert found.problems == [] and found.eob_rows == []
    return [{"amount": r.amount} for r in found.patient_rows]


def test_the_example_references_example_visits_of_self_pay_patients(billed: Path) -> None:
    days = tuple(dt.date.fromisoformat(p.stem) for p in sorted((billed / "encounters").glob("*.xlsx")))
    rows = payment_rows(days)  # type: ignore[arg-type]
    billed_claims = claims(billed)
    for row in rows:
        if row["encounter_id"]:
            claim = billed_claims[str(row["encounter_id"])]
            assert claim.payer_id is None and claim.patient_id == row["patient_id"]
    assert rows[0]["encounter_id"] == encounter_id(days[0], 12)
    assert read_payments_workbook(example_workbook(billed)).patient_rows[0].reference == "R-1001"


def test_errors_are_reported_at_their_cells_and_exit_one(billed: Path, tmp_path: Path, invoke) -> None:
    self_pay = next(c for c in claims(billed).values() if c.payer_id is None)
    rows = [{"date": TODAY, "patient_id": "999999", "amount": Decimal("5.00"), "method": "cash",
             "reference": "R-77"},
            {"date": TODAY, "patient_id": self_pay.patient_id, "amount": Decimal("1000.00"),
             "method": "card", "reference": "R-78"}]
    book = payments_workbook(tmp_path / "day.xlsx", rows)
    result = invoke("payments", "--practice", billed, book)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "day.xlsx:Patient Payments!B2: MS-PAY-PATIENT patient 999999 is not in the ledger; check "
        "the account number (patients are added when their visits are billed)")
    assert "posted: 1 patient payments, 1,000.00" in result.output
    assert any(line.startswith(f"credit balance: account {self_pay.patient_id} ")
               and line.endswith("(paid more than owed; refund it or apply it to the next visit)")
               for line in result.output.splitlines())
    assert result.output.splitlines()[-1] == (
        "held: 1 payments with errors (R-77); fix the cells above and run again")


def test_a_workbook_without_payment_sheets_cannot_run(billed: Path, invoke) -> None:
    encounters = min((billed / "encounters").glob("*.xlsx"))
    result = invoke("payments", "--practice", billed, encounters)
    assert result.exit_code == 2
    assert result.stderr == (f"medsheets: error: {encounters.name}: has no 'Patient Payments', "
                             "'EOB' or 'Refunds' sheet; is it a payments workbook? (see "
                             "docs/payments.md)\n")
    assert query(billed, "SELECT COUNT(*) FROM payment_imports") == [(0,)]


def test_a_missing_or_damaged_file_cannot_run(billed: Path, tmp_path: Path, invoke) -> None:
    missing = invoke("payments", "--practice", billed, tmp_path / "nope.xlsx")
    assert (missing.exit_code, missing.stderr) == (2, "medsheets: error: nope.xlsx: no such file\n")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("date,amount\n")
    damaged = invoke("payments", "--practice", billed, fake)
    assert damaged.exit_code == 2 and damaged.stderr.startswith("medsheets: error: fake.xlsx: ")


def test_a_sheet_missing_a_required_column_holds_everything(billed: Path, tmp_path: Path, invoke) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Patient Payments"
    sheet.append(["date", "patient_id", "amount", "method"])
    sheet.append([TODAY, "007402", 10, "cash"])
    book.save(tmp_path / "short.xlsx")
    result = invoke("payments", "--practice", billed, tmp_path / "short.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "short.xlsx:Patient Payments: MS-COL-MISSING no header row names the required columns; "
        "missing: reference")
    assert query(billed, "SELECT COUNT(*) FROM payment_imports") == [(0,)]
