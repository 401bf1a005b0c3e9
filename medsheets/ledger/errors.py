"""What the ledger raises when it cannot do what was asked.

Each is a MedsheetsError (exit code 2 in the CLI) with a message a person can act on and no
patient data in it: messages name ids, revisions and file names, never a name or a balance.
"""

from __future__ import annotations

from medsheets.errors import MedsheetsError


class LedgerError(MedsheetsError):
    """The ledger database cannot be opened or used as asked."""


class LedgerVersionError(LedgerError):
    """The ledger was written by a newer medsheets than the one running."""


class JournalError(LedgerError):
    """A posting that would break the journal's rules (unknown claim, double reversal...)."""
