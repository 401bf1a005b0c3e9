"""Posting X12 835 remittances: payments, adjustments, denials, reversals, provider adjustments.

    835 file ─► files/parse (records) ─► balance ─► match ─► plan ─► post (ledger) ─► report

`post_remit_files(practice, paths, now=...)` is the whole `medsheets remit` command as a
library call (run.py); each stage is a module of its own and, but for post.py,
works without a database (their reads and writes are medsheets/ledger/remittances.py).
"""

from medsheets.remit.run import post_remit_files

__all__ = ["post_remit_files"]
