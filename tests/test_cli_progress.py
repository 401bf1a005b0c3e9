"""Progress on long work: a bar on a terminal (a real pty here), nothing in captured output."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from clock import TODAY
from workbook_factory import minimal_day

from medsheets.cli import cli


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
