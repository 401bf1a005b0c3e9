"""A `remit` run killed (SIGKILL) in the middle of posting leaves nothing half-posted."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from remit_support import NOW, Clp, Svc, assert_journal_balances, bill, db_url, era, rows

from medsheets.ledger.schema import claim_events, journal, remit_claims, remittances, runs
from medsheets.practice import open_practice
from medsheets.remit.results import POSTED
from medsheets.remit.run import post_remit_files

CHILD = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import medsheets.remit.post as post
from medsheets.practice import open_practice
from medsheets.remit.run import post_remit_files
from remit_support import NOW

original, calls = post.post_claim, []

def post_then_die(*args, **kwargs):
    calls.append(1)
    if len(calls) == 3:  # the first remittance is written inside the open transaction: die
        tx = args[0]
        print(tx.conn.exec_driver_sql("SELECT count(*) FROM journal").scalar(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)

post.post_claim = post_then_die
post_remit_files(open_practice({practice!r}), [Path({file!r})], now=NOW)
"""


def test_a_run_killed_mid_post_leaves_nothing_and_a_rerun_posts_once(practice_dir: Path) -> None:
    ids = [bill(practice_dir, f"K{n}", ("99213", "100.00"))[0] for n in range(4)]
    claims = [Clp(f"K{n}", "1", "100", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "20"),)),))
              for n in range(4)]
    text = era(claims[:2], trace="A") + era(claims[2:], trace="B")  # two interchanges
    path = practice_dir / "remits" / "era.835"
    path.write_text(text)
    url = db_url(practice_dir)
    before = len(rows(url, journal))
    code = CHILD.format(tests=str(Path(__file__).parent), practice=str(practice_dir), file=str(path))
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=False, capture_output=True,
                           text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert int(child.stdout) == before + 2 * 2  # what the killed transaction had written
    assert len(rows(url, journal)) == before
    assert not rows(url, remittances) and not rows(url, remit_claims) and not rows(url, claim_events)
    assert "remit" not in {r.command for r in rows(url, runs)}
    assert not list((practice_dir / "out").rglob("remit-*"))
    result = post_remit_files(open_practice(practice_dir), [path], now=NOW)
    assert [o.status for o in result.outcomes] == [POSTED, POSTED]
    assert len(rows(url, journal)) == before + 4 * 2 and len(rows(url, remittances)) == 2
    for claim_id in ids:
        assert assert_journal_balances(url, claim_id)["payer"] == 0


HALF_SAVED = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import medsheets.workbook.report_book as report_book
from medsheets.practice import open_practice
from medsheets.remit.run import post_remit_files
from remit_support import NOW

def torn_then_die(book, target):
    Path(target).write_bytes(b"PK half a report")
    os.kill(os.getpid(), signal.SIGKILL)

report_book.write_xlsx = torn_then_die
post_remit_files(open_practice({practice!r}), [Path({file!r})], now=NOW)
"""


def test_a_report_left_half_saved_by_a_kill_is_cleared_by_the_next_run(practice_dir: Path) -> None:
    bill(practice_dir, "H1", ("99213", "100.00"))
    path = practice_dir / "remits" / "era.835"
    path.write_text(era([Clp("H1", "1", "100", "80",
                             svcs=(Svc("99213", "100", "80", (("CO", "45", "20"),)),))]))
    code = HALF_SAVED.format(tests=str(Path(__file__).parent), practice=str(practice_dir),
                             file=str(path))
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=False,
                           capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    reports = practice_dir / "out" / "reports"
    (left,) = [p.name for p in reports.iterdir()]  # what the kill left: a hidden .part only
    assert left.startswith(".remit-") and left.endswith(".part")
    again = post_remit_files(open_practice(practice_dir), [path], now=NOW)
    assert again.report_file is None  # posted by the killed run, not again
    assert not [p for p in reports.iterdir() if p.name.endswith(".part")]
