"""What a terminal user meets at once: a closed pipe ends quietly, and no message shows
Python's `None`, a repr or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clock import TODAY
from encounter_cells import edit_cells
from workbook_factory import minimal_day


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(practice_dir: Path,
                                                                 tmp_path: Path) -> None:
    day = minimal_day(tmp_path / "day.xlsx", 1500, procedure_code="99999", dx1="E11")
    child = subprocess.Popen(
        [sys.executable, "-m", "medsheets", "check", "--practice", str(practice_dir),
         "--as-of", TODAY.isoformat(), str(day)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "100"})
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()  # `| head -1`
    child.stdout.close()
    error = child.stderr.read().decode()
    code = child.wait(timeout=120)
    assert first.startswith(b"day.xlsx")
    assert error == "" and code == 141  # SIGPIPE's status, as `grep | head` ends


def test_a_claim_whose_date_cannot_be_read_is_named_without_none(
    practice_dir: Path, tmp_path: Path, invoke
) -> None:
    source = sorted((practice_dir / "encounters").glob("*.xlsx"))[0]
    bad = edit_cells(source, {(1, "date_of_service"): "someday"}, tmp_path / "day.xlsx")
    result = invoke("check", "--practice", practice_dir, bad)
    assert result.exit_code == 1
    header = next(line for line in result.output.splitlines() if line.startswith("Claim "))
    assert "None" not in result.output and "Traceback" not in result.output
    assert header.startswith("Claim ") and ", ," not in header and "account " in header
