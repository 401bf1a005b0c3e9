"""The aging's SQL on PostgreSQL gives what it gives on SQLite, for the same generated ledger.

Runs only when MEDSHEETS_TEST_POSTGRES_URL names a server where the test may create and drop a
database (see tests/test_ledger_postgres.py); otherwise skipped.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from aging_support import generate_ledger
from conftest import needs_postgres

from medsheets.aging.layout import DetailTally, bucket_index
from medsheets.config import Statements
from medsheets.ledger import Ledger
from medsheets.ledger.reports import collections, kpis
from medsheets.ledger.reports.buckets import AgeBasis, Scope
from medsheets.ledger.reports.detail import detail_rows
from medsheets.ledger.reports.totals import party_totals, patient_rows
from medsheets.model import CodeSets
from medsheets.practice import open_practice
from medsheets.practice_files import load_codesets

pytestmark = needs_postgres
AS_OF = dt.date(2026, 11, 27)


def _everything(ledger: Ledger, basis: AgeBasis, codesets: CodeSets) -> dict[str, Any]:
    scope = Scope(AS_OF, basis)
    with ledger.reading() as tx:
        totals = party_totals(tx, scope)
        tally = DetailTally()
        keys = []
        for row in detail_rows(tx, scope):
            tally.add(row, bucket_index(scope, row)[0])
            keys.append((row.claim_id, row.line_number, row.balance, row.event, row.statement_date))
        tally.check(totals)
        ready = collections.ready_ids(tx, AS_OF, Statements())
        return {
            "totals": totals, "lines": sorted(keys, key=repr),
            "patients": sorted(patient_rows(tx, scope), key=lambda a: a.patient_id),
            "ready": ready, "described": collections.describe(tx, AS_OF, ready),
            "kpis": kpis.measure(tx, scope, totals.grand.total, codesets.procedures,
                                 codesets.payers),
        }


@pytest.mark.parametrize("basis", list(AgeBasis))
def test_postgresql_and_sqlite_age_the_same_ledger_alike(pg_url: str, tmp_path: Path,
                                                         practice_template: Path,
                                                         basis: AgeBasis) -> None:
    codesets = load_codesets(open_practice(practice_template)).codesets
    with Ledger.open(pg_url) as on_server, Ledger.open(f"sqlite:///{tmp_path / 'm.db'}") as on_file:
        for ledger in (on_server, on_file):
            generate_ledger(ledger, lines=600, as_of=AS_OF, seed=3)
        server = _everything(on_server, basis, codesets)
        file = _everything(on_file, basis, codesets)
    assert server["totals"].grand.total > 0 and server["ready"]
    assert sum(c.underpaid_lines for c in server["kpis"].code_payments) > 0
    assert server == file


def test_the_aging_command_runs_on_postgresql(pg_url: str, practice_dir: Path, invoke) -> None:
    with Ledger.open(pg_url) as ledger:
        generate_ledger(ledger, lines=200, as_of=AS_OF, seed=4)
    args = ("aging", "--practice", practice_dir, "--db", pg_url, "--as-of", AS_OF.isoformat())
    first, again = invoke(*args), invoke(*args)
    assert first.exit_code == 0 and "written:" in first.output
    assert again.exit_code == 0 and "nothing written" in again.output
    export = invoke("collections", "--practice", practice_dir, "--db", pg_url, "--as-of",
                    AS_OF.isoformat(), "--export")
    assert export.exit_code == 0 and "placed:" in export.output
