"""A lost, emptied or replaced ledger is refused before anything is billed again, and a
deliberate move is adopted with `medsheets init-ledger --adopt`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def books(practice: Path) -> list[Path]:
    return sorted((practice / "encounters").glob("*.xlsx"))


def claim_files(practice: Path) -> list[str]:
    return sorted(p.name for p in (practice / "out" / "claims").glob("*.837"))


@pytest.fixture
def billed(practice_dir: Path, invoke) -> Path:  # type: ignore[no-untyped-def]
    result = invoke("claims", "--practice", practice_dir, *books(practice_dir))
    assert result.exit_code == 0, result.output
    assert (practice_dir / ".medsheets-ledger").exists()
    return practice_dir


def refused(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    return line


def test_a_ledger_truncated_to_nothing_is_refused_and_nothing_is_billed_again(billed: Path,
                                                                              invoke) -> None:
    sent = claim_files(billed)
    for name in ("medsheets.db", "medsheets.db-wal", "medsheets.db-shm"):
        (billed / name).unlink(missing_ok=True)
    (billed / "medsheets.db").write_bytes(b"")  # what a failed copy leaves
    line = refused(invoke("claims", "--practice", billed, *books(billed)))
    assert "the ledger is empty" in line and "init-ledger --adopt" in line
    assert claim_files(billed) == sent


def test_another_practices_ledger_in_its_place_is_refused(billed: Path, practice_dir: Path,
                                                          tmp_path: Path, invoke) -> None:
    other = tmp_path / "other-practice"
    shutil.copytree(practice_dir, other, ignore=shutil.ignore_patterns("medsheets.db*", "out",
                                                                      ".medsheets-ledger"))
    (other / "out").mkdir()
    assert invoke("claims", "--practice", other, *books(other)).exit_code == 0
    for name in ("medsheets.db", "medsheets.db-wal", "medsheets.db-shm"):
        (billed / name).unlink(missing_ok=True)
    for name in ("medsheets.db", "medsheets.db-wal"):  # the ledger with its write-ahead log
        if (other / name).exists():
            shutil.copy(other / name, billed / name)
    line = refused(invoke("claims", "--practice", billed, *books(billed)))
    assert "not the one this practice folder has been using" in line
    adopted = invoke("init-ledger", "--adopt", "--practice", billed)
    assert adopted.exit_code == 0 and "adopted the ledger" in adopted.output
    again = invoke("claims", "--practice", billed, *books(billed))
    assert again.exit_code == 0 and "already billed" in again.output


def test_a_folder_that_billed_before_refuses_a_fresh_ledger_without_its_marker(
    billed: Path, invoke
) -> None:
    (billed / ".medsheets-ledger").unlink()
    for name in ("medsheets.db", "medsheets.db-wal", "medsheets.db-shm"):
        (billed / name).unlink(missing_ok=True)
    line = refused(invoke("claims", "--practice", billed, *books(billed)))
    assert "out/claims/ holds 1 claim file(s)" in line
    adopted = invoke("init-ledger", "--adopt", "--practice", billed)
    assert adopted.exit_code == 0 and "adopted an empty ledger" in adopted.output
    assert invoke("claims", "--practice", billed, *books(billed)).exit_code == 0


def test_a_new_practice_and_a_shared_ledger_need_nothing(practice_dir: Path, tmp_path: Path,
                                                         invoke) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    second = tmp_path / "second-folder"
    shutil.copytree(practice_dir, second)
    assert invoke("claims", "--practice", practice_dir, "--db", url,
                  *books(practice_dir)).exit_code == 0
    again = invoke("claims", "--practice", second, "--db", url, *books(second))
    assert again.exit_code == 0 and "already billed" in again.output
