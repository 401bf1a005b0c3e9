"""Benchmark: `check` on a large encounter workbook against a bare python-calamine read of it.

    python benchmarks/bench_check.py [--lines 100000] [--repeat 3]

Creates a practice with `medsheets init` in a temporary folder, writes an encounter workbook of
N service lines drawn from the example's fee schedule, then prints in one run: the time of a
bare calamine read of that workbook, the time of the full `check` (read, convert, every edit;
code sets and the ICD-10-CM release loaded once, timed apart), and their ratio. Each figure is
the best of --repeat runs, since the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine
from click.testing import CliRunner

from medsheets.check import check_workbook
from medsheets.cli import cli
from medsheets.codes.edits_global import PREVENTIVE_CODES
from medsheets.practice import open_practice
from medsheets.practice_files import load_codesets

HEADERS = [
    "encounter_id", "date_of_service", "patient_id", "patient_last_name", "patient_first_name",
    "patient_dob", "patient_sex", "patient_address", "patient_city", "patient_state", "patient_zip",
    "patient_email", "payer_id", "member_id", "group_number", "subscriber_relationship",
    "procedure_code", "modifier1", "units", "charge", "dx1", "dx2", "place_of_service",
    "rendering_npi", "copay_collected",
]
DIAGNOSES = ["I10", "E11.9", "E78.5", "J06.9", "M54.50", "Z00.00", "R05.9", "K21.9", "F41.1",
             "J45.909", "N39.0", "E66.9", "Z23", "M25.561", "R51.9", "H10.9"]
LAST = ["Smith", "Johnson", "O'Brien", "Peña", "Nguyen", "Garcia", "Miller", "Davis", "Kowalski"]
FIRST = ["Ann", "José", "Li", "Maria", "John", "Aisha", "Tom", "Eve", "Sam"]


# One line in FAULT_EVERY carries one of these mistakes (column, value), so that the problem
# path is measured too and the problems found can be compared before and after a change.
FAULTS = (("procedure_code", "99999"), ("dx1", "E11"), ("member_id", None),
          ("payer_id", "NOSUCH"), ("units", 0), ("dx1", "ZZZ.9"))
FAULT_EVERY = 97
GENERATOR_VERSION = 2  # part of the cached file's name: a changed generator makes a new file


def write_workbook(path: Path, lines: int, practice_dir: Path, as_of: dt.date) -> None:
    """N service lines (3 per encounter) with valid codes from the practice's own code sets,
    except one line in FAULT_EVERY that carries one of FAULTS."""
    codesets = load_codesets(open_practice(practice_dir)).codesets
    rng = random.Random(7)
    days = [as_of - dt.timedelta(days=d) for d in range(1, 30)]
    bundled = {edit.column2 for edit in codesets.edits} | {edit.column1 for edit in codesets.edits}
    procedures = [p for p in codesets.procedures.values()
                  if p.sex is None and p.min_age is None and p.max_age is None
                  and p.terminated is None and p.code not in bundled
                  and p.code not in PREVENTIVE_CODES and p.global_days is None]
    payers = sorted(codesets.payers)
    npi = min(codesets.providers)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Encounters")
    sheet.append(HEADERS)
    for n in range(lines):
        encounter = n // 3
        rng.seed(encounter)  # the lines of one encounter share patient, day and payer
        day = rng.choice(days)
        patient = f"{100000 + encounter:07d}"
        payer = rng.choice(payers)
        rng.seed(n)
        procedure = procedures[(encounter + n % 3) % len(procedures)]
        row = [
            f"B{encounter:07d}", day, patient, rng.choice(LAST), rng.choice(FIRST),
            dt.date(1950 + encounter % 50, 1 + encounter % 12, 1 + encounter % 28),
            "F" if encounter % 2 else "M", f"{encounter % 900 + 1} Elm St", "Springfield", "IL",
            "62701", "patient@example.com", payer, f"M{encounter:09d}", "G100", "self",
            procedure.code, "", 1, None, rng.choice(DIAGNOSES), rng.choice(DIAGNOSES), "11",
            npi, None,
        ]
        if n % FAULT_EVERY == FAULT_EVERY - 1:
            column, value = FAULTS[(n // FAULT_EVERY) % len(FAULTS)]
            row[HEADERS.index(column)] = value
        sheet.append(row)
    book.save(path)


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def cached_workbook(lines: int, practice_dir: Path, as_of: dt.date) -> Path:
    """The generated workbook, kept in the temp folder between runs (writing it takes a minute).

    The name carries a digest of the practice's code sets the day is drawn from: a day cached
    from other code sets (an earlier example practice, say, before one of its payers took
    paper) is never measured as if it were this one."""
    codesets = open_practice(practice_dir).codesets_path.read_bytes()
    digest = hashlib.sha256(codesets).hexdigest()[:10]
    path = Path(tempfile.gettempdir()) / f"medsheets-bench-v{GENERATOR_VERSION}-{digest}-{lines}.xlsx"
    if not path.exists():
        start = time.perf_counter()
        write_workbook(path, lines, practice_dir, as_of)
        print(f"generated {lines:,} lines in {time.perf_counter() - start:.1f} s")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    as_of = dt.date(2026, 11, 27)
    with tempfile.TemporaryDirectory() as tmp:
        practice_dir = Path(tmp) / "practice"
        init = CliRunner().invoke(cli, ["init", str(practice_dir)])
        if init.exit_code != 0:
            print(init.output, file=sys.stderr)
            return 1
        workbook = cached_workbook(args.lines, practice_dir, as_of)
        print(f"workbook: {workbook} ({workbook.stat().st_size / 1e6:.1f} MB)")

        practice = open_practice(practice_dir)
        load_time, codesets = best_of(1, lambda: load_codesets(practice))
        icd_start = time.perf_counter()
        from medsheets.codes import icd10
        icd10.status("I10")
        icd_time = time.perf_counter() - icd_start

        def bare_read() -> int:
            book = python_calamine.CalamineWorkbook.from_path(str(workbook))
            return len(book.get_sheet_by_name("Encounters").to_python())

        read_time, rows = best_of(args.repeat, bare_read)
        check_time, result = best_of(
            args.repeat, lambda: check_workbook(workbook, practice, as_of=as_of, codesets=codesets))
        print(f"code sets load            {load_time:8.3f} s (once per command)")
        print(f"ICD-10-CM release load    {icd_time:8.3f} s (once per process)")
        print(f"bare calamine read        {read_time:8.3f} s  {rows - 1:,} rows")
        print(f"check (read + all edits)  {check_time:8.3f} s  {len(result.encounters):,} claims, "
              f"{result.errors} errors, {result.warnings} warnings")
        print(f"ratio check / bare read   {check_time / read_time:8.2f} x  (target <= 2.0)")
        print(f"lines per second (check)  {args.lines / check_time:10,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
