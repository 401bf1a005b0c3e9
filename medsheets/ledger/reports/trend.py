"""Each aging run's bucket totals, kept in the ledger so next week's workbook shows the movement.

A run's `counts` hold whole numbers only, so the totals are stored in cents under plain keys:
{"as_of": 20261130, "age_from_billed": 0, "source": ..., "bucket_0_30_cents": 12345, ...,
"on_account_cents": -500, "total_cents": ...}. `source` is a number drawn
from the fingerprint of the ledger data the run read, so a run over unchanged data is
recognised and not recorded twice. The Trend sheet shows one row per as-of date (the latest
run for it), oldest first, for runs with the same age basis as the current one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.reports.buckets import BUCKET_KEYS, AgeBasis, Scope
from medsheets.ledger.reports.totals import Buckets
from medsheets.ledger.schema import (
    claim_events,
    claims,
    collection_placements,
    journal,
    patients,
    runs,
    statements,
)

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

COMMAND = "aging"
CELL_KEYS = tuple(f"{key}_cents" for key in BUCKET_KEYS) + ("on_account_cents",)


@dataclass(frozen=True)
class TrendPoint:
    """The bucket totals of one aging run: as of which day, recorded when."""

    as_of: dt.date
    recorded_at: dt.datetime | None
    totals: Buckets


def source_key(fingerprint: str) -> int:
    """A whole number (60 bits) standing for a sha256 fingerprint, storable in run counts."""
    return int(fingerprint[:15], 16)


def run_counts(scope: Scope, totals: Buckets, fingerprint: str) -> dict[str, int]:
    counts = {
        "as_of": int(scope.as_of.strftime("%Y%m%d")),
        "age_from_billed": int(scope.basis is AgeBasis.BILLED),
        "source": source_key(fingerprint),
    }
    counts.update(zip(CELL_KEYS, totals.cents))
    counts["total_cents"] = totals.total
    return counts


def point_of(counts: Mapping[str, Any], recorded_at: dt.datetime | None) -> TrendPoint | None:
    try:
        as_of = dt.datetime.strptime(str(counts["as_of"]), "%Y%m%d").date()
        cells = [int(counts.get(key, 0)) for key in CELL_KEYS]
    except (KeyError, ValueError, TypeError):
        return None  # not a run this module recorded
    return TrendPoint(as_of, recorded_at, Buckets.of(cells))


def aging_runs(tx: Transaction) -> list[tuple[Mapping[str, Any], dt.datetime | None]]:
    conn = tx.conn
    query = (
        sa.select(runs.c.counts, runs.c.finished_at)
        .where(runs.c.command == COMMAND, runs.c.status == "ok")
        .order_by(runs.c.id)
    )
    return [(counts or {}, finished) for counts, finished in conn.execute(query)]


def already_recorded(tx: Transaction, fingerprint: str) -> bool:
    """Whether an earlier run read exactly the data (and as-of date and basis) this one reads."""
    key = source_key(fingerprint)
    return any(counts.get("source") == key for counts, _ in aging_runs(tx))


def trend(tx: Transaction, scope: Scope, current: Buckets, now: dt.datetime) -> list[TrendPoint]:
    """Earlier runs of the same basis, one per as-of date (the latest), then the current one.

    Only days up to the report's own: a report for a past day shows the trend as it was then,
    not runs made later for later days.
    """
    billed = int(scope.basis is AgeBasis.BILLED)
    by_day: dict[dt.date, TrendPoint] = {}
    for counts, finished in aging_runs(tx):
        if counts.get("age_from_billed", 0) != billed:
            continue
        point = point_of(counts, finished)
        if point is not None and point.as_of < scope.as_of:
            by_day[point.as_of] = point
    by_day[scope.as_of] = TrendPoint(scope.as_of, now, current)
    return [by_day[day] for day in sorted(by_day)]


def ledger_state(tx: Transaction) -> list[object]:
    """What tells one state of the ledger from another, for a report's fingerprint. Journal,
    events, statements and placements are only ever appended to, so a count and the highest id
    tell their state; claims and patients change in place, so their statuses and last update
    are included too."""
    conn = tx.conn
    facts: list[object] = []
    for table in (journal, claim_events, statements, collection_placements, claims):
        facts.append(list(conn.execute(sa.select(sa.func.count(), sa.func.max(table.c.id))).one()))
    facts.append(sorted(map(list, conn.execute(
        sa.select(claims.c.status, sa.func.count(), sa.func.count(claims.c.accepted_at))
        .group_by(claims.c.status)))))
    facts.append(list(conn.execute(
        sa.select(sa.func.count(), sa.func.max(patients.c.updated_at))).one()))
    return facts
