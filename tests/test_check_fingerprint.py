"""What `check` finds stays the same while its reading and inner loops are made faster (issue 16).

The problems found — each one's file, sheet, row, column, code and severity — and the held and
clean encounters, on the example's two days and on a generated day (benchmarks/bench_check.py's
generator, one line in 97 carrying a known mistake), are fingerprinted and compared with the
fingerprints the code gave before the speed work. Messages are left out on purpose: rewording a
message is not a change in what is found. A change that alters what `check` finds on purpose
updates EXPECTED (the failure shows the new digest).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from clock import EXAMPLE_AS_OF

from medsheets.check import CheckResult, check_workbook
from medsheets.practice import open_practice

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

GENERATED_LINES = 600
EXPECTED = {
    "example": "84910653518352c1345ed5fd0e5b9b784ffe5eb414f77aaa2f08a107e7bbfa69",  # + the paper visit, clean
    "generated": "3d297578f03e2df3f721cbc92bcabc1110e3563ea5f5325d2ae0481fed4029a4",
}


def fingerprint(results: list[CheckResult]) -> tuple[str, list[object]]:
    """sha256 over every problem's place, code and severity, and the held and clean encounters."""
    facts: list[object] = []
    for result in results:
        facts.append([result.file, len(result.encounters), sorted(result.held),
                      [e.encounter_id for e in result.clean_encounters]])
        facts.extend([p.source.file, p.source.sheet, p.source.row, p.source.column, p.code,
                      p.severity.value] for p in result.problems)
    text = json.dumps(facts, default=str)
    return hashlib.sha256(text.encode()).hexdigest(), facts


def test_the_example_days_find_what_they_found_before(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    days = sorted((practice_dir / "encounters").glob("*.xlsx"))
    assert len(days) == 2
    digest, facts = fingerprint([check_workbook(day, practice, as_of=EXAMPLE_AS_OF) for day in days])
    assert digest == EXPECTED["example"], (digest, facts[:20])


def test_a_generated_day_finds_what_it_found_before(practice_dir: Path, tmp_path: Path) -> None:
    from bench_check import write_workbook

    workbook = tmp_path / "generated.xlsx"
    write_workbook(workbook, GENERATED_LINES, practice_dir, EXAMPLE_AS_OF)
    result = check_workbook(workbook, open_practice(practice_dir), as_of=EXAMPLE_AS_OF)
    assert result.errors >= GENERATED_LINES // 97  # the generator's mistakes are all found
    digest, facts = fingerprint([result])
    assert digest == EXPECTED["generated"], (digest, facts[:20])

