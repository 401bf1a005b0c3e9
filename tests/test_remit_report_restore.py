"""The remit report is owed like the claims summary: a `remit` run killed (SIGKILL) after its
commit, before or while its report was written, leaves no torn workbook, and the next `remit`
from that folder writes the report with the cells a run never stopped writes (issue 17)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from remit_support import NOW, Clp, Svc, bill, db_url, era, rows

from medsheets.ledger.schema import journal
from medsheets.practice import open_practice
from medsheets.remit.run import post_remit_files

KILLED = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import medsheets.remit.run as remit
import medsheets.workbook.report_book as report_book
from medsheets.practice import open_practice
from remit_support import NOW

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def torn_then_die(book, target):
    Path(target).write_bytes(b"PK half a report")
    die()

if {point!r} == "before-report":
    remit.write_result_report = die
else:
    report_book.write_xlsx = torn_then_die
remit.post_remit_files(open_practice({practice!r}), [Path({file!r})], now=NOW)
"""


def reports(folder: Path) -> list[Path]:
    return sorted((folder / "out" / "reports").glob("remit-*.xlsx"))


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def remittance(folder: Path) -> Path:
    """An 835 paying one of two billed claims, denying a line of it, and one never billed."""
    bill(folder, "H1", ("99213", "100.00"), ("36415", "20.00"))
    path = folder / "remits" / "era.835"
    path.write_text(era([
        Clp("H1", "1", "120", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "20"),)),
                                          Svc("36415", "20", "0", (("CO", "97", "20"),)))),
        Clp("NEVER1", "1", "50", "50", svcs=(Svc("99212", "50", "50"),)),
    ]))
    return path


@pytest.mark.parametrize("point", ["before-report", "half-saved-report"])
def test_a_report_lost_to_a_kill_is_written_by_the_next_run(practice_dir: Path, tmp_path: Path,
                                                            point: str) -> None:
    path = remittance(practice_dir)
    copy = tmp_path / "never-stopped"
    shutil.copytree(practice_dir, copy)
    never_stopped = post_remit_files(open_practice(copy), [copy / "remits" / "era.835"], now=NOW)
    assert never_stopped.report_file is not None
    expected = cells(never_stopped.report_file)
    assert expected["Payments"][1:] and expected["Unmatched"][1:]  # something to lose

    code = KILLED.format(tests=str(Path(__file__).parent), practice=str(practice_dir),
                         file=str(path), point=point)
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=False,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert reports(practice_dir) == []  # no torn workbook: at most a hidden .part
    posted = len(rows(db_url(practice_dir), journal))

    again = post_remit_files(open_practice(practice_dir), [path], now=NOW)
    (restored,) = reports(practice_dir)
    assert again.restored_files == [restored.name] and again.report_file is None
    assert restored.name == never_stopped.report_file.name
    assert cells(restored) == expected
    assert restored.stat().st_mode & 0o077 == 0
    assert not list((practice_dir / "out" / "reports").glob(".*.part"))
    assert len(rows(db_url(practice_dir), journal)) == posted  # nothing posted twice

    third = post_remit_files(open_practice(practice_dir), [path], now=NOW)
    assert third.restored_files == [] and reports(practice_dir) == [restored]  # written once


def test_a_report_in_its_place_is_left_alone_and_another_folder_does_not_get_it(
        practice_dir: Path, tmp_path: Path) -> None:
    """The nearest cases that must not restore: the report is there; another folder wrote it."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    path = remittance(practice_dir)
    shutil.copy(practice_dir / "medsheets.db", tmp_path / "shared.db")
    written = post_remit_files(open_practice(practice_dir, url), [path], now=NOW)
    assert written.report_file is not None
    before = written.report_file.read_bytes()
    again = post_remit_files(open_practice(practice_dir, url), [path], now=NOW)
    assert again.restored_files == [] and written.report_file.read_bytes() == before
    other = tmp_path / "front-office"
    shutil.copytree(practice_dir, other, ignore=shutil.ignore_patterns(".medsheets*", "out"))
    elsewhere = post_remit_files(open_practice(other, url), [other / "remits" / "era.835"], now=NOW)
    assert elsewhere.restored_files == [] and reports(other) == []
