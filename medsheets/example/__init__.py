"""The example practice: a working practice folder for `medsheets init` and for examples/.

A new user's first run should work on realistic data before they type their own: a fee
schedule with real limits, two days of a family practice's encounters, payers of each kind.
Everything is generated from plain data in this package, so the committed example and what
`init` writes can never drift apart. All people, IDs and addresses are fictional.
"""

from medsheets.example.folder import (
    COMMITTED_DAYS,
    create_practice,
    recent_weekdays,
    refresh_example,
    write_practice,
)

__all__ = ["COMMITTED_DAYS", "create_practice", "recent_weekdays", "refresh_example",
           "write_practice"]
