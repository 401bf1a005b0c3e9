"""Running a piece of Python in a child process of its own, measured: wall, CPU, peak memory.

The benchmarks time whole processes (what a user waits for) and need each child's own peak
resident memory: `resource` would report the parent's too for a forked child, so the child
writes its high-water mark (/proc/self/status VmHWM) to a file at exit.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

# A child's last act: write its own peak memory (kB) to the file named by its last argument.
PEAK = """
import atexit, sys
_peak_file = sys.argv.pop()
def _peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(_peak_file, "w") as out:
        out.write(kb)
atexit.register(_peak)
"""


@dataclass(frozen=True)
class Run:
    """One child process: wall and CPU seconds, peak resident MB, exit code, what it printed."""

    wall: float
    cpu: float
    peak_mb: float
    code: int
    output: str


def run_child(code: str, args: list[str]) -> Run:
    """Run `code` with `args` (as sys.argv[1:]) in a fresh interpreter and measure it.

    CPU time is the child's user + system time, the steadier figure on a shared machine."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PEAK + code, *args, peak.name],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        kb = peak.read().strip()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, int(kb or 0) / 1024, done.returncode, done.stdout + done.stderr)
