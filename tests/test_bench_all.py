"""benchmarks/bench_all.py at tiny size: every row of issue 16's table comes out, in one run.

A smoke test for correctness only (the script runs, every child succeeds, every row carries a
verdict); the figures of a tiny run mean nothing and nothing here is timed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_all.py"
ROWS = ("check, 2026-11-23.xlsx (whole process)", "medsheets --help",
        "check, 2026-11-24.xlsx with a ledger", "check, 90 lines",
        "claims, 90 lines", "remit, 8 claims in 2 835s", "peak memory, check 90 lines")


def test_bench_all_prints_every_row_with_a_verdict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--lines", "90", "--claims", "8", "--files", "2"],
        capture_output=True, text=True, check=False, env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = {line[:40].strip(): line for line in done.stdout.splitlines()}
    for work in ROWS:
        assert work in table, f"{work!r} missing from:\n{done.stdout}"
        assert re.search(r"(yes|no)(/(yes|no))?$", table[work]), table[work]
    assert re.search(r"^peak memory, check 90 lines\s+\d+ ", table[ROWS[-1]]), table[ROWS[-1]]



def test_only_runs_the_rows_named(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--only", "small,help"],
        capture_output=True, text=True, check=False, env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = {line[:40].strip() for line in done.stdout.splitlines()}
    assert {ROWS[0], ROWS[1]} <= table, done.stdout
    assert not any(line.startswith(("check, 300", "claims", "remit", "peak"))
                   for line in done.stdout.splitlines()), done.stdout


def test_only_refuses_a_row_it_does_not_have() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--only", "small,speed"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "no row speed" in done.stderr


def test_a_big_row_alternates_its_floor_and_medsheets_and_keeps_the_fastest_of_each() -> None:
    sys.path.insert(0, str(BENCH.parent))
    try:
        import bench_all
        from child_process import Run
    finally:
        sys.path.remove(str(BENCH.parent))
    order: list[str] = []
    ours_cpu, ours_peak, floor_cpu = [4.0, 3.0, 5.0], [140.0, 150.0, 120.0], [2.0, 1.5, 1.8]

    def ours(number: int) -> Run:
        order.append(f"ours {number}")
        return Run(ours_cpu[number] + 0.1, ours_cpu[number], ours_peak[number], 0, "")

    def floor() -> Run:
        order.append("floor")
        cpu = floor_cpu[order.count("floor") - 1]
        return Run(cpu + 0.1, cpu, 10.0, 0, "")

    paired = bench_all.alternated(3, ours, floor)
    assert order == ["floor", "ours 0", "floor", "ours 1", "floor", "ours 2"]
    assert (paired.ours.cpu, paired.floor.cpu) == (3.0, 1.5)  # the fastest of each, by CPU
    assert paired.highest.peak_mb == 150.0  # memory: the highest any run of medsheets reached
