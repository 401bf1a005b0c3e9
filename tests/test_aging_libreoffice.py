"""An independent judge: LibreOffice opens the aging workbook and prints it (headless, to PDF),
and, computing its formulas, shows the same totals medsheets wrote (read back from the PDF).

Skipped where LibreOffice is absent (Debian/Ubuntu: apt-get install libreoffice-calc).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from aging_support import generate_ledger

from medsheets.aging import AgeBasis, run_aging
from medsheets.ledger import Ledger
from medsheets.practice import open_practice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc); "
           "the aging workbook was not opened by an independent spreadsheet",
)
AS_OF = dt.date(2026, 11, 27)


def _convert(source: Path, to: str, out_dir: Path, profile: Path) -> Path:
    done = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    made = out_dir / f"{source.stem}.{to.split(':')[0]}"
    assert made.exists(), f"LibreOffice wrote nothing: {done.stdout} {done.stderr}"
    return made


def test_libreoffice_prints_it_and_agrees_with_its_totals(practice_dir: Path, tmp_path: Path) -> None:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger:
        generate_ledger(ledger, lines=400, as_of=AS_OF, seed=9)
    report = run_aging(open_practice(practice_dir), as_of=AS_OF, basis=AgeBasis.SERVICE,
                       now=dt.datetime(2026, 11, 27, 8)).file
    pdf = _convert(report, "pdf", tmp_path, tmp_path / "lo-profile")
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pypdf.PdfReader(pdf).pages
    assert len(pages) > 7, "every sheet printed"
    # The Summary as LibreOffice computed it: its formula row must show the same totals.
    lines = pages[0].extract_text().splitlines()
    total = next(line for line in lines if line.startswith("Total $"))
    check = next(line for line in lines if line.startswith("Excel check"))
    assert re.findall(r"-?\$[\d,]+\.\d\d", check) == re.findall(r"-?\$[\d,]+\.\d\d", total)
    assert len(re.findall(r"\$", total)) == 7
