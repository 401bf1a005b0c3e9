"""A `claims` run killed (SIGKILL) at its most delicate moments loses nothing and bills nothing twice.

Each test runs the real billing in a child process that kills itself at one point: inside the
ledger transaction once the 837 text exists, right after the commit before the file is written,
and with the claim file half written. Then the parent checks the ledger and out/claims/, runs
again, and checks that the work was completed exactly once.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from medsheets.claims import bill_workbooks
from medsheets.ledger import Ledger
from medsheets.ledger.schema import batches, claims
from medsheets.practice import open_practice

DRIVER = """
import datetime as dt, os, signal, sys
import medsheets.claims as billing
import medsheets.command as command
import medsheets.files as files
from medsheets.practice import open_practice

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

point = sys.argv[2]
if point == "inside-transaction":
    real_writer = billing.write_837p
    def write_then_die(*args, **kwargs):
        real_writer(*args, **kwargs)
        die()
    billing.write_837p = write_then_die
elif point == "after-commit":
    command.write_atomic = die  # the 837, written after the commit
elif point == "half-written-file":
    def half(target, data):
        with files.atomic_path(target) as temp:
            temp.write_bytes(data.encode()[: len(data) // 2])
            die()
    command.write_atomic = half
practice = open_practice(sys.argv[1])
books = sorted((practice.root / "encounters").glob("*.xlsx"))
billing.bill_workbooks(practice, books, now=dt.datetime(2026, 11, 27, 10, 30))
"""


def run_and_kill(practice: Path, point: str) -> None:
    child = subprocess.run([sys.executable, "-c", DRIVER, str(practice), point],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr


def ledger_state(practice: Path) -> tuple[int, list[str]]:
    ledger = Ledger.open(open_practice(practice).db_url)
    with ledger.reading() as tx:
        claim_count = tx.conn.execute(sa.select(sa.func.count()).select_from(claims)).scalar_one()
        names = list(tx.conn.execute(sa.select(batches.c.file_name)).scalars())
    return claim_count, names


def claim_files(practice: Path) -> list[Path]:
    return sorted((practice / "out" / "claims").glob("*.837"))


def finish(practice: Path) -> None:
    """Run again normally and check the day ends billed exactly once."""
    result = bill_workbooks(open_practice(practice), sorted((practice / "encounters").glob("*.xlsx")),
                            now=dt.datetime(2026, 11, 27, 11, 0))
    count, names = ledger_state(practice)
    assert len(names) == 1
    assert [p.name for p in claim_files(practice)] == names
    assert not list((practice / "out" / "claims").glob(".*.part"))
    assert count == len(result.billed) + len(result.self_pay) + len(result.already_billed)


def test_killed_inside_the_transaction_leaves_nothing(practice_dir: Path) -> None:
    run_and_kill(practice_dir, "inside-transaction")
    assert ledger_state(practice_dir) == (0, [])
    assert claim_files(practice_dir) == []
    finish(practice_dir)


@pytest.mark.parametrize("point", ["after-commit", "half-written-file"])
def test_killed_after_the_commit_is_completed_by_the_next_run(practice_dir: Path, point: str) -> None:
    run_and_kill(practice_dir, point)
    count, names = ledger_state(practice_dir)
    assert count > 0 and len(names) == 1
    assert claim_files(practice_dir) == []  # never a torn .837, at most a hidden .part
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        stored = tx.conn.execute(sa.select(batches.c.content)).scalar_one()
    finish(practice_dir)
    assert claim_files(practice_dir)[0].read_text() == stored
