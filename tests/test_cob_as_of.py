"""What a secondary insurance is still expected to pay, as of a past day: the aging and the
statements for that day are what they were then, and collections never takes that share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from aging_support import openpyxl_rows, table_after
from cob_support import DUAL, LATER, bill, medicare_835, post, visit, write_day
from remit_support import Clp, Svc, era

from medsheets.aging import AgeBasis, run_aging
from medsheets.config import Statements
from medsheets.invoices.run import produce_statements
from medsheets.ledger import Ledger
from medsheets.ledger.reports.collections import describe, ready_ids
from medsheets.ledger.schema import statements
from medsheets.practice import open_practice

BETWEEN = dt.date(2026, 12, 4)  # Medicare answered (12-01), Medicaid not yet (12-08)
WAITING = "Prairie State Medicaid (example) (ILMCD, secondary pending)"


def medicaid_pays(eid: str, day: str = "20261201") -> str:
    """Medicaid as secondary, paid on `day`: 11.56 of the 19.11 Medicare left, 7.55 left to
    the patient (PR-1) on the visit."""
    return era([Clp(eid, "2", "147", "11.56", icn="MCDICN1", svcs=(
        Svc("99213", "135", "10", (("OA", "23", "117.45"), ("PR", "1", "7.55")), f"{eid}-1"),
        Svc("36415", "12", "1.56", (("OA", "23", "10.44"),), f"{eid}-2"),
    ))], trace="MCD1", payer_key="1ILMCD").replace("20261201", day)


def medicaid_later(practice_dir: Path, eid: str) -> None:
    """Medicare pays on 12-01, Medicaid is billed, and its 835 pays on 12-08."""
    bill(practice_dir, [write_day(practice_dir, visit(eid, **DUAL))])
    post(practice_dir, medicare_835(eid), "medicare.835")
    assert len(bill(practice_dir, [], now=LATER).secondary) == 1
    post(practice_dir, medicaid_pays(eid, "20261208"), "medicaid.835")


def summary_of(practice_dir: Path, as_of: dt.date) -> dict[str, list[Any]]:
    path = run_aging(open_practice(practice_dir), as_of=as_of, basis=AgeBasis.SERVICE,
                     now=dt.datetime(2026, 12, 20, 9, 0)).file
    _, rows = table_after(openpyxl_rows(path, "Summary"), "Responsible party")
    return {str(r[0]): r for r in rows}


def test_an_aging_for_a_day_before_the_secondary_paid_shows_it_pending_that_day(
        practice_dir: Path) -> None:
    medicaid_later(practice_dir, "EASOF1")
    then = summary_of(practice_dir, BETWEEN)
    assert Decimal(str(then[WAITING][7])) == Decimal("19.11")  # not the patient's on 12-04
    assert Decimal(str(then["Patients"][7])) == Decimal("0.00")
    now = summary_of(practice_dir, dt.date(2026, 12, 10))
    assert WAITING not in now and Decimal(str(now["Patients"][7])) == Decimal("7.55")


def test_a_statement_for_a_day_before_the_secondary_paid_waits_for_it(practice_dir: Path) -> None:
    medicaid_later(practice_dir, "EASOF2")
    then = produce_statements(open_practice(practice_dir), as_of=BETWEEN)
    assert then.plan.awaiting_secondary == ["900100"] and then.plan.new == []
    later = produce_statements(open_practice(practice_dir), as_of=dt.date(2026, 12, 10))
    assert [s.amount_due for s in later.plan.new] == [Decimal("7.55")]


def _three_statements_sent(practice_dir: Path, patient_id: str) -> None:
    """The account's dunning cycle done: three statements, marked mailed."""
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.transaction() as tx:
        run_id = tx.start_run("invoices", [])
        for position, day in enumerate((dt.date(2027, 1, 5), dt.date(2027, 2, 5),
                                        dt.date(2027, 3, 5)), start=1):
            tx.conn.execute(statements.insert().values(
                run_id=run_id, patient_id=patient_id, statement_date=day, amount_due_cents=1911,
                cycle_position=position, file_name=f"s{position}.pdf",
                created_at=dt.datetime.combine(day, dt.time(9)), mailed_on=day))


def test_collections_never_takes_what_a_secondary_is_still_expected_to_pay(
        practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EASOF3", **DUAL))])
    post(practice_dir, medicare_835("EASOF3"), "medicare.835")
    _three_statements_sent(practice_dir, "900100")
    turnover = dt.date(2027, 4, 20)  # the visit is 151 days old
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        assert ready_ids(tx, turnover, Statements()) == []  # Medicaid may pay the 19.11
        [account] = describe(tx, turnover, ["900100"])
        assert account.balance == Decimal("0.00") and account.dates_of_service == ()
    # once Medicaid has paid its part, what it left the patient (7.55) is theirs, and ready
    bill(practice_dir, [], now=LATER)
    post(practice_dir, medicaid_pays("EASOF3"), "medicaid.835")
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        assert ready_ids(tx, turnover, Statements()) == ["900100"]
        [account] = describe(tx, turnover, ["900100"])
        assert account.balance == Decimal("7.55") and account.dates_of_service == (DUAL["date_of_service"],)
