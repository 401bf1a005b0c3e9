"""`medsheets verify`: check the whole ledger against its rules, and say what holds.

The same rules every run must keep before it commits (medsheets/ledger/invariants.py), run
over every entry the ledger has, plus the one a run may break on purpose (a line owing less
than nothing: an overpayment to refund). It only reads: the ledger is opened without the
write lock, so it may run while another command works.
"""

from __future__ import annotations

from dataclasses import dataclass

from medsheets.ledger import Ledger
from medsheets.ledger.invariants import Breach, verify_ledger
from medsheets.practice import Practice


@dataclass(frozen=True)
class VerifyResult:
    """Each rule in words with the breaches found (empty: the rule holds)."""

    rules: tuple[tuple[str, tuple[Breach, ...]], ...]

    @property
    def holds(self) -> bool:
        return not any(breaches for _, breaches in self.rules)


def verify_practice(practice: Practice) -> VerifyResult:
    """Run every rule over the practice's whole ledger."""
    with Ledger.open(practice.db_url) as ledger:
        found = verify_ledger(ledger)
    return VerifyResult(tuple((words, tuple(breaches)) for words, breaches in found))
