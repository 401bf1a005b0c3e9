"""`check` reads a returning practice's ledger without SQLAlchemy (issue 16: a small day's check
in a blink), and reads exactly what the SQLAlchemy path reads.

The SELECTs are SQLAlchemy's own compilation of the Core statements, kept in a generated
module; the first test fails when a statement or a table it reads changes until the module is
written again. A ledger the plain path does not read (older, newer, not a ledger) is opened as
before: migrated, or refused with the same message.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from clock import EXAMPLE_AS_OF, NOW

from medsheets.check import ledger_history
from medsheets.claims import bill_workbooks
from medsheets.ledger import Ledger, eligibility, migrate
from medsheets.ledger.plain import build, read, rows
from medsheets.ledger.profiles import GUARANTOR_COLUMNS
from medsheets.ledger.revisions import head_revision
from medsheets.ledger.schema import claims
from medsheets.model import Coverage, Guarantor, PatientProfile, Person
from medsheets.practice import open_practice

CHECK = """
import json, sys
from medsheets.cli import main
sys.argv = ["medsheets", "check", "--json", "--practice", sys.argv[1], sys.argv[2], "--as-of", sys.argv[3]]
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "sqlalchemy": "sqlalchemy" in sys.modules}))
"""
GUARANTOR = Guarantor("Quinn", "Dana", "7 Birch Ln", "Springfield", "IL", "62704", "d@example.com")
PARENT = Person("Quinn", "Dana", dt.date(1988, 4, 2), "F")


def test_the_compiled_statements_are_what_the_core_statements_compile_to() -> None:
    assert read.SQLITE == {name: build.compiled(make()) for name, make in build.STATEMENTS.items()}
    assert build.TARGET.read_text(encoding="utf-8") == build.module_text(), (
        "run 'python -m medsheets.ledger.plain.build': a statement check reads, or a table it "
        "reads, changed")
    assert rows.GUARANTOR_COLUMNS == GUARANTOR_COLUMNS  # the model's fields, the schema's columns


@pytest.fixture
def billed(practice_dir: Path) -> Path:
    """The example's first day billed, one claim voided, a returning patient with a guarantor,
    a parent's coverage and a secondary, and three payer answers (one superseded)."""
    practice = open_practice(practice_dir)
    first = sorted((practice_dir / "encounters").glob("*.xlsx"))[0]
    result = bill_workbooks(practice, [first], now=NOW)
    assert result.billed
    with Ledger.open(practice.db_url) as ledger, ledger.transaction() as tx:
        tx.conn.execute(claims.update().where(claims.c.id == 1).values(status="void"))
        tx.remember_profiles({"P900": PatientProfile(
            Person("Quinn", "Riley", dt.date(2016, 6, 1), "F", "7 Birch Ln", "Springfield", "IL",
                   "62704"), "r@example.com", "555-0100",
            {"BSTAR": Coverage("BSTAR", "BSX900100", "0045821", "child", PARENT, 1),
             "AETNA": Coverage("AETNA", "W22", None, "self", None, 2)}, GUARANTOR)})
        run_id = tx.start_run("benefits", [])
        for position, (received, status, detail) in enumerate([
                (dt.date(2026, 11, 20), "inactive", None),
                (dt.date(2026, 11, 24), "active", {"copay": {"30": 2500}, "deductible": {"total": 50000}}),
                (dt.date(2026, 12, 30), "inactive", {})]):
            eligibility.add_benefits(
                tx, run_id, file_name="a.271", content_sha256="0" * 64, position=position,
                inquiry_id=None, trace=None, patient_id="P900", payer_id="BSTAR",
                member_id="BSX900100", status=status, plan_begin=dt.date(2026, 1, 1),
                plan_end=None, date_of_service=received, received_on=received, detail=detail or {})
        tx.finish_run(run_id, {})
    return practice_dir


def sa_read(practice_dir: Path, as_of: dt.date) -> tuple[Any, ...]:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        days = [(r.patient_id, r.date_of_service) for r in tx.conn.execute(
            sa.select(claims.c.patient_id, claims.c.date_of_service))]
        return (tx.patient_profiles(), tx.billed_lines([*days, ("P900", dt.date(2026, 1, 1))]),
                eligibility.latest_benefits(tx, as_of=as_of), days)


def test_the_plain_path_reads_what_sqlalchemy_reads(billed: Path) -> None:
    for as_of in (dt.date(2026, 11, 19), dt.date(2026, 11, 22), EXAMPLE_AS_OF):
        profiles, lines, answers, days = sa_read(billed, as_of)
        with read.open_reading(billed / "medsheets.db") as plain:  # type: ignore[union-attr]
            assert plain.patient_profiles() == profiles
            assert plain.billed_lines([*days, ("P900", dt.date(2026, 1, 1))]) == lines
            assert plain.latest_benefits(as_of=as_of) == answers
    assert profiles["P900"].guarantor == GUARANTOR and len(profiles) > 10  # a real read
    assert answers[("P900", "BSTAR")].detail["copay"] == {"30": 2500}
    assert sum(map(len, lines.values())) > 10 and len(lines) < len(days)  # the voided one is not


def test_a_check_of_a_returning_practice_imports_no_sqlalchemy_and_says_the_same(
        billed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    day = sorted((billed / "encounters").glob("*.xlsx"))[1]
    done = subprocess.run([sys.executable, "-c", CHECK, str(billed), str(day),
                           EXAMPLE_AS_OF.isoformat()], capture_output=True, text=True, check=True)
    *problems, verdict = done.stdout.splitlines()
    assert json.loads(verdict) == {"exit": 0, "sqlalchemy": False}
    with ledger_history(open_practice(billed), as_of=EXAMPLE_AS_OF) as plain_on_file:
        pass
    monkeypatch.setattr(read, "open_reading", lambda path: None)  # the SQLAlchemy path
    with ledger_history(open_practice(billed), as_of=EXAMPLE_AS_OF) as on_file:
        assert on_file.profiles == plain_on_file.profiles and on_file.coverage == plain_on_file.coverage
    assert json.loads("\n".join(problems)) == []  # the returning day is clean, as before


def revision_set(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_a_ledger_the_plain_path_does_not_read_is_opened_as_before(billed: Path, invoke) -> None:
    path = billed / "medsheets.db"
    assert read.open_reading(path) is not None
    revision_set(path, "a_newer_one")
    assert read.open_reading(path) is None
    newer = invoke("check", "--practice", billed, sorted((billed / "encounters").glob("*.xlsx"))[1])
    assert newer.exit_code == 2 and "newer than this medsheets knows" in newer.stderr
    path.write_bytes(b"not a database at all, but a file of that name" * 100)
    assert read.open_reading(path) is None
    damaged = invoke("check", "--practice", billed, sorted((billed / "encounters").glob("*.xlsx"))[1])
    assert damaged.exit_code == 2 and "not a medsheets ledger or is damaged" in damaged.stderr
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # kept owner-only on the way


def test_an_older_ledger_is_migrated_by_check_as_before(billed: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    revision_set(billed / "medsheets.db", "people")  # an earlier revision than the newest
    assert read.open_reading(billed / "medsheets.db") is None
    upgraded: list[object] = []
    monkeypatch.setattr(migrate, "upgrade", lambda connection: upgraded.append(connection) or True)
    with ledger_history(open_practice(billed), as_of=EXAMPLE_AS_OF) as on_file:
        assert on_file.profiles  # read, after the migration Ledger.open applies
    assert len(upgraded) == 1 and head_revision() != "people"
