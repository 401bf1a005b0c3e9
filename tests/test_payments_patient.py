"""Patient payments from the payments workbook: posted once per reference, errors at their
cells, credit balances reported, the journal still adding up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from acks_support import billed_once, copy_practice, query
from clock import TODAY
from payments_support import Claim, claims, entries, invariant, payments_workbook

from medsheets.payments import post_payment_workbooks
from medsheets.practice import open_practice


@pytest.fixture(scope="module")
def billed_template(practice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return billed_once(practice_template, tmp_path_factory.mktemp("payments"))


@pytest.fixture
def billed(billed_template: Path, tmp_path: Path) -> Path:
    return copy_practice(billed_template, tmp_path / "practice")


@pytest.fixture(scope="module")
def self_pay(billed_template: Path) -> Claim:
    return next(c for c in claims(billed_template).values() if c.payer_id is None)


def pay(root: Path, *paths: Path):  # type: ignore[no-untyped-def]
    return post_payment_workbooks(open_practice(root), list(paths), as_of=TODAY)


def row(patient_id: str, amount: str, reference: str, encounter_id: str | None = None,
        method: str = "check", day: dt.date = TODAY) -> dict[str, object]:
    return {"date": day, "patient_id": patient_id, "amount": Decimal(amount), "method": method,
            "reference": reference, "encounter_id": encounter_id}


def patient_balance(root: Path, patient_id: str) -> Decimal:
    [(cents,)] = query(root, "SELECT COALESCE(SUM(CASE WHEN kind IN ('charge', 'transfer') THEN "
                             "amount_cents ELSE -amount_cents END), 0) FROM journal WHERE party = "
                             f"'patient' AND patient_id = '{patient_id}'")
    return Decimal(cents) / 100


def test_a_payment_for_a_visit_is_posted_on_its_claim_and_linked_to_its_import(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    before = patient_balance(billed, self_pay.patient_id)
    book = payments_workbook(tmp_path / "pay.xlsx",
                             [row(self_pay.patient_id, "50.00", "R-1", self_pay.encounter_id)])
    result = pay(billed, book)
    assert result.problems == [] and [p.reference for p in result.posted] == ["R-1"]
    assert entries(billed) == [("payment", "patient", Decimal("50.00"), None, None, None, "R-1")]
    assert patient_balance(billed, self_pay.patient_id) == before - Decimal("50.00")
    [(claim_id, effective)] = query(billed, "SELECT claim_id, effective_date FROM journal "
                                            "WHERE reference = 'R-1'")
    assert claim_id is not None and effective == TODAY.isoformat()
    assert query(billed, "SELECT i.kind, i.reference, i.file_name FROM journal_sources s JOIN "
                         "payment_imports i ON i.id = s.payment_import_id") == [("patient", "R-1", "pay.xlsx")]
    charges, accounted = invariant(billed)
    assert charges == accounted


def test_a_payment_without_a_visit_settles_the_visit_and_the_rest_is_a_credit(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    owed = patient_balance(billed, self_pay.patient_id)
    assert owed > 0
    book = payments_workbook(tmp_path / "pay.xlsx", [row(self_pay.patient_id, str(owed + 20), "R-2")])
    result = pay(billed, book)
    parts = query(billed, "SELECT claim_line_id, amount_cents FROM journal WHERE reference = 'R-2' "
                          "ORDER BY id")
    assert [line is not None for line, _ in parts] == [True] * (len(parts) - 1) + [False]
    assert sum(cents for _, cents in parts) == (owed + 20) * 100 and parts[-1][1] == 2000
    assert result.credits == {self_pay.patient_id: Decimal("20.00")}
    assert patient_balance(billed, self_pay.patient_id) == Decimal("-20.00")


def test_the_same_reference_again_is_already_posted_even_resorted(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    rows = [row(self_pay.patient_id, "10.00", "R-3", self_pay.encounter_id),
            row(self_pay.patient_id, "5.00", "R-3")]
    pay(billed, payments_workbook(tmp_path / "first.xlsx", rows))
    journal = query(billed, "SELECT * FROM journal")
    again = pay(billed, payments_workbook(tmp_path / "again.xlsx", list(reversed(rows))))
    assert again.posted == [] and again.problems == []
    assert again.already_posted == [("patient", "R-3", "again.xlsx")]
    assert query(billed, "SELECT * FROM journal") == journal


def test_the_same_reference_with_other_content_is_an_error_on_its_cell(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    pay(billed, payments_workbook(tmp_path / "first.xlsx", [row(self_pay.patient_id, "10.00", "R-4")]))
    changed = pay(billed, payments_workbook(tmp_path / "second.xlsx",
                                            [row(self_pay.patient_id, "12.00", "R-4")]))
    assert [str(p) for p in changed.problems] == [
        (f"second.xlsx:Patient Payments!E2: MS-PAY-REF-USED reference R-4 was posted on "
        f"{TODAY.isoformat()} from first.xlsx with other amounts; nothing was posted "
        "again. If this is a new payment, give it its own reference")]
    assert changed.posted == [] and changed.has_errors
    assert query(billed, "SELECT SUM(amount_cents) FROM journal WHERE reference = 'R-4'") == [(1000,)]


def test_unknown_patients_and_claims_are_errors_at_their_cells_and_good_rows_still_post(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    other = next(c for c in claims(billed).values() if c.patient_id != self_pay.patient_id)
    book = payments_workbook(tmp_path / "pay.xlsx", [
        row("999999", "10.00", "R-5"),
        row(self_pay.patient_id, "10.00", "R-6", "E000000-99"),
        row(self_pay.patient_id, "10.00", "R-7", other.encounter_id),
        row(self_pay.patient_id, "10.00", "R-8"),
    ])
    result = pay(billed, book)
    assert [str(p) for p in result.problems] == [
        ("pay.xlsx:Patient Payments!B2: MS-PAY-PATIENT patient 999999 is not in the ledger; check "
        "the account number (patients are added when their visits are billed)"),
        ("pay.xlsx:Patient Payments!F3: MS-PAY-CLAIM encounter E000000-99 is not in the ledger; "
        "check it, or leave it blank to post the payment to the patient's account"),
        (f"pay.xlsx:Patient Payments!F4: MS-PAY-CLAIM-PATIENT encounter {other.encounter_id} is "
        f"account {other.patient_id}'s visit, not {self_pay.patient_id}'s; check both cells"),
    ]
    assert [p.reference for p in result.posted] == ["R-8"]
    assert [h[1] for h in result.held] == ["R-5", "R-6", "R-7"]


def test_rows_that_cannot_be_payments_are_held_with_the_cell_to_fix(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    pid = self_pay.patient_id
    book = payments_workbook(tmp_path / "pay.xlsx", [
        row(pid, "10.00", "R-9", method="barter"),
        row(pid, "-5.00", "R-10"),
        row(pid, "10.00", "R-11", day=TODAY + dt.timedelta(days=3)),
        {**row(pid, "10.00", "R-12"), "reference": None},
        {**row(pid, "10.00", "R-13"), "amount": "ten dollars"},
        row(pid, "10.00", "R-14", method="Credit Card"),
    ])
    result = pay(billed, book)
    codes = [(p.source.cell, p.code) for p in result.problems]
    assert codes == [("C6", "MS-CELL-MONEY"), ("D2", "MS-PAY-METHOD"), ("C3", "MS-PAY-AMOUNT"),
                     ("A4", "MS-PAY-DATE-FUTURE"), ("E5", "MS-PAY-BLANK"), ("C6", "MS-PAY-BLANK")]
    assert [p.reference for p in result.posted] == ["R-14"]
    assert len(result.held) + result.held_rows == 5


def test_an_overpayment_leaves_a_credit_balance_shown_in_the_report(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    owed = patient_balance(billed, self_pay.patient_id)
    book = payments_workbook(tmp_path / "pay.xlsx",
                             [row(self_pay.patient_id, str(owed + Decimal("25.00")), "R-15",
                                  self_pay.encounter_id)])
    result = pay(billed, book)
    assert result.credits == {self_pay.patient_id: Decimal("25.00")}
    assert patient_balance(billed, self_pay.patient_id) == Decimal("-25.00")
    charges, accounted = invariant(billed)
    assert charges == accounted


def test_one_receipt_over_two_visits_posts_together_or_not_at_all(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    pid = self_pay.patient_id
    bad = payments_workbook(tmp_path / "bad.xlsx", [row(pid, "10.00", "R-16", self_pay.encounter_id),
                                                    row(pid, "10.00", "R-16", "E000000-99")])
    result = pay(billed, bad)
    assert result.posted == [] and result.held == [("patient", "R-16", "bad.xlsx")]
    assert entries(billed) == []
    good = payments_workbook(tmp_path / "good.xlsx", [row(pid, "10.00", "R-16", self_pay.encounter_id),
                                                      row(pid, "7.50", "R-16")])
    result = pay(billed, good)
    assert [(p.reference, p.rows, p.amount) for p in result.posted] == [("R-16", 2, Decimal("17.50"))]
    assert query(billed, "SELECT COUNT(*) FROM payment_imports") == [(1,)]
    assert query(billed, "SELECT COUNT(*) FROM journal_sources") == [(2,)]


def test_a_problem_names_the_column_as_its_header_was_typed(
    billed: Path, self_pay: Claim, tmp_path: Path
) -> None:
    """The Patient Payments sheet's reference column headed "Check" (a known spelling): the
    blank cell's message says "Check (reference)", the sheet's own word first."""
    import openpyxl

    pid = self_pay.patient_id
    path = payments_workbook(tmp_path / "pay.xlsx", [{**row(pid, "10.00", "R-1"), "reference": None},
                                                     {**row(pid, "10.00", "R-2"), "amount": None}])
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet["E1"].value == "reference"
    sheet["E1"] = "Check"
    book.save(path)
    result = pay(billed, path)
    messages = {p.source.cell: p.message for p in result.problems if p.code == "MS-PAY-BLANK"}
    assert messages["E2"].startswith("Check (reference) is empty")
    assert messages["C3"].startswith("amount is empty")  # a header spelled as medsheets names it
