"""The collections rules a biller expects: a minimum for placement, statements counted once
sent, no final notice to someone who paid since the last statement."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from aging_support import followed_up_example
from clock import TODAY

from medsheets.config import Statements
from medsheets.invoices import compose
from medsheets.ledger import Ledger
from medsheets.ledger.reports.collections import ready_ids
from medsheets.ledger.schema import email_log, statements
from medsheets.practice import open_practice

LATER = TODAY + dt.timedelta(days=150)
CHASED = "007310"  # the example's self-pay visit: three statements (aging_support), never paid
MESSAGES = ("", "Your account is past due.", "Second notice.", "Final notice before collections.")


@pytest.fixture
def practice(practice_template: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    shared = followed_up_example(practice_template, tmp_path_factory.getbasetemp())
    shutil.copytree(shared, tmp_path / "practice")
    return tmp_path / "practice"


def _ready(folder: Path, **rules: object) -> list[str]:
    with Ledger.open(open_practice(folder).db_url) as ledger, ledger.reading() as tx:
        return ready_ids(tx, LATER, Statements(**rules))  # type: ignore[arg-type]


def _balance(folder: Path) -> Decimal:
    with Ledger.open(open_practice(folder).db_url) as ledger, ledger.reading() as tx:
        return tx.patient_balances()[CHASED]


def test_a_balance_below_the_collections_minimum_is_not_placed(practice: Path) -> None:
    owed = _balance(practice)
    assert _ready(practice, collections_minimum=owed) == [CHASED]
    assert _ready(practice, collections_minimum=owed + Decimal("0.01")) == []


def test_statements_count_toward_placement_only_once_sent_or_mailed(practice: Path) -> None:
    with Ledger.open(open_practice(practice).db_url) as ledger, ledger.transaction() as tx:
        rows = tx.conn.execute(sa.select(statements.c.id, statements.c.cycle_position).where(
            statements.c.patient_id == CHASED).order_by(statements.c.statement_date)).all()
        last = rows[-1]
        tx.conn.execute(statements.update().where(statements.c.id == last.id).values(mailed_on=None))
    assert last.cycle_position == 3
    assert _ready(practice) == [], "the third statement was produced, never sent"
    with Ledger.open(open_practice(practice).db_url) as ledger, ledger.transaction() as tx:
        run_id = tx.start_run("invoices", [])
        tx.conn.execute(email_log.insert().values(statement_id=last.id, run_id=run_id,
                                                  attempted_at=dt.datetime(2026, 12, 1, 9, 0),
                                                  message_id="<m@x>", result="sent"))
    assert _ready(practice) == [CHASED], "emailed: it counts"


def test_marking_a_day_mailed_makes_its_statements_count(practice: Path, invoke) -> None:
    with Ledger.open(open_practice(practice).db_url) as ledger, ledger.transaction() as tx:
        last = tx.conn.execute(sa.select(statements).where(statements.c.patient_id == CHASED)
                               .order_by(statements.c.statement_date.desc())).first()
        tx.conn.execute(statements.update().where(statements.c.id == last.id).values(mailed_on=None))
    assert _ready(practice) == []
    result = invoke("invoices", "--mailed", "--practice", practice, "--as-of",
                    last.statement_date.isoformat())
    assert result.exit_code == 0 and "1 statement(s)" in result.output
    assert _ready(practice) == [CHASED]
    again = invoke("invoices", "--mailed", "--practice", practice, "--as-of",
                   last.statement_date.isoformat())
    assert "0 statement(s)" in again.output


def test_no_final_notice_to_someone_who_paid_since_the_last_statement() -> None:
    settings = Statements(messages=MESSAGES)
    assert compose.message_for(4, settings) == "Final notice before collections."
    assert compose.message_for(4, settings, paid_since_last=True) == "Second notice."
    assert compose.message_for(9, settings, paid_since_last=True) == "Second notice."
    assert compose.message_for(2, settings, paid_since_last=True) == "Your account is past due."
