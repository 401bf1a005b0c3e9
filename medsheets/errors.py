"""Exceptions for what stops a command from running at all (exit code 2).

Problems in the data are not exceptions: they are `Problem` values collected and reported.
These classes are for the environment: a missing or unreadable file, a bad configuration, a
ledger held by another run. Each carries a message a person can act on; the CLI prints it as
one line on stderr.
"""

from __future__ import annotations


class MedsheetsError(Exception):
    """Base class: the command cannot run. The message says what to do."""


class BadFileError(MedsheetsError):
    """An input file that cannot be read as what it should be (not an xlsx, damaged, hostile)."""


class ConfigError(MedsheetsError):
    """medsheets.toml is missing, unreadable, or has a wrong or unknown key."""


class PracticeError(MedsheetsError):
    """The practice folder is missing or not a practice folder, or would be overwritten."""


class LedgerBusyError(MedsheetsError):
    """Another medsheets run holds the practice's ledger."""
