"""Clearinghouse acknowledgments: the 999 (was our file well formed?) and the 277CA (claim by
claim: accepted, or rejected and why), recorded in the ledger as claim events and statuses.

    result = read_acknowledgments(practice, [Path("remits/batch1.999")], as_of=dt.date(2026, 12, 1))
"""

from medsheets.acks.process import AckResult, Outcome, load_ack_file, read_acknowledgments

__all__ = ["AckResult", "Outcome", "load_ack_file", "read_acknowledgments"]
