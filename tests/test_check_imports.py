"""`medsheets check` loads only what a check uses (issue 16: a small day's check in a blink).

Run in a fresh interpreter, as a user's `medsheets check` is: a practice that has billed nothing
yet has no ledger, so nothing of the ledger (SQLAlchemy, Alembic, the 271 reader behind the
payers' answers) is imported; nor WeasyPrint, openpyxl (only for --annotate) or the ICD-10-CM
release's own package (the compact index answers). Once there is a ledger, check reads it
through sqlite3 alone (medsheets.ledger.plain): still no SQLAlchemy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clock import EXAMPLE_AS_OF

from medsheets.codes import icd10index
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
from medsheets.codes import icd10
index = icd10.shipped()
print(json.dumps({"exit": code, "modules": sorted(sys.modules),
                  "rules": "rules" in vars(index), "tree": "tree" in vars(index)}))
"""


@pytest.fixture(autouse=True)
def index_built() -> None:
    """The index is built at first use after an install (importing the release): done here,
    so that the check below is any later day's."""
    icd10index.load_shipped_index()


def checked(practice: Path) -> dict[str, Any]:
    """One `medsheets check` of the practice's first day: its exit code, every module it
    imported, and whether it read the ICD-10-CM index's claim rules or its whole tree."""
    day = sorted((practice / "encounters").glob("*.xlsx"))[0]
    done = subprocess.run([sys.executable, "-c", CHECK, str(practice), str(day),
                           EXAMPLE_AS_OF.isoformat()], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of those packages (the packages themselves included) that were imported."""
    return sorted(m for m in modules if any(m == p or m.startswith(f"{p}.") for p in packages))


def test_a_check_before_any_billing_imports_no_ledger_and_nothing_heavy(practice_dir: Path) -> None:
    found = checked(practice_dir)
    modules = set(found["modules"])
    assert found["exit"] in (0, 1)
    assert "medsheets.check" in modules  # it did check
    assert loaded(modules, HEAVY) == []
    assert loaded(modules, NOT_FOR_CHECK) == []
    assert not (practice_dir / "medsheets.db").exists()  # and created no ledger to look
    assert found["rules"] and not found["tree"]  # the claim edits read rules, not the tabular


def test_a_code_lacking_its_7th_character_is_explained_from_the_rules_alone() -> None:
    """The one check message that needs more than the rules (a description: unknown codes'
    suggestions) aside, the tabular edits never load the tree; shown here for the 7th."""
    code = ("from medsheets.codes import icd10; from medsheets.codes.edits_diagnoses import "
            "diagnosis_verdict; print(diagnosis_verdict('S93401')[0], 'tree' in vars(icd10.shipped()))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["MS-DX-7TH-CHARACTER", "False"]


def test_an_unknown_code_is_told_its_likeliest_codes_without_the_tree() -> None:
    """The suggestions' descriptions come from the index's members of their letters."""
    code = ("from medsheets.codes import icd10; from medsheets.codes.edits_diagnoses import "
            "diagnosis_verdict; verdict = diagnosis_verdict('E1199'); "
            "print(verdict[0], 'tree' in vars(icd10.shipped())); print(verdict[1])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, message = done.stdout.splitlines()
    assert first.split() == ["MS-DX-UNKNOWN", "False"]
    assert "did you mean" in message and "Type 2 diabetes mellitus" in message


def test_a_check_with_a_ledger_reads_it_without_sqlalchemy(practice_dir: Path) -> None:
    Ledger.open(open_practice(practice_dir).db_url).close()
    found = checked(practice_dir)
    modules = set(found["modules"])
    assert found["exit"] in (0, 1)
    assert "medsheets.ledger.plain.read" in modules  # it read the ledger, through sqlite3
    assert loaded(modules, HEAVY) == []
    assert loaded(modules, ("medsheets.x12", "medsheets.command")) == []
    assert "medsheets.benefits.run" not in modules and "medsheets.ledger.store" not in modules
