"""Two billers, two practice folders, one ledger (`--db`), two `claims` processes at once: each
claim is billed exactly once across both folders' 837s, on SQLite and on PostgreSQL.

test_ledger_shared_lock.py holds the lock in-process; here two real processes race for it. The
one that loses either waits its turn or is refused as busy (exit 2), and billing again afterwards
bills nothing twice.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from clock import EXAMPLE_AS_OF

from medsheets.ledger import Ledger
from medsheets.ledger.schema import batches, claims

CLM01 = r"CLM\*([^*~]+)\*"


def claims_process(folder: Path, url: str) -> subprocess.Popen[str]:
    books = sorted((folder / "encounters").glob("*.xlsx"))
    return subprocess.Popen(
        [sys.executable, "-m", "medsheets", "claims", "--as-of", EXAMPLE_AS_OF.isoformat(),
         "--practice", str(folder), "--db", url, *map(str, books)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def billed_in_837s(*folders: Path) -> Counter[str]:
    """CLM01 (our encounter id) of every claim in every 837 in the folders' out/claims/."""
    found: Counter[str] = Counter()
    for folder in folders:
        for path in (folder / "out" / "claims").glob("*.837"):
            found.update(re.findall(CLM01, path.read_text()))
    return found


def race(practice_dir: Path, tmp_path: Path, url: str) -> tuple[Path, Path]:
    """Both folders bill at once, then each bills again (whoever was refused bills now)."""
    other = tmp_path / "front-office"
    shutil.copytree(practice_dir, other)
    first, second = claims_process(practice_dir, url), claims_process(other, url)
    for child in (first, second):
        _, stderr = child.communicate(timeout=300)
        assert child.returncode in (0, 1, 2), stderr
        assert "Traceback" not in stderr
        if child.returncode == 2:
            assert "is using this ledger" in stderr, stderr
    for folder in (practice_dir, other):
        again = claims_process(folder, url)
        _, stderr = again.communicate(timeout=300)
        assert again.returncode in (0, 1), stderr
    return practice_dir, other


def assert_billed_once_in_the_ledger(url: str) -> None:
    """Every claim stored once, and sent in exactly one batch (the 837s the ledger keeps)."""
    with Ledger.open(url) as ledger, ledger.reading() as tx:
        stored = Counter(tx.conn.execute(sa.select(claims.c.encounter_id)).scalars())
        contents = list(tx.conn.execute(sa.select(batches.c.content)).scalars())
    sent: Counter[str] = Counter()
    for content in contents:
        sent.update(re.findall(CLM01, content))
    assert stored and max(stored.values()) == 1
    assert sent and max(sent.values()) == 1, sent.most_common(3)
    assert set(sent) <= set(stored)


def test_two_claims_processes_on_one_sqlite_ledger(practice_dir: Path, tmp_path: Path) -> None:
    race(practice_dir, tmp_path, shared_sqlite(tmp_path))
    assert_billed_once_in_the_ledger(shared_sqlite(tmp_path))


def test_two_claims_processes_on_one_postgresql_ledger(practice_dir: Path, tmp_path: Path,
                                                       pg_url: str) -> None:
    race(practice_dir, tmp_path, pg_url)
    assert_billed_once_in_the_ledger(pg_url)


def test_each_folder_holds_only_the_837s_it_wrote(practice_dir: Path, tmp_path: Path) -> None:
    """Biller B's next run does not 'restore' biller A's batch into B's out/claims/."""
    folders = race(practice_dir, tmp_path, shared_sqlite(tmp_path))
    in_files = billed_in_837s(*folders)
    assert in_files and max(in_files.values()) == 1, in_files.most_common(3)


def test_each_folder_holds_only_the_837s_it_wrote_on_postgresql(practice_dir: Path,
                                                                tmp_path: Path, pg_url: str) -> None:
    in_files = billed_in_837s(*race(practice_dir, tmp_path, pg_url))
    assert in_files and max(in_files.values()) == 1, in_files.most_common(3)


def test_a_batch_lost_from_the_folder_that_wrote_it_is_restored_there(practice_dir: Path,
                                                                      tmp_path: Path) -> None:
    """The nearest case that must still restore: the folder that wrote the 837 lost it."""
    folders = race(practice_dir, tmp_path, shared_sqlite(tmp_path))
    written = {folder: sorted((folder / "out" / "claims").glob("*.837")) for folder in folders}
    writer = next(folder for folder, files in written.items() if files)
    for path in written[writer]:
        path.unlink()
    again = claims_process(writer, shared_sqlite(tmp_path))
    _, stderr = again.communicate(timeout=300)
    assert again.returncode in (0, 1), stderr
    assert sorted((writer / "out" / "claims").glob("*.837")) == written[writer]
    assert billed_in_837s(*folders) == billed_in_837s(writer)


def shared_sqlite(tmp_path: Path) -> str:
    share = tmp_path / "server-share"
    share.mkdir(exist_ok=True)
    return f"sqlite:///{share / 'medsheets.db'}"
