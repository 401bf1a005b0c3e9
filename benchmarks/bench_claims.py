"""Benchmark: `claims` on a large encounter workbook, phase by phase, against a bare read.

    python benchmarks/bench_claims.py [--lines 100000]

Uses the workbook bench_check.py generates (cached in the temp folder). Prints, in one run:
the bare python-calamine read; `check` (read + every edit); the 837 generation alone; the whole
`claims` command on a fresh ledger (check + ledger import + 837 + files); lines per second for
each; and the ratio of the whole command to the bare read (target <= 3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
from bench_check import cached_workbook
from click.testing import CliRunner

from medsheets.check import check_workbook
from medsheets.claims import bill_workbooks
from medsheets.cli import cli
from medsheets.practice import open_practice
from medsheets.practice_files import load_codesets
from medsheets.x12.claim837 import write_837p
from medsheets.x12.envelope import ControlNumbers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    as_of = dt.date(2026, 11, 27)
    now = dt.datetime(2026, 11, 27, 12, 0)
    with tempfile.TemporaryDirectory() as tmp:
        practice_dir = Path(tmp) / "practice"
        CliRunner().invoke(cli, ["init", str(practice_dir)])
        for example in (practice_dir / "encounters").glob("*.xlsx"):
            example.unlink()
        workbook = cached_workbook(args.lines, practice_dir, as_of)
        practice = open_practice(practice_dir)
        codesets = load_codesets(practice)
        check_workbook(workbook, practice, as_of=as_of, codesets=codesets)  # warm: ICD release

        start = time.perf_counter()
        python_calamine.CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Encounters").to_python()
        read = time.perf_counter() - start

        start = time.perf_counter()
        checked = check_workbook(workbook, practice, as_of=as_of, codesets=codesets)
        check = time.perf_counter() - start

        insured = [e for e in checked.clean_encounters if not e.is_self_pay]
        if not insured:
            raise SystemExit("the generated day has no clean insured claim: fix bench_check's generator")
        start = time.perf_counter()
        text = write_837p(insured, party=practice.config.billing_party, payers=codesets.codesets.payers,
                          control=ControlNumbers(1, 1, 1), now=now, line_control_numbers={})
        generate = time.perf_counter() - start

        start = time.perf_counter()
        result = bill_workbooks(practice, [workbook], now=now)
        whole = time.perf_counter() - start
        lines = args.lines
        print(f"lines: {lines:,}; claims billed: {len(result.billed):,}; 837: {len(text) / 1e6:.1f} MB")
        for name, seconds in (("bare calamine read", read), ("check (read + edits)", check),
                              ("837 generation", generate), ("whole claims command", whole)):
            print(f"{name:24} {seconds:8.2f} s  {lines / seconds:10,.0f} lines/s")
        ledger = whole - check - generate
        print(f"{'ledger import (rest)':24} {ledger:8.2f} s  {lines / ledger:10,.0f} lines/s")
        print(f"ratio whole / bare read  {whole / read:8.2f} x  (target <= 3.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
