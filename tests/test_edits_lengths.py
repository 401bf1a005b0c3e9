"""Field lengths at the edge: a value longer than any output can carry is an error at its cell
(MS-FIELD-LONG, saying the limit and the fix), so `claims` never stores or writes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from clock import EXAMPLE_AS_OF
from encounter_cells import edit_cells

from medsheets.codes.edits_lengths import CLAIM_LENGTH, LEDGER_LENGTH
from medsheets.identifiers import MAX_LENGTH
from medsheets.ledger import Ledger
from medsheets.ledger.schema import claims, patients
from medsheets.practice import open_practice


def first_book(practice: Path) -> Path:
    return min((practice / "encounters").glob("*.xlsx"))


def long_problems(invoke, practice: Path, book: Path) -> list[dict[str, object]]:
    result = invoke("check", "--practice", practice, "--json", "--as-of",
                    EXAMPLE_AS_OF.isoformat(), book)
    assert result.exit_code in (0, 1), result.stderr
    return [p for p in json.loads(result.stdout) if p["code"] == "MS-FIELD-LONG"]


@pytest.mark.parametrize(("column", "limit", "where"), [
    ("patient_last_name", 60, "NM103"), ("patient_first_name", 35, "NM104"),
    ("patient_city", 30, "N401"), ("patient_address", 110, "N301 and N302"),
])
def test_one_past_the_claims_element_is_held_at_its_cell(practice_dir: Path, invoke, column: str,
                                                        limit: int, where: str) -> None:
    book = edit_cells(first_book(practice_dir), {(1, column): "A" * (limit + 1)})
    found = long_problems(invoke, practice_dir, book)
    assert [(p["column"] is not None, p["field"], p["row"] is not None) for p in found] == [
        (True, column, True)]
    message = str(found[0]["message"])
    assert f"longer than the {limit} the claim ({where})" in message and "shorten it" in message
    assert "AAAA" not in message  # the value itself (PHI) never quoted


@pytest.mark.parametrize(("column", "limit"), [("patient_last_name", 60), ("patient_city", 30)])
def test_exactly_the_limit_passes(practice_dir: Path, invoke, column: str, limit: int) -> None:
    book = edit_cells(first_book(practice_dir), {(1, column): "A" * limit})
    assert long_problems(invoke, practice_dir, book) == []


def test_a_guarantor_name_is_held_by_the_ledger_column_not_the_claims(practice_dir: Path,
                                                                      invoke) -> None:
    book = edit_cells(first_book(practice_dir), {(1, "guarantor_last_name"): "G" * 121,
                                                 (2, "guarantor_last_name"): "G" * 120})
    found = long_problems(invoke, practice_dir, book)
    assert [p["field"] for p in found] == ["guarantor_last_name"]
    assert "longer than the 120 the ledger can carry" in str(found[0]["message"])


def test_a_patient_id_longer_than_the_ledger_column(practice_dir: Path, invoke) -> None:
    book = edit_cells(first_book(practice_dir), {(1, "patient_id"): "P" * 41})
    found = long_problems(invoke, practice_dir, book)
    assert [p["field"] for p in found] == ["patient_id"]
    assert "longer than the 40 the ledger can carry" in str(found[0]["message"])


def test_the_limits_are_the_ledgers_and_the_837s() -> None:
    """The hard-coded sizes follow the ledger schema and the X12 writer's element sizes."""
    for field, size in LEDGER_LENGTH.items():
        table = claims if field == "member_id" else patients
        assert table.c[field].type.length == size, field
        if table is patients and field != "patient_id":  # the guarantor's columns the same
            assert patients.c[f"guarantor_{field}"].type.length == size, field
    assert CLAIM_LENGTH["last_name"] == ("NM103", MAX_LENGTH["NM103"]) == ("NM103", 60)


# The child's own peak (VmHWM of its memory after exec): ru_maxrss would carry the pytest
# parent's size at the fork, which grows over a full suite and made this test fail at random.
MEASURE = """
import sys
from pathlib import Path
from medsheets.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit as done:
    status = Path("/proc/self/status").read_text().splitlines()
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    print(peak, done.code, file=sys.stderr)
"""


def test_a_ten_thousand_character_last_name_is_held_and_never_stored(practice_dir: Path) -> None:
    books = sorted((practice_dir / "encounters").glob("*.xlsx"))
    edit_cells(books[0], {(1, "patient_last_name"): "X" * 10_000})
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, "claims", "--practice", str(practice_dir), "--as-of",
         EXAMPLE_AS_OF.isoformat(), *map(str, books)],
        capture_output=True, text=True, timeout=300, check=False)
    peak_kib, code = map(int, done.stderr.split()[-2:])
    assert code == 1, done.stdout + done.stderr  # held
    assert "MS-FIELD-LONG" in done.stdout + done.stderr and "X" * 100 not in done.stdout
    assert peak_kib < 400 * 1024  # the process stays small
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        longest = max(len(name or "") for name in tx.conn.execute(
            patients.select().with_only_columns(patients.c.last_name)).scalars())
    assert longest <= 60
    for claim_file in (practice_dir / "out" / "claims").glob("*.837"):
        assert "X" * 61 not in claim_file.read_text()
