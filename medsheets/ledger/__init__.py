"""The ledger: the practice's database of claims, money and runs (SQLAlchemy Core, Alembic).

    ledger = Ledger.open(practice.db_url)           # creates or migrates the database
    with hold_practice(practice, "claims"):    # one medsheets run at a time
        with ledger.transaction() as tx:            # one run = one transaction
            run_id = tx.start_run("claims", [(name, sha256)])
            ...
            tx.finish_run(run_id, {"claims": 3})

Money goes in and comes out as Decimal and is stored as integer cents. Financial events are an
append-only journal (records.py has the sign conventions); balances are sums over it.
"""

from medsheets.ledger.errors import JournalError, LedgerError, LedgerVersionError
from medsheets.ledger.lock import hold_practice
from medsheets.ledger.records import (
    ClaimRow,
    ClaimStatus,
    JournalEntry,
    Kind,
    LineRow,
    Party,
    PostedEntry,
)
from medsheets.ledger.sql import utc_now
from medsheets.ledger.store import Ledger
from medsheets.ledger.transaction import Transaction

__all__ = [
    "ClaimRow",
    "ClaimStatus",
    "JournalEntry",
    "JournalError",
    "Kind",
    "Ledger",
    "LedgerError",
    "LedgerVersionError",
    "LineRow",
    "Party",
    "PostedEntry",
    "Transaction",
    "hold_practice",
    "utc_now",
]
