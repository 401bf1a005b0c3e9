"""The handle a run changes the ledger through: one database transaction.

`Ledger.transaction()` yields a Transaction; everything a run records (its run row, claims,
journal entries, batches, control numbers) goes through it and commits together when the
`with` block ends, or not at all if it raises or the process dies. Before it commits, the
ledger's rules (invariants.py) are checked over what its runs touched. Its methods are grouped
by subject in the mixins it is made of; the subject modules (events, payments, remittances,
statements, denials, reports) take it as their first argument.
"""

from __future__ import annotations

import sqlalchemy as sa

from medsheets.ledger.balances import BalancesMixin
from medsheets.ledger.claims import ClaimsMixin
from medsheets.ledger.followup import FollowupMixin
from medsheets.ledger.journal import JournalMixin
from medsheets.ledger.outputs import OutputsMixin
from medsheets.ledger.profiles import BilledLinesMixin, ProfilesMixin
from medsheets.ledger.runs import RunsMixin


class Transaction(RunsMixin, ClaimsMixin, ProfilesMixin, BilledLinesMixin, JournalMixin,
                  BalancesMixin, OutputsMixin, FollowupMixin):
    """Runs and batches, patients (their profiles) and claims, journal postings and balances, in one transaction."""

    def __init__(self, connection: sa.Connection) -> None:
        self.conn = connection
        self.runs: set[int] = set()  # the runs this transaction writes: checked before commit
