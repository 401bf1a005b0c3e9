"""Progress on long work: a bar on a terminal (a real pty here), nothing in captured output."""

from __future__ import annotations

import contextlib
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner
from clock import NOW, TODAY
from remit_support import large_835
from workbook_factory import minimal_day

from medsheets.cli import cli
from medsheets.practice import open_practice
from medsheets.progress import Advance, counted
from medsheets.remit.run import post_remit_files


def run_with_stderr_on_a_terminal(args: list[str]) -> bytes:
    """What the terminal shows of stderr while the command runs (stdout goes to a pipe)."""
    controller, terminal = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "medsheets", *args], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=terminal,
                             env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        shown += chunk
    child.wait(timeout=300)
    os.close(controller)
    return shown


def test_check_shows_its_phases_on_a_terminal(practice_dir: Path, tmp_path: Path) -> None:
    day = minimal_day(tmp_path / "day.xlsx", 5000)
    shown = run_with_stderr_on_a_terminal(["check", "--practice", str(practice_dir),
                                           "--as-of", TODAY.isoformat(), str(day)])
    assert b"Reading day.xlsx" in shown and b"Checking day.xlsx" in shown


def test_captured_output_carries_no_progress(practice_dir: Path, tmp_path: Path) -> None:
    day = minimal_day(tmp_path / "day.xlsx", 50)
    result = CliRunner().invoke(cli, ["check", "--practice", str(practice_dir), "--as-of",
                                      TODAY.isoformat(), str(day)])
    assert "Reading day.xlsx" not in result.output + result.stderr
    assert "Checking day.xlsx" not in result.output + result.stderr
    assert result.exit_code == 1  # the rows lack the patient's details: the check still ran


def test_aging_shows_its_phases_on_a_terminal(practice_dir: Path) -> None:
    shown = run_with_stderr_on_a_terminal(["aging", "--practice", str(practice_dir),
                                           "--as-of", TODAY.isoformat()])
    for phase in (b"Reading the ledger", b"Writing Detail", b"Writing By Patient",
                  f"Saving aging-{TODAY.isoformat()}.xlsx".encode()):
        assert phase in shown, phase
    assert (practice_dir / "out" / "aging" / f"aging-{TODAY.isoformat()}.xlsx").is_file()


def test_aging_captured_output_carries_no_progress(practice_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["aging", "--practice", str(practice_dir), "--as-of",
                                      TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "written:" in result.output
    assert "Reading the ledger" not in result.output + result.stderr
    assert "Writing Detail" not in result.output + result.stderr


def test_remit_shows_its_phases_on_a_terminal(practice_dir: Path) -> None:
    era = practice_dir / "remits" / "big.835"
    era.write_text(large_835(300))
    shown = run_with_stderr_on_a_terminal(["remit", "--practice", str(practice_dir),
                                           "--as-of", TODAY.isoformat(), str(era)])
    assert b"Reading big.835" in shown and b"Posting claims" in shown
    assert b"Writing remit-" in shown  # the report, listing the 300 claims never billed


def test_remit_captured_output_carries_no_progress(practice_dir: Path) -> None:
    era = practice_dir / "remits" / "big.835"
    era.write_text(large_835(20))
    result = CliRunner().invoke(cli, ["remit", "--practice", str(practice_dir), "--as-of",
                                      TODAY.isoformat(), str(era)])
    assert result.exit_code == 1  # claims this practice never billed
    assert "unmatched: 20 claims" in result.output
    assert "Reading big.835" not in result.output + result.stderr
    assert "Posting claims" not in result.output + result.stderr


class Recorded:
    """A Progress that keeps each phase's label, total and what it was told was done."""

    def __init__(self) -> None:
        self.phases: dict[str, list[int | None]] = {}

    @contextlib.contextmanager
    def phase(self, label: str, total: int | None = None) -> Iterator[Advance]:
        told = self.phases.setdefault(label, [total, 0])
        yield lambda done: told.__setitem__(1, told[1] + done)


def test_remit_posting_advances_by_every_claim(practice_dir: Path) -> None:
    era = practice_dir / "remits" / "big.835"
    era.write_text(large_835(45))
    recorded = Recorded()
    post_remit_files(open_practice(practice_dir), [era], now=NOW, progress=recorded)
    assert recorded.phases["Reading big.835"] == [None, 0]
    assert recorded.phases["Posting claims"] == [45, 45]


def test_counted_reports_every_item_once() -> None:
    told: list[int] = []
    assert list(counted(range(4500), told.append, every=2000)) == list(range(4500))
    assert told == [2000, 2000, 500] and sum(told) == 4500
    told.clear()
    assert list(counted([], told.append)) == [] and sum(told) == 0
