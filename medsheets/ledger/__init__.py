"""The ledger: the practice's database of claims, money and runs (SQLAlchemy Core, Alembic).

    ledger = Ledger.open(practice.db_url)           # creates or migrates the database
    with hold_practice(practice, "claims"):    # one medsheets run at a time
        with ledger.transaction() as tx:            # one run = one transaction
            run_id = tx.start_run("claims", [(name, sha256)])
            ...
            tx.finish_run(run_id, {"claims": 3})

Money goes in and comes out as Decimal and is stored as integer cents. Financial events are an
append-only journal (records.py has the sign conventions); balances are sums over it.

The names below are imported when first asked for (PEP 562), not with the package: a module
of the ledger that needs no SQLAlchemy (`plain/`, check's read path) imports none of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOME = {
    "JournalError": "errors", "LedgerError": "errors", "LedgerVersionError": "errors",
    "hold_practice": "lock",
    "ClaimRow": "records", "ClaimStatus": "records", "JournalEntry": "records", "Kind": "records",
    "LineRow": "records", "Party": "records", "PostedEntry": "records",
    "utc_now": "sql",
    "Ledger": "store",
    "Transaction": "transaction",
}

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
