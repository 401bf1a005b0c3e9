"""The whole-history check: replaying the journal to a past day gives that day's aging.

Every `aging` run recorded its bucket totals (trend.py). Summing the journal again today, with
each entry's effective date bounded by that run's as-of day, must give the same totals to the
cent: what was posted later was dated later, so it cannot reach back. A difference means an
entry was dated into a day already reported (a posting dated by the wrong day, or a back-dated
correction): each is listed with the day, what was reported, and what the ledger says now.
This is the date-aware invariant a ledger verification runs beside the money invariants.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from medsheets.ledger.reports import trend
from medsheets.ledger.reports.buckets import AgeBasis, Scope
from medsheets.ledger.reports.totals import Buckets, party_totals

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction


class ReplayMismatch(NamedTuple):
    as_of: dt.date
    basis: AgeBasis
    reported: Buckets
    replayed: Buckets


def replay_mismatches(tx: Transaction) -> list[ReplayMismatch]:
    """Every recorded aging whose totals the journal, replayed to its day, no longer gives."""
    latest: dict[tuple[dt.date, AgeBasis], Buckets] = {}
    for counts, finished in trend.aging_runs(tx):
        point = trend.point_of(counts, finished)
        if point is None:
            continue
        basis = AgeBasis.BILLED if counts.get("age_from_billed") else AgeBasis.SERVICE
        latest[(point.as_of, basis)] = point.totals  # the latest run for the day counts
    found = []
    for (as_of, basis), reported in sorted(latest.items()):
        replayed = party_totals(tx, Scope(as_of, basis)).grand
        if replayed != reported:
            found.append(ReplayMismatch(as_of, basis, reported, replayed))
    return found
