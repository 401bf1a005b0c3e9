"""Benchmark: `medsheets aging` over a big ledger, against openpyxl alone writing the same rows.

    python benchmarks/bench_aging.py [--lines 1000000] [--keep DIR]

Makes a practice with `medsheets init`, fills its ledger with N claim lines by bulk INSERTs
(tests/aging_support.generate_ledger: payments, adjustments, transfers, denials, statements),
then measures, each in a child process of its own (wall time and peak resident memory):

1. `medsheets aging` itself: every query, every sheet, the Detail cross-check, the save;
2. openpyxl alone in write-only mode writing the same Detail and By Patient rows (the two
   big sheets; the rows are taken from the ledger beforehand and streamed back from a pickle
   file), once as plain values and once with the same number formats aging applies.

The pickle read is timed on its own and reported, since it is part of the baseline's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

AS_OF = dt.date(2026, 11, 27)
CHUNK = 10_000


def run_child(args: list[str]) -> tuple[float, float, float]:
    """Run `args` through this script's --measure mode: (wall seconds, CPU seconds, peak MB).

    CPU time (user + system) is what to compare on a shared machine, where wall time depends
    on what else runs. The child reports its own peak memory (VmHWM): a forked child's
    ru_maxrss would include the parent's memory at the fork."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure",
                               peak.name, "--", *args], check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"child {' '.join(args)} failed")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return elapsed, cpu, int(peak.read().split()[0]) / 1024


def measure(peak_file: str, args: list[str]) -> int:
    """Run the medsheets CLI or a worker in this process, then write the peak memory (kB)."""
    if args[0] == "medsheets":
        from medsheets.cli import cli

        code = cli.main(args[1:], prog_name="medsheets", standalone_mode=False) or 0
    else:
        rows, out, mode = args
        unpickle_only(Path(rows)) if mode == "read" else baseline(Path(rows), Path(out), mode == "formats")
        code = 0
    status = Path("/proc/self/status").read_text()
    high_water = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    Path(peak_file).write_text(high_water.split()[1])
    return int(code)


def generate(practice_dir: Path, lines: int) -> None:
    from aging_support import generate_ledger
    from click.testing import CliRunner

    from medsheets.cli import cli
    from medsheets.ledger import Ledger
    from medsheets.practice import open_practice

    result = CliRunner().invoke(cli, ["init", str(practice_dir)])
    assert result.exit_code == 0, result.output
    start = time.perf_counter()
    with Ledger.open(open_practice(practice_dir).db_url) as ledger:
        made = generate_ledger(ledger, lines=lines, as_of=AS_OF)
    print(f"generated {made.lines:,} lines, {made.claims:,} claims, {made.patients:,} patients, "
          f"{made.journal:,} journal rows in {time.perf_counter() - start:.1f} s")


def dump_rows(practice_dir: Path, target: Path) -> tuple[int, int]:
    """The Detail and By Patient rows aging writes, pickled in chunks: (detail, patients)."""
    from medsheets.aging.layout import bucket_index, detail_values, dollars, patient_name
    from medsheets.ledger import Ledger
    from medsheets.ledger.reports.buckets import Scope
    from medsheets.ledger.reports.detail import detail_rows
    from medsheets.ledger.reports.totals import patient_rows
    from medsheets.practice import open_practice

    scope = Scope(AS_OF)
    counts = [0, 0]
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx, \
            target.open("wb") as out:
        chunk: list[tuple[Any, ...]] = []
        for row in detail_rows(tx, scope):
            bucket, age = bucket_index(scope, row)
            chunk.append(("D", detail_values(row, bucket, age)))
            counts[0] += 1
            if len(chunk) == CHUNK:
                pickle.dump(chunk, out)
                chunk = []
        for account in patient_rows(tx, scope):
            chunk.append(("P", (account.patient_id, patient_name(account.last_name, account.first_name),
                                account.phone, *account.owed.money(), dollars(account.owed.total),
                                dollars(account.insurance_cents), account.last_payment,
                                account.last_statement, account.statements, "")))
            counts[1] += 1
            if len(chunk) == CHUNK:
                pickle.dump(chunk, out)
                chunk = []
        pickle.dump(chunk, out)
    return counts[0], counts[1]


def read_chunks(path: Path) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    with path.open("rb") as source:
        while True:
            try:
                yield pickle.load(source)
            except EOFError:
                return


def baseline(rows_path: Path, target: Path, formatted: bool) -> None:
    """openpyxl alone: write-only workbook, the same rows, optionally the same formats."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheets = {"D": book.create_sheet("Detail"), "P": book.create_sheet("By Patient")}
    styles = {}
    for kind, fmt in ((Decimal, '"$"#,##0.00;[Red]-"$"#,##0.00'), (dt.date, "mm/dd/yyyy")):
        cell = WriteOnlyCell(sheets["D"])
        cell.number_format = fmt
        styles[kind] = cell._style

    def convert(sheet: Any, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            return cell
        style = styles.get(type(value)) if formatted else None
        if style is None:
            return value
        cell = WriteOnlyCell(sheet, value)
        cell._style = style
        return cell

    for chunk in read_chunks(rows_path):
        for which, values in chunk:
            sheet = sheets[which]
            sheet.append([convert(sheet, v) for v in values])
    book.save(target)


def unpickle_only(rows_path: Path) -> None:
    for _ in read_chunks(rows_path):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="keep the practice (and its ledger) in DIR")
    parser.add_argument("--measure", metavar="PEAK_FILE", help=argparse.SUPPRESS)
    parser.add_argument("child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure, args.child)
    with tempfile.TemporaryDirectory() as tmp:
        practice_dir = args.keep or Path(tmp) / "practice"
        if not (practice_dir / "medsheets.db").exists():
            generate(practice_dir, args.lines)
        report = practice_dir / "out" / "aging" / f"aging-{AS_OF.isoformat()}.xlsx"
        report.unlink(missing_ok=True)
        aging = run_child(["medsheets", "aging", "--practice", str(practice_dir),
                           "--as-of", AS_OF.isoformat()])
        print(f"workbook {report.stat().st_size / 1e6:.1f} MB")
        rows = Path(tmp) / "rows.pickle"
        detail, accounts = dump_rows(practice_dir, rows)
        read = run_child([str(rows), "-", "read"])
        plain = run_child([str(rows), str(Path(tmp) / "plain.xlsx"), "plain"])
        formats = run_child([str(rows), str(Path(tmp) / "formats.xlsx"), "formats"])
        print(f"rows: {detail:,} Detail + {accounts:,} By Patient (of {args.lines:,} claim lines)")
        print(f"{'':34}{'wall s':>10}{'CPU s':>10}{'peak MB':>10}")
        for name, (seconds, cpu, memory) in (
            ("medsheets aging (everything)", aging), ("openpyxl alone, plain values", plain),
            ("openpyxl alone, same formats", formats), ("  of which reading the pickle", read),
        ):
            print(f"{name:34}{seconds:10.1f}{cpu:10.1f}{memory:10.0f}")
        for name, base in (("same formats", formats), ("plain values", plain)):
            print(f"ratio aging / openpyxl ({name}): wall {aging[0] / base[0]:5.2f} x, "
                  f"CPU {aging[1] / base[1]:5.2f} x  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
