"""One run at a time, and nothing half-done: tested with real second processes and SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_ledger_support import start_child

from medsheets.errors import LedgerBusyError
from medsheets.ledger import Ledger, hold_practice
from medsheets.ledger.lock import LOCK_NAME

HOLD = """
    import sys, time
    from pathlib import Path
    from medsheets.ledger import hold_practice
    with hold_practice(Path({root!r}), "claims"):
        sys.stdout.write("ready\\n"); sys.stdout.flush()
        time.sleep(60)
"""


def _kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL


def test_a_second_run_fails_at_once_naming_the_holder_and_writes_nothing(tmp_path: Path) -> None:
    child = start_child(HOLD.format(root=str(tmp_path)))
    try:
        lock_text = (tmp_path / LOCK_NAME).read_text()
        assert lock_text == f"{child.pid} claims\n"
        with pytest.raises(LedgerBusyError) as busy, hold_practice(tmp_path, "remit"):
            pytest.fail("the practice was held twice")
        assert str(busy.value) == f"another medsheets run holds the practice (pid {child.pid})"
        assert (tmp_path / LOCK_NAME).read_text() == lock_text
    finally:
        _kill(child)


def test_a_killed_holder_releases_the_practice(tmp_path: Path) -> None:
    _kill(start_child(HOLD.format(root=str(tmp_path))))
    with hold_practice(tmp_path, "claims"):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()} claims\n"


PROBE = """
import sys
from pathlib import Path
from medsheets.errors import LedgerBusyError
from medsheets.ledger import hold_practice
try:
    with hold_practice(Path({root!r}), "aging"):
        pass
except LedgerBusyError as busy:
    sys.exit(str(busy))
"""


def test_a_held_practice_refuses_another_process_and_is_free_after(tmp_path: Path) -> None:
    probe = [sys.executable, "-c", PROBE.format(root=str(tmp_path))]
    with hold_practice(tmp_path, "claims"):
        refused = subprocess.run(probe, check=False, capture_output=True, text=True, timeout=30)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"another medsheets run holds the practice (pid {os.getpid()})"
    assert subprocess.run(probe, check=False, capture_output=True, timeout=30).returncode == 0
    assert (tmp_path / LOCK_NAME).stat().st_mode & 0o077 == 0


def test_a_run_killed_before_commit_leaves_nothing_and_frees_the_practice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'medsheets.db'}"
    Ledger.open(url).close()
    child = start_child(f"""
        import sys, time
        from pathlib import Path
        from medsheets.ledger import Ledger, hold_practice
        from test_ledger_support import ALICE, SHA, encounter
        ledger = Ledger.open({url!r})
        with hold_practice(Path({str(tmp_path)!r}), "claims"), ledger.transaction() as tx:
            run_id = tx.start_run("claims", [("day.xlsx", SHA)])
            tx.upsert_patient("P1", ALICE, None, None)
            tx.add_claim(encounter("E1"), fingerprint="f" * 64, run_id=run_id, batch_id=None,
                         line_control_numbers=["E1-1"], source_file="day.xlsx")
            tx.allocate_control_numbers(1)
            sys.stdout.write("ready\\n"); sys.stdout.flush()
            time.sleep(60)
    """)
    try:  # while the run is in progress, others can still open and read the ledger
        with Ledger.open(url).reading() as tx:
            assert tx.find_claim("E1") is None
    finally:
        _kill(child)

    ledger = Ledger.open(url)
    assert not ledger.migrated
    with ledger.reading() as tx:
        count = {
            table: tx.conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar()
            for table in ("runs", "patients", "claims", "claim_lines", "journal")
        }
        assert tx.find_claim("E1") is None
    assert count == dict.fromkeys(count, 0)
    with hold_practice(tmp_path, "claims"), ledger.transaction() as tx:
        assert tx.allocate_control_numbers(1) == (1, 1, 1)
