"""The ledger as it stood on a past day, where a table holds only its newest state.

The journal is dated entry by entry, so balances for a past day are a sum with a date bound.
A claim line is updated in place when a worklist correction changes its codes; what it was is
kept in the `corrected` event's detail (`lines_were`). A report for a day before the
correction shows the codes it showed then.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import sqlalchemy as sa

from medsheets.ledger.schema import claim_events


class LineCodes(NamedTuple):
    procedure_code: str
    modifiers: str  # comma-separated, as claim_lines stores them


def line_codes_before(conn: sa.Connection, as_of: dt.date) -> dict[tuple[int, int], LineCodes]:
    """(claim id, line number) -> the codes a line had on `as_of`, for every line corrected
    after that day (lines never corrected since are as claim_lines says)."""
    query = (
        sa.select(claim_events.c.claim_id, claim_events.c.detail)
        .where(claim_events.c.event == "corrected", claim_events.c.effective_date > as_of)
        .order_by(claim_events.c.id.desc())  # the first correction after the day wins
    )
    found: dict[tuple[int, int], LineCodes] = {}
    for claim_id, detail in conn.execute(query):
        for number, was in ((detail or {}).get("lines_were") or {}).items():
            found[(claim_id, int(number))] = LineCodes(
                str(was["procedure_code"]), ",".join(was.get("modifiers") or []))
    return found
