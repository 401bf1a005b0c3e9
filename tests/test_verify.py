"""`medsheets verify` and the rules every run keeps before it commits.

A full day of the example practice keeps every rule (on SQLite and on PostgreSQL); a ledger
corrupted behind the ledger's back (raw rows, as a buggy path or a hand edit would leave
them) is reported breach by breach, by entry id and never by patient name.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from medsheets.cli import cli
from medsheets.ledger import Ledger
from medsheets.ledger.invariants import InvariantError
from medsheets.ledger.schema import journal, patients

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "practice"
# What trying the example (the README's first command) leaves in it: not part of the example.
RUN_STATE = shutil.ignore_patterns("medsheets.db*", ".medsheets.lock", ".medsheets-ledger",
                                   ".medsheets-folder", "out")
AS_OF = "2026-11-25"  # the example's two days are the weekdays before it


def run_day(folder: Path, *db: str) -> None:
    result = CliRunner().invoke(cli, ["run", str(folder), "--as-of", AS_OF, *db])
    assert result.exit_code == 0, result.output


def verify(folder: Path, *db: str) -> Any:
    return CliRunner().invoke(cli, ["verify", "--practice", str(folder), *db])


@pytest.fixture(scope="module", name="day_template")
def day_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example practice after `medsheets run`, once per module."""
    folder = tmp_path_factory.mktemp("day") / "practice"
    shutil.copytree(EXAMPLE, folder, ignore=RUN_STATE)
    (folder / "out").mkdir()
    run_day(folder)
    return folder


@pytest.fixture(name="day")
def day_fixture(day_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "practice"
    shutil.copytree(day_template, folder)
    return folder


def engine(folder: Path) -> sa.Engine:
    return sa.create_engine(f"sqlite:///{folder / 'medsheets.db'}")


def entries(folder: Path, *where: Any) -> list[Any]:
    eng = engine(folder)
    with eng.connect() as conn:
        found = list(conn.execute(sa.select(journal).where(*where).order_by(journal.c.id)))
    eng.dispose()
    return found


def insert_raw(folder: Path, **values: Any) -> int:
    """The test-only path: a journal row written straight into the database, unchecked."""
    eng = engine(folder)
    with eng.begin() as conn:
        key = conn.execute(journal.insert().values(**values)).inserted_primary_key
    eng.dispose()
    assert key is not None
    return int(key[0])


def copy_of(row: Any, **changes: Any) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in journal.c.keys() if name != "id"}  # noqa: SIM118
    return {**values, **changes}


def patient_names(folder: Path) -> set[str]:
    eng = engine(folder)
    with eng.connect() as conn:
        names = {n for row in conn.execute(sa.select(patients.c.last_name, patients.c.first_name))
                 for n in row if n}
    eng.dispose()
    return names


def test_a_full_day_keeps_every_rule(day: Path) -> None:
    result = verify(day)
    assert result.exit_code == 0, result.output
    assert result.output.count("holds: ") == 6 and "broken" not in result.output


def test_a_full_day_on_postgresql_keeps_every_rule(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    shutil.copytree(EXAMPLE, folder, ignore=RUN_STATE)
    (folder / "out").mkdir()
    run_day(folder, "--db", pg_url)
    result = verify(folder, "--db", pg_url)
    assert result.exit_code == 0, result.output
    assert "broken" not in result.output


def test_a_duplicated_payment_is_reported(day: Path) -> None:
    payment = next(row for row in entries(day, journal.c.kind == "payment",
                                          journal.c.party == "payer", journal.c.reverses_id.is_(None)))
    again = insert_raw(day, **copy_of(payment))
    result = verify(day)
    assert result.exit_code == 1
    assert f"entry {again}: repeats payment entry {payment.id}" in result.output
    assert "broken: no payment is posted twice (1)" in result.output


def test_an_unbalanced_reversal_is_reported(day: Path) -> None:
    reversed_ = {row.reverses_id for row in entries(day, journal.c.reverses_id.is_not(None))}
    original = next(row for row in entries(day, journal.c.kind == "charge")
                    if row.id not in reversed_)
    reversal = insert_raw(day, **copy_of(original, amount_cents=-original.amount_cents + 1,
                                         reverses_id=original.id))
    result = verify(day)
    assert result.exit_code == 1
    assert f"entry {reversal}: reverses entry {original.id}" in result.output
    assert "not its exact negation" in result.output


def test_an_entry_on_another_patients_line_is_reported(day: Path) -> None:
    rows = entries(day, journal.c.claim_line_id.is_not(None))
    first = rows[0]
    other = next(row for row in rows if row.patient_id != first.patient_id)
    stray = insert_raw(day, **copy_of(first, kind="payment", party="patient", payer_id=None,
                                      patient_id=other.patient_id, amount_cents=100,
                                      reference="stray"))
    result = verify(day)
    assert result.exit_code == 1
    assert f"entry {stray}: names another patient than claim {first.claim_id}'s" in result.output
    for name in patient_names(day):
        assert name not in result.output, "a breach names entries, never patients"


def test_a_run_that_would_break_a_rule_commits_nothing(day: Path) -> None:
    payment = next(iter(entries(day, journal.c.kind == "payment")))
    before = len(entries(day))
    with Ledger.open(f"sqlite:///{day / 'medsheets.db'}") as ledger:
        with (pytest.raises(InvariantError, match=f"repeats payment entry {payment.id}"),
              ledger.transaction() as tx):
            run_id = tx.start_run("test", [])
            tx.conn.execute(journal.insert().values(**copy_of(payment, run_id=run_id)))
        with ledger.transaction() as tx:  # the same without the breach commits
            tx.finish_run(tx.start_run("test", []), {})
    assert len(entries(day)) == before
