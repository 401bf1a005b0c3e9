"""The claims summary workbook is owed like the 837: a `claims` run killed (SIGKILL) or stopped
by a full disk after its commit, before or while the summary was written, leaves no torn
workbook, and the next run from that folder writes it, with the rows a run never stopped writes.
"""

from __future__ import annotations

import datetime as dt
import errno
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from medsheets.claims import bill_workbooks
from medsheets.practice import Practice, open_practice

NOW = dt.datetime(2026, 11, 27, 10, 30)
LATER = dt.datetime(2026, 11, 27, 11, 0)

DRIVER = """
import datetime as dt, os, signal, sys
import medsheets.workbook.report_book as report_book
import medsheets.billing_summary as summary
import medsheets.claims as billing
from medsheets.practice import open_practice

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if sys.argv[2] == "before-summary":
    summary.write_claims_summary = die
elif sys.argv[2] == "half-written-summary":
    def half(book, target):
        with open(target, "wb") as torn:
            torn.write(b"PK\\x03\\x04 half a workbook")
        die()
    report_book.write_xlsx = half
practice = open_practice(sys.argv[1])
books = sorted((practice.root / "encounters").glob("*.xlsx"))
billing.bill_workbooks(practice, books, now=dt.datetime(2026, 11, 27, 10, 30))
"""


def books(folder: Path) -> list[Path]:
    return sorted((folder / "encounters").glob("*.xlsx"))


def summaries(folder: Path) -> list[Path]:
    return sorted((folder / "out" / "claims").glob("*.xlsx"))


def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's values; the 837's name (it carries the run's time) as "THE-837"."""
    book = openpyxl.load_workbook(path)
    values = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert values["Totals"][-1][0] == "claim file"
    assert values["Totals"][-1][1] == path.stem + ".837"  # the batch beside it
    values["Totals"][-1] = ("claim file", "THE-837")
    return values


@pytest.fixture
def never_stopped(practice_dir: Path, tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The summary of the same day billed by a run nobody stopped, in a copy of the folder."""
    copy = tmp_path / "never-stopped"
    shutil.copytree(practice_dir, copy)
    result = bill_workbooks(open_practice(copy), books(copy), now=NOW)
    assert result.summary_file is not None and result.billed
    return sheets(result.summary_file)


def assert_restored_by_the_next_run(folder: Path, expected: dict[str, list[tuple[object, ...]]]
                                    ) -> Practice:
    practice = open_practice(folder)
    assert summaries(folder) == []  # never a torn workbook, at most a hidden .part
    again = bill_workbooks(practice, books(folder), now=LATER)
    assert again.billed == [] and again.summary_file is None  # nothing billed twice
    (restored,) = summaries(folder)
    assert restored.name in again.restored_files
    assert restored.name == next((folder / "out" / "claims").glob("*.837")).stem + ".xlsx"
    assert sheets(restored) == expected
    assert restored.stat().st_mode & 0o077 == 0
    return practice


@pytest.mark.parametrize("point", ["before-summary", "half-written-summary"])
def test_a_summary_lost_to_a_kill_is_written_by_the_next_run(practice_dir: Path, point: str,
                                                             never_stopped) -> None:
    child = subprocess.run([sys.executable, "-c", DRIVER, str(practice_dir), point],
                           check=False, capture_output=True, text=True, timeout=300)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert len(list((practice_dir / "out" / "claims").glob("*.837"))) == 1  # the 837 was written
    assert_restored_by_the_next_run(practice_dir, never_stopped)


def test_a_summary_lost_to_a_full_disk_is_written_by_the_next_run(
    practice_dir: Path, monkeypatch: pytest.MonkeyPatch, invoke, never_stopped
) -> None:
    import medsheets.billing_summary

    def disk_full(target: Path, *args: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    with monkeypatch.context() as patched:
        patched.setattr(medsheets.billing_summary, "write_claims_summary", disk_full)
        full = invoke("claims", "--practice", practice_dir, "--as-of", "2026-11-27",
                      *books(practice_dir))
    assert full.exit_code == 2 and "the disk is full" in full.stderr, full.output
    assert_restored_by_the_next_run(practice_dir, never_stopped)
    again = invoke("claims", "--practice", practice_dir, *books(practice_dir))
    assert again.exit_code == 0 and "restored" not in again.output  # written once, then left


def test_a_summary_in_its_place_is_left_alone_and_stays_with_its_folder(
    practice_dir: Path, tmp_path: Path
) -> None:
    """The nearest cases that must not restore: the file is there; another folder wrote it."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    written = bill_workbooks(open_practice(practice_dir, url), books(practice_dir), now=NOW)
    assert written.summary_file is not None
    before = written.summary_file.read_bytes()
    again = bill_workbooks(open_practice(practice_dir, url), books(practice_dir), now=LATER)
    assert again.restored_files == [] and written.summary_file.read_bytes() == before
    other = tmp_path / "front-office"
    shutil.copytree(practice_dir, other, ignore=shutil.ignore_patterns(".medsheets*", "out"))
    elsewhere = bill_workbooks(open_practice(other, url), books(other), now=LATER)
    assert elsewhere.restored_files == [] and summaries(other) == []
