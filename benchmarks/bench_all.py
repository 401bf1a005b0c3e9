"""Benchmark: every row of issue 16's table, medsheets against its floor, in one run.

    python benchmarks/bench_all.py [--quick] [--lines 100000] [--claims 7480] [--files 4]
                                   [--repeat 3] [--big-repeat 3]
                                   [--only small,returning,help,check,claims,remit,memory]

Each figure is a whole process of its own (the interpreter, the imports, the work, the exit),
started by this script, so that what is measured is what a user waits for:

| work                         | medsheets                      | floor                            |
|------------------------------|--------------------------------|----------------------------------|
| `check` on a 40-line day     | `medsheets check` the example  | python + calamine read of it     |
| the same, with a ledger      | the next day, first one billed | python + calamine read of it     |
| `medsheets --help`           | `medsheets --help`             | (target in seconds)              |
| `check`, N lines             | `medsheets check` the big day  | python + calamine read of it     |
| `claims`, N lines            | `medsheets claims`, new ledger | python + calamine read of it     |
| `remit`, C claims in F 835s  | `medsheets remit` of the F     | python + pyx12 reading segments  |
| peak memory, `check` N lines | VmHWM of the `check` above     | (target in MB)                   |

Wall time depends on what else runs on the (shared) machine; CPU time (user + system of the
child) is the steadier figure, so the ratio and the verdict are given for both. Each figure is
the fastest (by CPU) of several runs, medsheets' and its floor's alike: `--repeat` of the small
rows, `--big-repeat` of the big ones, where each run of medsheets follows one of its floor, so
that both meet the same phases of a machine whose speed moves by a third within minutes. Peak
memory is the child's own high-water mark (/proc/self/status VmHWM, written at exit), the
highest of the runs. The big day is
bench_check.py's generated workbook (cached in the temp folder); the remit ledger is billed
by bench_remit.py's helpers. The "with a ledger" row is a returning practice's day: the
example's second day checked after `claims` billed its first (the small row's practice has
no ledger, which a practice has only before its first day). `--quick` runs tiny sizes: a smoke test, not a measurement.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from child_process import Run, run_child  # beside this script

AS_OF = dt.date(2026, 11, 27)
REMIT_AS_OF = dt.date(2026, 12, 2)  # the day after the 835s' payment date
EXAMPLE_DAY = "2026-11-23.xlsx"  # the example's 40-odd-line day
NEXT_DAY = "2026-11-24.xlsx"  # its second day (45 lines), checked once the first is billed
HELD = (0, 1)  # the exit codes of a day's work: a day with problems exits 1, not a failure

MEDSHEETS = "import sys\nfrom medsheets.cli import main\nsys.argv[0] = 'medsheets'\nmain()\n"
CALAMINE = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_name("Encounters").to_python()
"""
PYX12 = """
import sys, pyx12.x12file
for path in sys.argv[1:]:
    with pyx12.x12file.X12Reader(path) as reader:
        segments = sum(1 for _ in reader)
"""


def child(code: str, args: list[str], *, ok: tuple[int, ...] = (0,)) -> Run:
    """`run_child`, failing loudly on an unexpected exit code."""
    done = run_child(code, args)
    if done.code not in ok:
        raise SystemExit(f"child {args[:3]} exited {done.code}:\n{done.output[-4000:]}")
    return done


def best(repeat: int, work: list[str], code: str, ok: tuple[int, ...] = (0,)) -> Run:
    """The fastest (by CPU) of `repeat` runs: the machine is shared and noisy."""
    return min((child(code, work, ok=ok) for _ in range(repeat)), key=lambda run: run.cpu)


@dataclass(frozen=True)
class Paired:
    """A big row's runs: medsheets' fastest, its floor's fastest, and medsheets' run that
    reached the highest peak memory (memory is not a matter of luck: the worst run counts)."""

    ours: Run
    floor: Run
    highest: Run


def alternated(repeat: int, ours: Callable[[int], Run], floor: Callable[[], Run]) -> Paired:
    """`repeat` rounds of the floor then medsheets (`ours(round)`), the fastest by CPU of each
    kept. Alternating puts both through the same phases of a shared machine, whose speed
    moves by a third within minutes: one run of each can fall in different phases."""
    floors, runs = [], []
    for number in range(repeat):
        floors.append(floor())
        runs.append(ours(number))
    return Paired(min(runs, key=lambda run: run.cpu), min(floors, key=lambda run: run.cpu),
                  max(runs, key=lambda run: run.peak_mb))


def compile_package() -> None:
    """Byte-compile medsheets once, as installing it from a wheel does: where
    PYTHONDONTWRITEBYTECODE is set (as on the shared machine), every child would otherwise
    compile each module it imports, every time, and measure the compiler."""
    import compileall

    import medsheets

    compileall.compile_dir(str(Path(medsheets.__file__).parent), quiet=1)


def build_code_index() -> None:
    """Build the ICD-10-CM index in the user cache before anything is timed: the first use
    after an install or upgrade builds it once (seconds, and the release's whole tree in
    memory), which a day's `check` after that never pays."""
    child("from medsheets.codes import icd10\nicd10.status('E119')\n", [])


def init_practice(where: Path) -> Path:
    done = subprocess.run([sys.executable, "-c", MEDSHEETS, "init", str(where)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"medsheets init failed: {done.stderr}")
    return where


def remit_practice(where: Path, claims: int, files: int) -> list[str]:
    """A practice whose ledger bills `claims` two-line claims, and `files` 835s paying them all."""
    from bench_remit import bill, remittance

    from medsheets.practice import open_practice

    init_practice(where)
    bill(open_practice(where).db_url, claims)
    paths = []
    share = -(-claims // files)
    for number, start in enumerate(range(0, claims, share), start=1):
        path = where / "remits" / f"bench-{number}.835"
        path.write_text(remittance(min(share, claims - start), start, trace=f"BENCH{number}"))
        paths.append(str(path))
    return paths


def claims_of(where: Path, big: Path) -> Run:
    """`claims` of the big day in a new practice of its own (a second run in the same one
    would find the day billed), removed once measured."""
    init_practice(where)
    for example in (where / "encounters").glob("*.xlsx"):
        example.unlink()
    shutil.copy(big, where / "encounters" / big.name)
    done = child(MEDSHEETS, medsheets("claims", "--practice", str(where),
                                      str(where / "encounters" / big.name)), ok=HELD)
    shutil.rmtree(where)
    return done


def remit_of(billed: Path, remits: list[str], number: int) -> Run:
    """`remit` of the 835s in a copy of the billed practice (posting changes the ledger: each
    run starts from the same one), removed once measured."""
    where = billed.with_name(f"{billed.name}-{number}")
    shutil.copytree(billed, where)
    done = child(MEDSHEETS, medsheets("remit", "--practice", str(where),
                                      *(str(where / Path(path).relative_to(billed)) for path in remits),
                                      as_of=REMIT_AS_OF))
    shutil.rmtree(where)
    return done


def medsheets(*args: str, as_of: dt.date = AS_OF) -> list[str]:
    return [*args, "--as-of", as_of.isoformat()]


@dataclass(frozen=True)
class Row:
    work: str
    ours: Run
    floor: Run | None
    target: float  # a ratio to the floor, or seconds / MB when there is no floor
    unit: str = "x"

    def measured(self, which: str) -> float:
        if self.unit == "MB":
            return self.ours.peak_mb
        ours = getattr(self.ours, which)
        return ours / getattr(self.floor, which) if self.floor else ours

    def line(self) -> str:
        if self.unit == "MB":
            figures = f"{'':>7}{'':>7}{'':>7}{'':>7}{self.ours.peak_mb:>8.0f}{'':>8}"
            verdict = "yes" if self.ours.peak_mb <= self.target else "no"
            return f"{self.work:40}{figures}{'<= ' + f'{self.target:g} MB':>11}  {verdict}"
        floor = (f"{self.floor.wall:7.2f}{self.floor.cpu:7.2f}" if self.floor else f"{'—':>7}{'—':>7}")
        ratios = (f"{self.measured('wall'):7.1f}x{self.measured('cpu'):7.1f}x" if self.floor
                  else f"{'—':>8}{'—':>8}")
        target = f"<= {self.target:g}{'x' if self.floor else ' s'}"
        verdict = "/".join("yes" if self.measured(w) <= self.target else "no" for w in ("wall", "cpu"))
        return (f"{self.work:40}{self.ours.wall:7.2f}{self.ours.cpu:7.2f}{floor}{ratios}"
                f"{target:>11}  {verdict}")


def returning_row(where: Path, repeat: int) -> Row:
    """`check` of the example's second day in a practice whose ledger holds the first."""
    examples = HERE.parent / "examples" / "practice"
    shutil.copytree(examples, where)
    child(MEDSHEETS, medsheets("claims", "--practice", str(where),
                               str(where / "encounters" / EXAMPLE_DAY)), ok=HELD)
    day = where / "encounters" / NEXT_DAY
    check = best(repeat, medsheets("check", "--practice", str(where), str(day)), MEDSHEETS, HELD)
    return Row(f"check, {NEXT_DAY} with a ledger", check, best(repeat, [str(day)], CALAMINE), 8)


ROWS = ("small", "returning", "help", "check", "claims", "remit", "memory")  # --only's names, in table order


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--lines", type=int, help="lines of the big day (default 100,000)")
    parser.add_argument("--claims", type=int, help="claims in the 835s (default 7,480)")
    parser.add_argument("--files", type=int, default=4, help="835 files (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the small rows (best kept)")
    parser.add_argument("--big-repeat", type=int, default=3,
                        help="runs of the big rows, each after a run of its floor (best of each kept)")
    parser.add_argument("--only", type=lambda text: text.split(","), default=list(ROWS),
                        help=f"rows to run, comma-separated, of {','.join(ROWS)} "
                             "(e.g. --only small,help); the default is every row")
    args = parser.parse_args()
    unknown = sorted(set(args.only) - set(ROWS))
    if unknown:
        parser.error(f"--only: no row {', '.join(unknown)} (rows: {', '.join(ROWS)})")
    wanted = set(args.only)
    lines = args.lines or (300 if args.quick else 100_000)
    claims = args.claims or (40 if args.quick else 7_480)
    repeat = 1 if args.quick else args.repeat
    big_repeat = 1 if args.quick else args.big_repeat
    from bench_check import cached_workbook

    compile_package()
    build_code_index()
    rows: list[Row] = []
    peaks: dict[str, Run] = {}  # the big runs' highest peak memory, printed under the table
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        practice = init_practice(root / "practice")
        if "small" in wanted:
            day = practice / "encounters" / EXAMPLE_DAY
            shutil.copy(HERE.parent / "examples" / "practice" / "encounters" / EXAMPLE_DAY, day)
            check_small = best(repeat, medsheets("check", "--practice", str(practice), str(day)),
                               MEDSHEETS, HELD)
            read_small = best(repeat, [str(day)], CALAMINE)
            rows.append(Row(f"check, {EXAMPLE_DAY} (whole process)", check_small, read_small, 8))
        if "returning" in wanted:
            rows.append(returning_row(root / "returning", repeat))
        if "help" in wanted:
            rows.append(Row("medsheets --help", best(repeat, ["--help"], MEDSHEETS), None, 0.2, "s"))
        if wanted & {"check", "claims", "memory"}:
            big = cached_workbook(lines, practice, AS_OF)
            print(f"big day: {lines:,} lines ({big.stat().st_size / 1e6:.1f} MB)", flush=True)

            def read_big() -> Run:
                return child(CALAMINE, [str(big)])
        if wanted & {"check", "memory"}:
            checked = alternated(big_repeat, lambda _: child(
                MEDSHEETS, medsheets("check", "--practice", str(practice), str(big)), ok=HELD),
                read_big)
            peaks["check"], peaks["calamine read"] = checked.highest, checked.floor
            if "check" in wanted:
                rows.append(Row(f"check, {lines:,} lines", checked.ours, checked.floor, 2))
        if "claims" in wanted:
            billed = alternated(big_repeat, lambda number: claims_of(root / f"claims-{number}", big),
                                read_big)
            peaks["claims"] = billed.highest
            peaks.setdefault("calamine read", billed.floor)
            rows.append(Row(f"claims, {lines:,} lines", billed.ours, billed.floor, 3))
        if "remit" in wanted:
            remits = remit_practice(root / "remit", claims, args.files)
            print(f"remit: {claims:,} claims in {len(remits)} 835s", flush=True)
            posted = alternated(big_repeat, lambda number: remit_of(root / "remit", remits, number),
                                lambda: child(PYX12, remits))
            peaks["remit"] = posted.highest
            rows.append(Row(f"remit, {claims:,} claims in {len(remits)} 835s", posted.ours,
                            posted.floor, 8))
        if "memory" in wanted:
            rows.append(Row(f"peak memory, check {lines:,} lines", checked.highest, None, 250, "MB"))
    print(f"\n{'':40}{'medsheets':>14}{'floor':>14}{'ratio':>16}")
    print(f"{'work':40}{'wall':>7}{'cpu':>7}{'wall':>7}{'cpu':>7}{'wall':>8}{'cpu':>8}"
          f"{'target':>11}  met (wall/cpu)")
    for row in rows:
        print(row.line())
    if peaks:
        print("peak MB: " + ", ".join(f"{name} {run.peak_mb:.0f}" for name, run in peaks.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
