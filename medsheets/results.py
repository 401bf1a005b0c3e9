"""The one shape every command's result has, so `medsheets run` can treat its steps alike.

Each command returns its own record of what it did (BillingResult, RemitResult, ...), printed
by its own report; what they share is whether data was held back, which decides exit code 1.
"""

from __future__ import annotations

from typing import Protocol


class CommandResult(Protocol):
    """What a command did. `has_errors`: some data had errors and was held back (exit 1)."""

    @property
    def has_errors(self) -> bool: ...
