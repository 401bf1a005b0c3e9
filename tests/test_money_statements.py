"""The statement cycle, stale statements never sent, and payment plans kept or broken."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from money_support import FIRST_DAY, cell_values, example_practice, medsheets
from payments_support import payments_workbook

from medsheets.config import Statements
from medsheets.errors import ConfigError
from medsheets.invoices.cycle import Cycle, parse_cycle
from medsheets.ledger import Ledger
from medsheets.ledger.reports.collections import ready_ids
from medsheets.ledger.schema import statements
from medsheets.practice import open_practice
from medsheets.workbook.payments import PLAN_COLUMNS, PLANS_SHEET

ACCOUNT = "000412"  # owes 46.15 after the example's first day; has an email address
D = dt.date


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_practice(tmp_path_factory.mktemp("cycle") / "practice")


@pytest.fixture
def practice(example: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(example, tmp_path / "practice"))


def set_cycle(folder: Path, cycle: str) -> None:
    config = folder / "medsheets.toml"
    config.write_text(config.read_text().replace("[statements]\n", f'[statements]\ncycle = "{cycle}"\n'))


def history(folder: Path) -> dict[str, list[tuple[dt.date, int, int]]]:
    """account -> [(statement date, cycle position, amount due in cents)], oldest first."""
    found: dict[str, list[tuple[dt.date, int, int]]] = {}
    with Ledger.open(open_practice(folder).db_url).reading() as tx:
        for row in tx.conn.execute(statements.select().order_by(statements.c.statement_date)):
            found.setdefault(row.patient_id, []).append(
                (row.statement_date, row.cycle_position, row.amount_due_cents))
    return found


def pay(folder: Path, day: dt.date, amount: str, reference: str, **extra: Any) -> str:
    row = {"date": day, "patient_id": ACCOUNT, "amount": Decimal(amount), "method": "check",
           "reference": reference, "encounter_id": None}
    book = payments_workbook(folder.parent / f"pay-{reference}.xlsx", patient=[row], **extra)
    return medsheets("payments", "--practice", folder, "--as-of", day, book)


@pytest.mark.parametrize("text, expected", [("monthly:5", Cycle("monthly", 5)),
                                            ("every:14", Cycle("every", 14)), ("", Cycle("every", 30))])
def test_a_cycle_is_read_from_its_text(text: str, expected: Cycle) -> None:
    assert parse_cycle(text, 30) == expected


@pytest.mark.parametrize("text", ["monthly:31", "weekly", "every:0", "monthly:"])
def test_a_bad_cycle_is_refused_by_the_config_naming_the_key(practice: Path, text: str) -> None:
    set_cycle(practice, text)
    with pytest.raises(ConfigError, match=r"medsheets.toml: \[statements\] cycle '.*'"):
        assert open_practice(practice).config is None


def test_a_monthly_cycle_draws_statements_up_once_a_month_over_three_months(practice: Path) -> None:
    set_cycle(practice, "monthly:5")
    medsheets("run", practice, "--as-of", FIRST_DAY, code=None)
    assert history(practice) == {}  # owed since 11-23/24: after the 11-05 billing day
    for day in (D(2026, 12, 1), D(2026, 12, 7), D(2026, 12, 15), D(2027, 1, 5), D(2027, 1, 20),
                D(2027, 2, 8)):
        medsheets("invoices", "--practice", practice, "--as-of", day)
    got = history(practice)[ACCOUNT]
    assert [(day, position) for day, position, _ in got] == [
        (D(2026, 12, 7), 1), (D(2027, 1, 5), 2), (D(2027, 2, 8), 3)]
    assert all(len(rows) == 3 for rows in history(practice).values())


def test_a_statement_not_yet_sent_is_drawn_up_again_when_the_balance_changes(practice: Path) -> None:
    medsheets("run", practice, "--as-of", FIRST_DAY, code=None)
    outbox = practice / "out" / "outbox"
    first = outbox / f"statement-{ACCOUNT}-{FIRST_DAY}.eml"
    assert first.exists()
    pay(practice, D(2026, 11, 28), "20.00", "CK-30")
    out = medsheets("invoices", "--practice", practice, "--as-of", D(2026, 11, 30))
    assert f"account {ACCOUNT}: the balance changed since its last statement" in out
    assert history(practice)[ACCOUNT] == [(FIRST_DAY, 1, 4615), (D(2026, 11, 30), 1, 2615)]
    assert not first.exists() and (outbox / f"statement-{ACCOUNT}-2026-11-30.eml").exists()
    pay(practice, D(2026, 12, 2), "26.15", "CK-31")  # paid in full: nothing left to state
    out = medsheets("invoices", "--practice", practice, "--as-of", D(2026, 12, 3))
    assert f"account {ACCOUNT}: its statement no longer matches the balance; not sent" in out
    assert not list(outbox.glob(f"statement-{ACCOUNT}-*.eml"))


def plan_row(start: dt.date, installment: str, frequency: str = "monthly") -> dict[str, Any]:
    return {"patient_id": ACCOUNT, "start": start, "installment": Decimal(installment),
            "frequency": frequency}


def plans_workbook(folder: Path, rows: list[dict[str, Any]]) -> Path:
    from medsheets.example import xlsx

    book = xlsx.new_workbook()
    xlsx.add_table(book, PLANS_SHEET, PLAN_COLUMNS, rows)
    path = folder.parent / "plans.xlsx"
    xlsx.save(book, path)
    return path


def aging_status(folder: Path, day: dt.date) -> str:
    medsheets("aging", "--practice", folder, "--as-of", day)
    book = cell_values(max((folder / "out" / "aging").glob(f"aging-{day}*.xlsx")))
    return next(row for row in book["By Patient"] if row and row[0] == ACCOUNT)[-1]


def test_a_kept_plan_stops_dunning_and_collections_and_a_missed_installment_is_flagged(
    practice: Path,
) -> None:
    medsheets("run", practice, "--as-of", FIRST_DAY, code=None)
    out = medsheets("payments", "--practice", practice, "--as-of", D(2026, 11, 30),
                    plans_workbook(practice, [plan_row(D(2026, 12, 1), "10.00")]))
    assert "payment plans: 1 recorded" in out
    pay(practice, D(2026, 12, 1), "10.00", "PLAN-1")
    medsheets("invoices", "--practice", practice, "--as-of", D(2026, 12, 26))
    # posted that day (only statements that reached the patient count toward collections)
    medsheets("invoices", "--mailed", "--practice", practice, "--as-of", D(2026, 12, 26))
    latest = history(practice)[ACCOUNT][-1]
    assert latest == (D(2026, 12, 26), 1, 3615)  # no dunning: still the first message
    assert aging_status(practice, D(2026, 12, 26)) == "payment plan kept"
    rules = Statements(collections_after_days=0, collections_after_statements=1)
    with Ledger.open(open_practice(practice).db_url).reading() as tx:
        assert ACCOUNT not in ready_ids(tx, D(2026, 12, 26), rules)
        # the January installment is not paid: ten days after it, the plan is broken
        assert ACCOUNT in ready_ids(tx, D(2027, 1, 12), rules)
    assert aging_status(practice, D(2027, 1, 12)) == "payment plan: installment missed (see Plans)"
    out = medsheets("invoices", "--practice", practice, "--as-of", D(2027, 1, 26))
    assert f"account {ACCOUNT}: a payment plan installment was missed" in out
    assert history(practice)[ACCOUNT][-1][:2] == (D(2027, 1, 26), 3)  # dunning resumes


def test_the_statement_shows_the_installment_due_and_the_balance(practice: Path) -> None:
    from medsheets.invoices.plan import Names, plan_statements

    medsheets("run", practice, "--as-of", FIRST_DAY, code=None)
    medsheets("payments", "--practice", practice, "--as-of", D(2026, 11, 30),
              plans_workbook(practice, [plan_row(D(2026, 12, 1), "10.00")]))
    pay(practice, D(2026, 12, 1), "10.00", "PLAN-1")
    p = open_practice(practice)
    with Ledger.open(p.db_url).reading() as tx:
        plan = plan_statements(tx, p.config, D(2026, 12, 26), dt.datetime(2100, 1, 1), Names(),
                               practice / "out" / "invoices")
    statement = next(s for s in plan.new if s.recipient.account == ACCOUNT)
    assert (statement.installment, statement.installment_due) == (Decimal("10.00"), D(2027, 1, 1))
    assert statement.amount_due == Decimal("36.15") and statement.message == ""
