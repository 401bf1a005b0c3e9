"""Benchmark: time and peak memory of reading, and of `medsheets remit`, on 5, 20 and 200 MB 835s.

    python benchmarks/bench_remit_memory.py [--sizes 5 20 200] [--no-remit]

Generates balanced 835s of two-line claims (tests/remit_support.large_835, about 290 bytes a
claim) of each size in MB, then, each in a child process of its own so that its peak resident
memory (VmHWM) is its own:

1. reading: `read_remit_file` (split, envelope checks, interpret every claim);
2. the whole `medsheets remit` command on a fresh example practice, whose ledger has none of
   the claims (every claim is recorded unmatched and listed, exit 1): what a stranger's file
   costs. Posting matched claims is `benchmarks/bench_remit.py`'s business.

A file over the size limit (remit/files.MAX_835_BYTES) is refused before it is read; its
figures show what the refusal costs. Prints wall and CPU seconds and peak MB per run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from child_process import run_child  # beside this script

CLAIM_BYTES = 264  # large_835's bytes per claim, measured

READ = """
import sys
from pathlib import Path
from medsheets.errors import BadFileError
from medsheets.remit.files import read_remit_file
try:
    read = read_remit_file(Path(sys.argv[1]))
    print("claims read:", sum(len(t.remittance.claims) for t in read.transactions if t.remittance))
except BadFileError as exc:
    print("refused:", exc)
"""

REMIT = """
import sys
from medsheets.cli import main
sys.argv = ["medsheets", "remit", "--practice", sys.argv[1], sys.argv[2]]
main()
"""

def measure(code: str, args: list[str]) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak MB, last line printed) of `code` run in a child process."""
    done = run_child(code, args)
    lines = done.output.strip().splitlines()
    return done.wall, done.cpu, done.peak_mb, (lines[-1] if lines else f"exit {done.code}")[:110]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 200])
    parser.add_argument("--no-remit", action="store_true", help="time reading only")
    args = parser.parse_args()
    from click.testing import CliRunner
    from remit_support import large_835

    from medsheets.cli import cli

    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'835':>8} {'step':8} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}  result")
        for size in args.sizes:
            path = Path(tmp) / f"{size}mb.835"
            path.write_text(large_835(size * 1_000_000 // CLAIM_BYTES))
            mb = path.stat().st_size / 1e6
            wall, cpu, peak, last = measure(READ, [str(path)])
            print(f"{mb:6.1f}MB {'read':8} {wall:8.1f} {cpu:8.1f} {peak:8.0f}  {last}")
            if args.no_remit:
                continue
            practice = Path(tmp) / f"practice{size}"
            CliRunner().invoke(cli, ["init", str(practice)])
            wall, cpu, peak, last = measure(REMIT, [str(practice), str(path)])
            print(f"{mb:6.1f}MB {'remit':8} {wall:8.1f} {cpu:8.1f} {peak:8.0f}  {last}")
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
