"""Benchmark: the 837P writer alone, on the claims of the large generated day.

    python benchmarks/bench_837.py [--lines 100000]

Checks the workbook bench_check.py generates (cached in the temp folder) once, then prints, in
one run, CPU seconds (user+sys of this process) of: `write_837p` of every clean insured claim;
the floor, putting the same text together from its segment lines (one join) and writing it to
a file; and their ratio. Also the claims, segments and bytes written and the sha256 of the
text, so a change can be shown to write the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import tempfile
import time
from pathlib import Path

from bench_check import cached_workbook
from click.testing import CliRunner

from medsheets.check import check_workbook
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
    with tempfile.TemporaryDirectory() as tmp:
        practice_dir = Path(tmp) / "practice"
        CliRunner().invoke(cli, ["init", str(practice_dir)])
        workbook = cached_workbook(args.lines, practice_dir, as_of)
        practice = open_practice(practice_dir)
        codesets = load_codesets(practice).codesets
        checked = check_workbook(workbook, practice, as_of=as_of, codesets=load_codesets(practice))
        insured = [e for e in checked.clean_encounters if not e.is_self_pay]
        if not insured:
            raise SystemExit("the generated day has no clean insured claim: fix bench_check's generator")

        start = time.process_time()
        text = write_837p(insured, party=practice.config.billing_party, payers=codesets.payers,
                          control=ControlNumbers(1, 1, 1), now=dt.datetime.combine(as_of, dt.time()),
                          line_control_numbers={}, providers=codesets.providers)
        writer = time.process_time() - start

        lines = text.splitlines(keepends=True)
        start = time.process_time()
        (Path(tmp) / "floor.837").write_text("".join(lines))
        floor = time.process_time() - start

        print(f"claims {len(insured):,}, segments {len(lines):,}, {len(text.encode()):,} bytes, "
              f"sha256 {hashlib.sha256(text.encode()).hexdigest()}")
        print(f"write_837p             {writer:7.2f} s CPU  ({writer / len(insured) * 1e6:.0f} µs a claim)")
        print(f"floor (join + write)   {floor:7.2f} s CPU")
        print(f"ratio                  {writer / floor:7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
