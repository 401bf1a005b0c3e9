"""Aging buckets: which age band every open amount falls in, decided inside the database.

An amount is aged by the line it sits on: from its date of service (default) or from the day
its claim was first sent (`--age-from billed`; a claim never sent, such as a self-pay visit,
keeps its date of service). Entries on no claim at all (an unapplied patient payment, say) have
no visit to age from: they go in a sixth column, "On account".

The bucket of a journal row is a CASE over dates compared with bound boundary dates (never
date arithmetic), so the same SQL runs on SQLite and PostgreSQL and the sums are GROUP BYs the
database does, not Python loops. Only entries effective on or before the as-of date count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.schema import claim_lines, claims, collection_placements, journal

BUCKET_LABELS = ("0–30", "31–60", "61–90", "91–120", "Over 120")
BUCKET_KEYS = ("bucket_0_30", "bucket_31_60", "bucket_61_90", "bucket_91_120", "bucket_over_120")
UPPER_DAYS = (30, 60, 90, 120)  # the last day of each band but the open-ended last one
ON_ACCOUNT = len(BUCKET_LABELS)  # index of the "On account" column: entries on no claim
COLUMNS = ON_ACCOUNT + 1  # five age bands and "On account"
OLDEST = len(BUCKET_LABELS) - 1


class AgeBasis(str, Enum):
    """What an amount's age counts from."""

    SERVICE = "service"  # the date of service
    BILLED = "billed"  # the day the claim was first sent (claims.first_billed_at)

    @property
    def description(self) -> str:
        if self is AgeBasis.SERVICE:
            return "ages count from the date of service"
        return "ages count from the day the claim was first sent (date of service if never sent)"


@dataclass(frozen=True)
class Scope:
    """One aging: as of which day, aged from what."""

    as_of: dt.date
    basis: AgeBasis = AgeBasis.SERVICE

    @property
    def boundaries(self) -> tuple[dt.date, ...]:
        """The earliest date still inside each of the first four bands."""
        return tuple(self.as_of - dt.timedelta(days=days) for days in UPPER_DAYS)


def bucket_of(age_days: int) -> int:
    """The band of an age in days (a date after the as-of date counts as age 0)."""
    for index, upper in enumerate(UPPER_DAYS):
        if age_days <= upper:
            return index
    return OLDEST


def age_in_days(scope: Scope, service: dt.date, billed_at: dt.datetime | None) -> int:
    """An amount's age as the database's CASE decides it, for the Detail sheet's Age column."""
    start = billed_at.date() if scope.basis is AgeBasis.BILLED and billed_at else service
    return (scope.as_of - start).days


def _band_case(column: Any, limits: Sequence[Any]) -> Any:
    whens = [(column >= limit, index) for index, limit in enumerate(limits)]
    return sa.case(*whens, else_=OLDEST)


SERVICE_DATE = sa.func.coalesce(claim_lines.c.date_of_service, claims.c.date_of_service)


def bucket_expression(scope: Scope) -> Any:
    """The bucket index (0-4, or ON_ACCOUNT) of a journal row joined as in `journal_rows`."""
    by_service = _band_case(SERVICE_DATE, scope.boundaries)
    if scope.basis is AgeBasis.SERVICE:
        aged = by_service
    else:
        starts = [dt.datetime.combine(day, dt.time()) for day in scope.boundaries]
        aged = sa.case(
            (claims.c.first_billed_at.is_not(None), _band_case(claims.c.first_billed_at, starts)),
            else_=by_service,
        )
    return sa.case((journal.c.claim_id.is_(None), ON_ACCOUNT), else_=aged)


def journal_rows(scope: Scope) -> Any:
    """Journal rows with their line and claim (either may be missing), and any placement."""
    placed = sa.and_(
        collection_placements.c.patient_id == journal.c.patient_id,
        collection_placements.c.placed_on <= scope.as_of,
    )
    return (
        journal.outerjoin(claim_lines, claim_lines.c.id == journal.c.claim_line_id)
        .outerjoin(claims, claims.c.id == journal.c.claim_id)
        .outerjoin(collection_placements, placed)
    )


def in_scope(scope: Scope) -> Any:
    return journal.c.effective_date <= scope.as_of


def empty_cells() -> list[int]:
    return [0] * COLUMNS
