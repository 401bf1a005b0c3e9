"""One run at a time per ledger: two practice folders that share one ledger (the shared
office's `--db`) exclude each other, on SQLite and on PostgreSQL, and nothing is billed twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medsheets.errors import LedgerBusyError
from medsheets.ledger import Ledger, hold_practice
from medsheets.practice import Practice


def two_folders(practice_dir: Path, tmp_path: Path, url: str) -> tuple[Practice, Practice]:
    other = tmp_path / "front-office"
    shutil.copytree(practice_dir, other)
    return Practice(practice_dir, url), Practice(other, url)


def shared_sqlite(tmp_path: Path) -> str:
    folder = tmp_path / "server-share"
    folder.mkdir()
    return f"sqlite:///{folder / 'medsheets.db'}"


def test_two_folders_on_one_sqlite_ledger_exclude_each_other(practice_dir: Path,
                                                             tmp_path: Path) -> None:
    first, second = two_folders(practice_dir, tmp_path, shared_sqlite(tmp_path))
    with hold_practice(first, "claims"):
        with pytest.raises(LedgerBusyError, match="another practice folder, is using this ledger"):
            with hold_practice(second, "claims"):
                pass
    with hold_practice(second, "claims"):  # released when the first run ended
        pass


def test_separate_ledgers_do_not_block_each_other(practice_dir: Path, tmp_path: Path) -> None:
    first = Practice(practice_dir, shared_sqlite(tmp_path))
    other = tmp_path / "elsewhere"
    shutil.copytree(practice_dir, other)
    with hold_practice(first, "claims"), hold_practice(Practice(other), "claims"):
        pass


def test_a_second_billers_claims_run_is_refused_while_the_first_holds_the_ledger(
    practice_dir: Path, tmp_path: Path, invoke
) -> None:
    url = shared_sqlite(tmp_path)
    first, second = two_folders(practice_dir, tmp_path, url)
    books = sorted((second.root / "encounters").glob("*.xlsx"))
    with hold_practice(first, "claims"):
        refused = invoke("claims", "--practice", second.root, "--db", url, *books)
    assert refused.exit_code == 2 and "is using this ledger" in refused.stderr
    assert not list((second.root / "out" / "claims").glob("*.837"))
    billed = invoke("claims", "--practice", second.root, "--db", url, *books)
    assert billed.exit_code == 0, billed.output


def test_two_folders_on_one_postgresql_ledger_exclude_each_other(practice_dir: Path,
                                                                 tmp_path: Path,
                                                                 pg_url: str) -> None:
    Ledger.open(pg_url).close()
    first, second = two_folders(practice_dir, tmp_path, pg_url)
    with hold_practice(first, "claims"):
        with pytest.raises(LedgerBusyError, match="is using this ledger"):
            with hold_practice(second, "remit"):
                pass
    with hold_practice(second, "remit"):
        pass
