"""Payments applied to visits oldest first, prepayments that are not credits, refunds."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from money_support import FIRST_DAY, cell_values, example_practice, medsheets
from payments_support import payments_workbook

from medsheets.invoices.plan import Names, accounts
from medsheets.ledger import Ledger
from medsheets.ledger.schema import claim_lines, claims, journal
from medsheets.practice import open_practice

PAID_ON = dt.date(2026, 11, 30)
LATER = dt.date(2026, 12, 1)
TWO_VISITS = "000412"  # owes 42.25 on 11-23 (E261123-06) and 3.90 on 11-24 (E261124-07)
DENIED = ("004777", "E261123-14")  # the example's denied claim: still with insurance
PAID_UP = "007402"  # self-pay, paid in full at the desk


@pytest.fixture(scope="module")
def day_done(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = example_practice(tmp_path_factory.mktemp("money") / "practice")
    medsheets("run", folder, "--as-of", FIRST_DAY)
    return folder


@pytest.fixture
def practice(day_done: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(day_done, tmp_path / "practice"))


def payment(patient_id: str, amount: str, reference: str, encounter_id: str | None = None,
            day: dt.date = PAID_ON) -> dict[str, Any]:
    return {"date": day, "patient_id": patient_id, "amount": Decimal(amount), "method": "check",
            "reference": reference, "encounter_id": encounter_id}


def refund(patient_id: str, amount: str, reference: str, day: dt.date = LATER) -> dict[str, Any]:
    return {"date": day, "patient_id": patient_id, "amount": Decimal(amount), "method": "check",
            "reference": reference}


def post(folder: Path, name: str, code: int = 0, **sheets: Any) -> str:
    book = payments_workbook(folder.parent / name, **sheets)
    return medsheets("payments", "--practice", folder, "--as-of", LATER, book, code=code)


def money(value: Any) -> Decimal:
    """A money cell as openpyxl reads it back (a number), as exact cents."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def by_patient(book: dict[str, list[tuple[Any, ...]]], account: str) -> tuple[Any, ...] | None:
    return next((row for row in book["By Patient"] if row and row[0] == account), None)


def detail_patient_total(book: dict[str, list[tuple[Any, ...]]], account: str) -> Decimal:
    header = next(row for row in book["Detail"] if row and row[0] == "Account")
    column = header.index("Patient owes")
    return sum((money(row[column]) for row in book["Detail"]
                if row and row[0] == account and row[column] is not None), Decimal(0))


def test_a_payment_without_a_visit_settles_the_oldest_visit_first(practice: Path) -> None:
    out = post(practice, "pay.xlsx", patient=[payment(TWO_VISITS, "44.00", "CK-1"),
                                              payment(TWO_VISITS, "20.00", "CK-1", day=LATER)])
    assert "credit balance: account 000412 17.85" in out
    with Ledger.open(open_practice(practice).db_url).reading() as tx:
        parts = tx.conn.execute(
            journal.select().with_only_columns(claims.c.encounter_id, journal.c.amount_cents)
            .join(claims, claims.c.id == journal.c.claim_id)
            .join(claim_lines, claim_lines.c.id == journal.c.claim_line_id)
            .where(journal.c.reference == "CK-1").order_by(journal.c.id)).all()
    assert sum(cents for _, cents in parts) == 4615  # all that was owed; 17.85 left on account
    order = [eid for eid, _ in parts]
    assert order == sorted(order) and order[0] == "E261123-06" and order[-1] == "E261124-07"
    assert sum(cents for eid, cents in parts if eid == "E261123-06") == 4225  # oldest in full
    medsheets("invoices", "--practice", practice, "--as-of", LATER)
    medsheets("aging", "--practice", practice, "--as-of", LATER)
    book = cell_values(practice / "out" / "aging" / f"aging-{LATER}.xlsx")
    row = by_patient(book, TWO_VISITS)
    header = next(r for r in book["By Patient"] if r and r[0] == "Account")
    assert row is not None and money(row[header.index("Total")]) == Decimal("-17.85")
    assert row[-1] == "credit balance: refund it (see Refunds)"
    assert detail_patient_total(book, TWO_VISITS) == Decimal("-17.85")
    listed = [r for r in book["Refunds"] if r and r[0] == TWO_VISITS]
    assert listed and money(listed[0][2]) == Decimal("17.85")


def test_statement_aging_and_detail_agree_after_a_part_payment(practice: Path) -> None:
    post(practice, "pay.xlsx", patient=[payment(TWO_VISITS, "20.00", "CK-2")])
    medsheets("aging", "--practice", practice, "--as-of", LATER)
    book = cell_values(practice / "out" / "aging" / f"aging-{LATER}.xlsx")
    header = next(r for r in book["By Patient"] if r and r[0] == "Account")
    row = by_patient(book, TWO_VISITS)
    assert row is not None and money(row[header.index("Total")]) == Decimal("26.15")
    assert money(row[header.index("On account")]) == 0  # nothing left unapplied beside an old debt
    assert detail_patient_total(book, TWO_VISITS) == Decimal("26.15")
    with Ledger.open(open_practice(practice).db_url).reading() as tx:
        (account, _), = accounts(tx, [TWO_VISITS], LATER, dt.datetime(2100, 1, 1), Names()).values()
    assert account.balance == Decimal("26.15")  # what the statement says, to the cent
    assert sum(r.balance for r in account.rows) == Decimal("26.15")


def test_a_payment_on_a_visit_still_with_insurance_is_a_prepayment_not_a_credit(practice: Path) -> None:
    patient, claim = DENIED
    out = post(practice, "pay.xlsx", patient=[payment(patient, "20.00", "R-9", claim)])
    assert "prepaid: account 004777 20.00" in out and "credit balance: account" not in out
    medsheets("aging", "--practice", practice, "--as-of", LATER)
    book = cell_values(practice / "out" / "aging" / f"aging-{LATER}.xlsx")
    row = by_patient(book, patient)
    assert row is not None and row[-1] == "prepaid on a visit still with insurance"
    assert all(r[0] != patient for r in book["Refunds"] if r)
    out = post(practice, "refund.xlsx", code=1, refunds=[refund(patient, "20.00", "RF-1")])
    assert ("refund.xlsx:Refunds!C2: MS-REFUND-OVER refund of 20.00 is more than the credit of "
            "0.00 on account 004777 on 2026-12-01") in out


def test_a_credit_is_listed_to_refund_and_refunded_once_but_never_beyond_it(practice: Path) -> None:
    post(practice, "pay.xlsx", patient=[payment(PAID_UP, "30.00", "R-20")])
    medsheets("aging", "--practice", practice, "--as-of", LATER)
    book = cell_values(practice / "out" / "aging" / f"aging-{LATER}.xlsx")
    listed = [r for r in book["Refunds"] if r and r[0] == PAID_UP]
    assert listed and money(listed[0][2]) == Decimal(30) and listed[0][4] == "R-20"
    assert by_patient(book, PAID_UP)[-1] == "credit balance: refund it (see Refunds)"  # type: ignore[index]
    out = post(practice, "refund.xlsx", refunds=[refund(PAID_UP, "25.00", "RF-2")])
    assert "refunded: 1 refunds, 25.00" in out
    again = post(practice, "refund-again.xlsx", refunds=[refund(PAID_UP, "25.00", "RF-2")])
    assert "already posted: 1 references" in again
    over = post(practice, "refund-over.xlsx", code=1, refunds=[refund(PAID_UP, "10.00", "RF-3")])
    assert "Refunds!C2: MS-REFUND-OVER refund of 10.00 is more than the credit of 5.00" in over
    medsheets("aging", "--practice", practice, "--as-of", LATER)
    book = cell_values(practice / "out" / "aging" / f"aging-{LATER}-2.xlsx")
    assert [money(r[2]) for r in book["Refunds"] if r and r[0] == PAID_UP] == [Decimal(5)]


def test_a_claim_paid_twice_is_listed_apart_as_the_payers_money(practice: Path) -> None:
    eob = [{"reference": "EOB-77", "date": PAID_ON, "payer_id": "BSTAR", "encounter_id": "E261123-03",
            "paid": Decimal("50.00")}]
    post(practice, "eob.xlsx", eob=eob)
    medsheets("aging", "--practice", practice, "--as-of", LATER)
    sheet = cell_values(practice / "out" / "aging" / f"aging-{LATER}.xlsx")["Refunds"]
    start = next(i for i, r in enumerate(sheet) if r and r[0] == "Claim")
    overpaid = [r for r in sheet[start + 1:] if r and r[0] == "E261123-03"]
    assert overpaid and money(overpaid[0][3]) == Decimal(50) and "EOB-77" in overpaid[0][4]
