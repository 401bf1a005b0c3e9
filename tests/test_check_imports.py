"""`medsheets check` loads only what a check uses (issue 16: a small day's check in a blink).

Run in a fresh interpreter, as a user's `medsheets check` is: a practice that has billed nothing
yet has no ledger, so nothing of the ledger (SQLAlchemy, Alembic, the 271 reader behind the
payers' answers) is imported; nor WeasyPrint, openpyxl (only for --annotate) or the ICD-10-CM
release's own package (the compact index answers). Once there is a ledger, check reads it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from clock import EXAMPLE_AS_OF

from medsheets.ledger import Ledger
from medsheets.practice import open_practice

HEAVY = ("sqlalchemy", "alembic", "weasyprint", "openpyxl", "simple_icd_10_cm")
NOT_FOR_CHECK = ("medsheets.ledger", "medsheets.x12", "medsheets.benefits", "medsheets.command")

CHECK = """
import json, sys
from medsheets.cli import main
sys.argv = ["medsheets", "check", "--practice", sys.argv[1], sys.argv[2], "--as-of", sys.argv[3]]
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""


def checked(practice: Path) -> tuple[int, set[str]]:
    """Exit code and every module imported by one `medsheets check` of the practice's first day."""
    day = sorted((practice / "encounters").glob("*.xlsx"))[0]
    done = subprocess.run([sys.executable, "-c", CHECK, str(practice), str(day),
                           EXAMPLE_AS_OF.isoformat()], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.splitlines()[-1])
    return found["exit"], set(found["modules"])


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of those packages (the packages themselves included) that were imported."""
    return sorted(m for m in modules if any(m == p or m.startswith(f"{p}.") for p in packages))


def test_a_check_before_any_billing_imports_no_ledger_and_nothing_heavy(practice_dir: Path) -> None:
    code, modules = checked(practice_dir)
    assert code in (0, 1)
    assert "medsheets.check" in modules  # it did check
    assert loaded(modules, HEAVY) == []
    assert loaded(modules, NOT_FOR_CHECK) == []
    assert not (practice_dir / "medsheets.db").exists()  # and created no ledger to look


def test_a_check_with_a_ledger_reads_it(practice_dir: Path) -> None:
    Ledger.open(open_practice(practice_dir).db_url).close()
    code, modules = checked(practice_dir)
    assert code in (0, 1)
    assert "sqlalchemy" in modules and "medsheets.ledger.store" in modules
