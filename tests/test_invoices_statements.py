"""Statements for the example practice after claims and payer payments: the amounts add up to
the ledger to the cent, each statement is recorded once, the cycle and the files behave."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from clock import TODAY
from invoices_support import (
    adjudicate,
    amount_due,
    amounts,
    billed_example,
    copy_of,
    patient_balances,
    pdf_text,
    post,
    self_pay_visit,
)
from pypdf import PdfReader

from medsheets.cli import cli
from medsheets.invoices import produce_statements
from medsheets.ledger import JournalEntry, Kind, Ledger, Party
from medsheets.ledger.schema import collection_placements, statements
from medsheets.model import Person
from medsheets.practice import Practice, open_practice

PAID_ON = TODAY - dt.timedelta(days=40)
MINIMUM = Decimal("5.00")
PERSON = Person("Rivera", "Sam", dt.date(1970, 1, 2), "M", "5 Oak St", "Springfield", "IL", "62701")
_CELL = r"(?:\$[0-9,]+\.[0-9]{2}(?: CR)?|\u2014)"
ROW_AMOUNTS = re.compile(rf"(?:{_CELL} +){{4}}\$[0-9,]+\.[0-9]{{2}}(?: CR)?")
EARLIER = re.compile(r"Balance from before these services *\$[0-9,]+\.[0-9]{2}(?: CR)?")


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> Produced:
    """The billed example, adjudicated, with today's statements produced once."""
    practice = copy_of(billed_example(tmp_path_factory), tmp_path_factory.mktemp("stmts"))
    adjudicate(practice, PAID_ON)
    paid_on = TODAY - dt.timedelta(days=5)
    post(practice, *(JournalEntry(0, Kind.PAYMENT, Party.PATIENT, Decimal(amount), patient_id=pid,
                                  reference=f"CHK{pid}", effective_date=paid_on)
                     for pid, amount in (("001027", "37.00"), ("000633", "50.00"),
                                         ("000412", "20.00"))))
    result = produce_statements(practice, as_of=TODAY)
    assert result.plan.new and not result.has_errors
    texts = {account: pdf_text(path.read_bytes()) for account, path in _pdfs(practice).items()}
    return practice, patient_balances(practice), texts


Produced = tuple[Practice, dict[str, Decimal], dict[str, str]]


def _pdfs(practice: Practice) -> dict[str, Path]:
    return {p.name.split("-")[1]: p for p in (practice.out_dir / "invoices").glob("*.pdf")}


def test_one_statement_per_patient_owing_the_minimum_and_none_for_the_rest(produced) -> None:
    practice, balances, texts = produced
    owing = {pid for pid, amount in balances.items() if amount >= MINIMUM}
    assert owing and set(_pdfs(practice)) == owing
    # A balance under the minimum, or a credit, gets none.
    assert balances["001027"] == Decimal("3.00") and balances["000633"] == Decimal("-10.00")
    text = texts["000412"]
    assert "Payment received, thank you" in text and "$20.00" in text


def test_each_statement_shows_the_ledger_balance_to_the_cent(produced) -> None:
    practice, balances, texts = produced
    assert set(texts) == set(_pdfs(practice))
    for account, text in texts.items():
        assert amount_due(text) == balances[account], account
        assert f"Account {account}" in text  # the page footer


def test_the_rows_of_each_statement_add_up_to_its_amount_due(produced) -> None:
    _, balances, texts = produced
    for account, text in texts.items():
        table = text.split("BALANCE\n", 1)[1].split("\nAmount due $", 1)[0]
        # A row's five amount columns stand on one line; the last is the patient's balance.
        rows = [amounts(match.group(0))[-1] for match in ROW_AMOUNTS.finditer(table)]
        earlier = EARLIER.search(table)
        total = sum(rows, amounts(earlier.group(0))[0] if earlier else Decimal("0.00"))
        assert rows and total == balances[account] == amount_due(text), account


def test_statements_are_recorded_with_amount_and_first_cycle_position(produced) -> None:
    practice, balances, _ = produced
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        rows = tx.conn.execute(sa.select(statements)).all()
    ledger.close()
    recorded = {row.patient_id: row for row in rows}
    assert set(recorded) == set(_pdfs(practice))
    for pid, row in recorded.items():
        assert Decimal(row.amount_due_cents) / 100 == balances[pid]
        assert (row.statement_date, row.cycle_position) == (TODAY, 1)
        assert row.file_name == f"statement-{pid}-{TODAY.isoformat()}.pdf"


def test_files_are_owner_only_and_carry_no_patient_name(produced) -> None:
    practice, _, _ = produced
    for path in [*_pdfs(practice).values(), *(practice.out_dir / "outbox").glob("*.eml")]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert path.name.startswith("statement-") and path.name.split("-")[1].isdigit()
        meta = PdfReader(path).metadata if path.suffix == ".pdf" else None
        if meta is not None:
            assert dict(meta) == {"/Producer": meta["/Producer"], "/Title": "Patient statement"}


def test_the_example_statements_explain_why_the_patient_owes(produced) -> None:
    _, _, texts = produced
    joined = "\n".join(texts.values())
    for words in ("Deductible", "Coinsurance", "Self-pay visit", "HOW TO PAY", "Current",
                  "Over 90 days", "Please detach", "Maple Street Family Medicine"):
        assert words in joined, words
    # A dependant's statement goes to the parent who holds her insurance, by name.
    assert "JOSÉ PEÑA" in texts["002216"] and "addressed to the parent or guardian" in texts["002216"]


def test_running_again_the_same_day_produces_and_records_nothing_twice(
    produced, tmp_path: Path
) -> None:
    practice, _, _ = produced
    before = {name: path.read_bytes() for name, path in _pdfs(practice).items()}
    result = CliRunner().invoke(cli, ["invoices", "--practice", str(practice.root),
                                      "--as-of", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"already produced on {TODAY}: {len(before)} statements (nothing produced twice)" in (
        result.output)
    assert "nothing new to produce" in result.output
    assert {name: path.read_bytes() for name, path in _pdfs(practice).items()} == before
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        assert tx.conn.execute(sa.select(sa.func.count()).select_from(statements)).scalar() == (
            len(before))
    ledger.close()


def test_a_missing_statement_file_is_restored_byte_for_byte(produced) -> None:
    practice, _, _ = produced
    path = _pdfs(practice)["000412"]
    original = path.read_bytes()
    path.unlink()
    (path.parent / f".{path.name}.x1.part").write_bytes(b"half a file")
    result = produce_statements(practice, as_of=TODAY)
    assert result.restored == [path.name] and not result.plan.new
    assert path.read_bytes() == original
    assert not list(path.parent.glob(".*.part"))


def test_the_next_cycle_reminds_and_collections_get_nothing(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    people = {number: replace(PERSON, first_name=f"Sam{number}") for number in (1, 2, 3)}
    for number in (1, 2, 3):  # three people: each their own guarantor
        self_pay_visit(practice, f"90000{number}", people[number], email=None,
                       day=TODAY - dt.timedelta(days=2))
    first = produce_statements(practice, as_of=TODAY)
    assert [s.cycle_position for s in first.plan.new] == [1, 1, 1]
    post(practice, JournalEntry(0, Kind.PAYMENT, Party.PATIENT, Decimal("10.00"),
                                patient_id="900001", effective_date=TODAY))
    again = produce_statements(practice, as_of=TODAY)
    assert not again.plan.new and len(again.plan.already) == 3
    assert again.plan.changed == [("900001", Decimal("150.00"), Decimal("140.00"))]
    ledger = Ledger.open(practice.db_url)
    with ledger.transaction() as tx:
        run_id = tx.start_run("aging", [])
        tx.conn.execute(collection_placements.insert().values(
            run_id=run_id, patient_id="900002", placed_on=TODAY, balance_cents=15000,
            file_name="agency.xlsx"))
        tx.finish_run(run_id, {})
    ledger.close()
    soon = produce_statements(practice, as_of=TODAY + dt.timedelta(days=10))
    assert not soon.plan.new and [a for a, _ in soon.plan.not_due] == ["900001", "900003"]
    assert soon.plan.placed == ["900002"]
    post(practice, JournalEntry(0, Kind.PAYMENT, Party.PATIENT, Decimal("150.00"),
                                patient_id="900003", effective_date=TODAY + dt.timedelta(days=12)))
    self_pay_visit(practice, "900003", people[3], email=None, day=TODAY + dt.timedelta(days=14))
    later = produce_statements(practice, as_of=TODAY + dt.timedelta(days=30))
    # 900001 gets its reminder; 900003 paid in full and came back: a new cycle begins.
    assert [(s.recipient.account, s.cycle_position) for s in later.plan.new] == [
        ("900001", 2), ("900003", 1)]
    text = pdf_text((practice.out_dir / "invoices" / f"{later.plan.new[0].file_stem}.pdf")
                    .read_bytes())
    assert "Your account is past due." in text
    assert "past due" not in pdf_text((practice.out_dir / "invoices" /
                                       f"{later.plan.new[1].file_stem}.pdf").read_bytes())
