"""Reading the ledger with the database driver alone: `check`'s path, without SQLAlchemy.

A returning practice's `check` reads three things from the ledger (profiles, billed lines,
the payers' answers); importing SQLAlchemy to do it cost more than the whole check of a small
day. So the few SELECTs it runs are compiled from their Core statements once, into a module
(`sqlite_statements.py`, written by `python -m medsheets.ledger.plain.build`; a test proves it
is what the statements compile to), and run here through `sqlite3`. The query text is never
written by hand: the Core statements in profiles.py and eligibility.py stay its one source.

Only a SQLite ledger at this medsheets' newest schema revision is read this way; anything else
(a server database, an older ledger to migrate, a newer one to refuse, a file that is not a
ledger) goes through `Ledger.open`, which says so exactly as before.
"""
