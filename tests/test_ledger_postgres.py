"""The same ledger on PostgreSQL (docs/files.md: --db postgresql://... for offices with several billers).

Runs only when MEDSHEETS_TEST_POSTGRES_URL names a server where the test may create and drop
databases, e.g. postgresql+psycopg://postgres@/postgres?host=/tmp/pg, and a driver is installed;
otherwise skipped. Each test gets a database of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
import sqlalchemy as sa
from conftest import needs_postgres
from test_ledger_support import bill, encounter

from medsheets.ledger import JournalEntry, Kind, Ledger, Party

TODAY = dt.date(2026, 11, 27)

pytestmark = needs_postgres


def test_postgres_ledger_migrates_once_and_balances_add_up(pg_url: str) -> None:
    ledger = Ledger.open(pg_url)
    assert ledger.migrated
    run_id, claim_id = bill(ledger, encounter("E1"))
    with ledger.transaction() as tx:
        (line_row,) = tx.claim_lines(claim_id)
        paid = JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, Decimal("70.00"), claim_id=claim_id,
                            claim_line_id=line_row.id, payer_id="BCBS", effective_date=TODAY)
        (paid_id,) = tx.post([paid])
        tx.post([replace(paid, kind=Kind.TRANSFER, party=Party.PATIENT, amount=Decimal("20.00"))])
        tx.reverse(paid_id, run_id, TODAY)
        assert tx.claim_balance(claim_id) == Decimal("120.00")
        assert tx.patient_balances() == {"P1": Decimal("20.00")}
        assert tx.payer_balances() == {"BCBS": Decimal("100.00")}
        assert tx.allocate_control_numbers(2) == (1, 1, 1)
    ledger.close()
    again = Ledger.open(pg_url)
    assert not again.migrated
    with pytest.raises(sa.exc.DatabaseError, match="never changed"), again.transaction() as tx:
        tx.conn.exec_driver_sql("UPDATE journal SET amount_cents = 0")
    with again.reading() as tx:
        assert tx.total_balance() == Decimal("120.00")
        assert tx.find_claim("E1") is not None
    again.close()
