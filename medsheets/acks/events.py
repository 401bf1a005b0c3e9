"""Claim events and claim status, recorded the way docs/posting.md says.

`claim_events` is the history of what was said about a claim (the denial worklist and the KPIs
read it); `claims.status` is where it stands now. An acknowledgment or an EOB adds an event and
moves the status, except that a claim already adjudicated (paid, denied, void) keeps its
status: a late 277CA must not turn a paid claim back into an accepted one. The event is still
recorded, so the history stays complete.

The same event said twice (the same claim, source, event, reason codes and date: an ack file
re-sent under another name) is recorded once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from medsheets.ledger import ClaimRow, ClaimStatus, Transaction
from medsheets.ledger.schema import claim_events, claims
from medsheets.ledger.sql import insert_id, utc_now

# Statuses an acknowledgment may still change: the claim has not been adjudicated yet.
OPEN_TO_ACKS = frozenset({ClaimStatus.BILLED, ClaimStatus.ACCEPTED, ClaimStatus.REJECTED})
REASON_CODES_WIDTH = 200


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    """One thing said about a claim: by whom (source), what (event), why (reason codes: codes
    only, no patient data), when it took effect, and details for the worklist (JSON)."""

    claim_id: int
    source: str  # 999, 277CA, eob
    event: str  # accepted, rejected, paid, partly_paid, denied, line_denied ...
    effective_date: dt.date
    reason_codes: str = ""
    payer_id: str | None = None
    payer_claim_number: str | None = None
    claim_line_id: int | None = None
    detail: dict[str, Any] | None = None


def fit_reason_codes(tokens: list[str]) -> str:
    """Space-separated codes that fit the column; those that do not become '+N' at the end."""
    text = " ".join(tokens)
    kept = list(tokens)
    while len(text) > REASON_CODES_WIDTH and kept:
        kept.pop()
        text = " ".join([*kept, f"+{len(tokens) - len(kept)}"])
    return text


def add_event(tx: Transaction, run_id: int, event: ClaimEvent) -> bool:
    """Record `event`; False (and nothing written) when the same event is already recorded."""
    c = claim_events.c
    same = sa.select(c.id).where(
        c.claim_id == event.claim_id, c.source == event.source, c.event == event.event,
        c.reason_codes == (event.reason_codes or None), c.effective_date == event.effective_date,
        c.claim_line_id.is_(None) if event.claim_line_id is None else c.claim_line_id == event.claim_line_id,
    )
    if tx.conn.execute(same.limit(1)).first() is not None:
        return False
    insert_id(tx.conn, claim_events.insert().values(
        run_id=run_id, claim_id=event.claim_id, claim_line_id=event.claim_line_id,
        source=event.source, event=event.event, payer_id=event.payer_id,
        payer_claim_number=event.payer_claim_number or None,
        reason_codes=event.reason_codes or None, detail=event.detail,
        effective_date=event.effective_date, created_at=utc_now(),
    ))
    return True


def move_status(tx: Transaction, claim: ClaimRow, status: ClaimStatus,
                payer_claim_number: str | None = None, *, only_if_open: bool = True) -> bool:
    """Set the claim's status (and payer claim number); False when it keeps its status because
    it was already adjudicated (with `only_if_open`)."""
    if only_if_open and claim.status not in OPEN_TO_ACKS:
        if payer_claim_number and not claim.payer_claim_number:
            tx.set_claim_status(claim.id, claim.status, payer_claim_number)
        return False
    tx.set_claim_status(claim.id, status, payer_claim_number or None)
    return True


def note_acceptance(tx: Transaction, claim_id: int, day: dt.date) -> bool:
    """Set claims.accepted_at to `day` unless the claim was accepted before; True if set."""
    result = tx.conn.execute(
        claims.update()
        .where(claims.c.id == claim_id, claims.c.accepted_at.is_(None))
        .values(accepted_at=dt.datetime.combine(day, dt.time()))
    )
    return result.rowcount == 1
