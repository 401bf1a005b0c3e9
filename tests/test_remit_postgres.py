"""A remittance posted into a PostgreSQL ledger leaves the rows it leaves in SQLite.

Posting writes its remit_claims rows, journal entries, journal_sources links and claim events
in multi-row INSERTs (ledger/sql.py: typed parameters and an ordered SELECT on PostgreSQL,
JSON details included), and checks its entries against the claims its snapshot read. Runs
only when MEDSHEETS_TEST_POSTGRES_URL is set (conftest.pg_url).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import needs_postgres
from remit_support import NOW, Clp, Svc, bill_claims, era, rows, service_line

from medsheets.ledger.schema import claim_events, claims, journal, journal_sources, remit_claims
from medsheets.model import Encounter
from medsheets.practice import open_practice
from medsheets.remit.results import POSTED
from medsheets.remit.run import post_remit_files

pytestmark = needs_postgres

WRITTEN = (remit_claims, journal, journal_sources, claim_events, claims)
CLOCK = {"posted_at", "created_at", "first_billed_at"}  # the instant of the run, not its content

PAID = Clp("E1", "1", "147", "88.2", icn="PAY77", svcs=(
    Svc("99213", "135", "78", (("CO", "45", "27"), ("PR", "3", "30")), control="E1-1"),
    Svc("36415", "12", "10.2", (("CO", "45", "1.2"), ("PR", "2", "0.6")), control="E1-2")))
REVERSED = Clp("E1", "22", "-147", "-88.2", icn="PAY77", svcs=(
    Svc("99213", "-135", "-78", (("CO", "45", "-27"), ("PR", "3", "-30")), control="E1-1"),
    Svc("36415", "-12", "-10.2", (("CO", "45", "-1.2"), ("PR", "2", "-0.6")), control="E1-2")))
CORRECTED = Clp("E1", "1", "147", "98.2", icn="PAY78", svcs=(
    Svc("99213", "135", "88", (("CO", "45", "27"), ("PR", "3", "20")), control="E1-1"),
    Svc("36415", "12", "10.2", (("CO", "45", "1.2"), ("PR", "2", "0.6")), control="E1-2")))
PARTLY_DENIED = Clp("E5", "1", "159", "100", svcs=(
    Svc("99213", "135", "100", (("CO", "45", "35"),)), Svc("J3301", "24", "0", (("CO", "197", "24"),))))
DENIED = Clp("E4", "4", "135", "0", svcs=(
    Svc("99213", "135", "0", (("CO", "16", "135"),), remarks=("N290",)),))


def posted_rows(practice_dir: Path, url: str) -> dict[str, list[dict[str, Any]]]:
    """Bill three claims into the ledger at `url`, post a remittance paying, partly denying and
    denying them and a second one reversing the first payment and paying it again; the rows written, clock aside."""
    bill_claims(url, [(Encounter("E1", (service_line("E1", "99213", "135.00"),
                                        service_line("E1", "36415", "12.00"))), None),
                      (Encounter("E5", (service_line("E5", "99213", "135.00"),
                                        service_line("E5", "J3301", "24.00"))), None),
                      (Encounter("E4", (service_line("E4", "99213", "135.00"),)), None)])
    practice = open_practice(practice_dir, db_url=url)
    paths = []
    for name, text in (("pay.835", era([PAID, PARTLY_DENIED, DENIED])),
                       ("reverse.835", era([REVERSED, CORRECTED], trace="TRACE2"))):
        paths.append(practice_dir / "remits" / name)
        paths[-1].write_text(text)
    result = post_remit_files(practice, paths, now=NOW)
    assert [o.status for o in result.outcomes] == [POSTED, POSTED], [p.message for p in result.problems]
    return {table.name: [{k: v for k, v in row._asdict().items() if k not in CLOCK}
                         for row in rows(url, table)] for table in WRITTEN}


def test_a_remittance_posts_the_same_rows_on_postgresql_as_on_sqlite(practice_template: Path,
                                                                     tmp_path: Path,
                                                                     pg_url: str) -> None:
    folders = [shutil.copytree(practice_template, tmp_path / name) for name in ("lite", "pg")]
    on_sqlite = posted_rows(folders[0], open_practice(folders[0]).db_url)
    on_postgres = posted_rows(folders[1], pg_url)
    assert on_postgres == on_sqlite
    assert len(on_postgres["journal_sources"]) == len(
        [e for e in on_postgres["journal"] if e["kind"] != "charge"])
    assert [e["event"] for e in on_postgres["claim_events"]] == [
        "paid", "partly_paid", "line_denied", "denied", "reversed", "paid"]
    assert on_postgres["claim_events"][2]["detail"]["trace"] == "TRACE1"
