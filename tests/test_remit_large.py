"""Large 835s: memory grows with the file at most linearly, and past the limit a file is refused.

The reader streams segments from the splitter to the 835 reader (nothing holds the file's
segments), so what stays in memory is the file's bytes and the remittance records. Peak memory
is measured in a child process (its peak resident size less its size before reading), for two
files a quarter and the whole of about 6 MB: the larger may cost at most 5 times the smaller
(linear is 4), and at most 12 bytes per byte of file (about 8 today). No timing is asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from remit_support import large_835

from medsheets.remit.files import MAX_835_BYTES

CHILD = """
import sys
from pathlib import Path
from medsheets.remit.files import read_remit_file

def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024
before = status("VmRSS:")
read = read_remit_file(Path(sys.argv[1]))
assert read.transactions[0].remittance is not None, read.transactions[0].problems
print(status("VmHWM:") - before, len(read.transactions[0].remittance.claims))
"""


def _peak_growth(path: Path) -> tuple[int, int]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    growth, claims = done.stdout.split()
    return int(growth), int(claims)


def test_memory_grows_at_most_linearly_with_the_835(tmp_path: Path) -> None:
    if not Path("/proc/self/status").is_file():
        import pytest
        pytest.skip("peak memory is read from /proc (Linux)")
    small, large = tmp_path / "small.835", tmp_path / "large.835"
    small.write_text(large_835(5_000))
    large.write_text(large_835(20_000))
    small_growth, small_claims = _peak_growth(small)
    large_growth, large_claims = _peak_growth(large)
    assert (small_claims, large_claims) == (5_000, 20_000)
    assert large_growth <= 5 * small_growth, (small_growth, large_growth)
    assert large_growth <= 12 * large.stat().st_size, (large_growth, large.stat().st_size)


def test_an_835_past_the_size_limit_is_refused_before_it_is_read(practice_dir: Path, invoke) -> None:
    path = practice_dir / "remits" / "huge.835"
    with path.open("wb") as handle:  # sparse: no disk used, nothing read
        os.truncate(handle.fileno(), MAX_835_BYTES + 1)
    result = invoke("remit", "--practice", practice_dir, path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        f"medsheets: error: huge.835: is 50 MB; medsheets posts 835 files of up to "
        f"{MAX_835_BYTES // 1_000_000} MB at once")
    assert "ask the payer or clearinghouse to split it" in result.stderr
