"""Claim events and claim status, recorded the way docs/posting.md says.

`claim_events` is the history of what was said about a claim (the denial worklist and the KPIs
read it); `claims.status` is where it stands now. An acknowledgment or an EOB adds an event and
moves the status, except that a claim already adjudicated (paid, denied, void) keeps its
status: a late 277CA must not turn a paid claim back into an accepted one. The event is still
recorded, so the history stays complete.

The same event said twice (the same claim, source, event, reason codes and date: an ack file
re-sent under another name) is recorded once.

The denial worklist reads the events back (`EventRow`) to tell which claims and lines are
still open (denials/events.py holds that rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.records import ClaimRow, ClaimStatus
from medsheets.ledger.schema import claim_events, claim_lines, claims
from medsheets.ledger.sql import insert_id, utc_now

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

# Statuses an acknowledgment may still change: the claim has not been adjudicated yet.
OPEN_TO_ACKS = frozenset({ClaimStatus.BILLED, ClaimStatus.ACCEPTED, ClaimStatus.REJECTED})
REASON_CODES_WIDTH = 200
DENIAL_EVENTS = frozenset({"rejected", "denied", "line_denied"})
LINE_RESOLUTIONS = frozenset({"written_off", "billed_to_patient"})
REBILLED = "rebilled"  # the claim moved to another payer; the event names the payer it left
ADJUDICATION_EVENTS = frozenset({"paid", "partly_paid", "denied", "line_denied", "forwarded",
                                 "reversed", "pended"})


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
    insert_id(tx.conn, claim_events.insert().values(**event_values(run_id, event, utc_now())))
    return True


def event_values(run_id: int, event: ClaimEvent, created_at: dt.datetime) -> dict[str, Any]:
    """The claim_events row of `event` (blank payer claim number and reason codes stored as
    NULL), for `add_event` and for the bulk writer of a run's new claims' first events."""
    return {"run_id": run_id, "claim_id": event.claim_id, "claim_line_id": event.claim_line_id,
            "source": event.source, "event": event.event, "payer_id": event.payer_id,
            "payer_claim_number": event.payer_claim_number or None,
            "reason_codes": event.reason_codes or None, "detail": event.detail,
            "effective_date": event.effective_date, "created_at": created_at}


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


@dataclass(frozen=True, slots=True)
class EventRow:
    """A claim_events row: what was said about a claim (or one of its lines), by whom, when."""

    id: int
    run_id: int
    claim_id: int
    claim_line_id: int | None
    source: str
    event: str
    payer_claim_number: str | None
    reason_codes: str | None
    effective_date: dt.date
    detail: dict[str, Any] | None = None  # the explanation and own words of a 277CA/277, a note
    payer_id: str | None = None  # who said it: a secondary's 835 names the secondary


def events_of_denied_claims(
    tx: Transaction, claim_ids: Iterable[int] | None = None
) -> dict[int, list[EventRow]]:
    """All events, in order, of every claim (of `claim_ids`) that was ever rejected or denied."""
    denied = sa.select(claim_events.c.claim_id).where(claim_events.c.event.in_(DENIAL_EVENTS))
    if claim_ids is not None:
        denied = denied.where(claim_events.c.claim_id.in_(list(claim_ids)))
    query = (
        sa.select(*(claim_events.c[name] for name in EventRow.__dataclass_fields__))
        .where(claim_events.c.claim_id.in_(denied.distinct().scalar_subquery()))
        .order_by(claim_events.c.claim_id, claim_events.c.id)
    )
    found: dict[int, list[EventRow]] = {}
    for row in tx.conn.execute(query):
        found.setdefault(row.claim_id, []).append(EventRow(**row._asdict()))
    return found


def line_ids(tx: Transaction, claim_ids: Iterable[int]) -> dict[int, list[int]]:
    """The line ids of these claims, in line-number order, by claim id."""
    wanted = list(claim_ids)
    if not wanted:
        return {}
    query = (
        sa.select(claim_lines.c.claim_id, claim_lines.c.id)
        .where(claim_lines.c.claim_id.in_(wanted))
        .order_by(claim_lines.c.claim_id, claim_lines.c.line_number)
    )
    found: dict[int, list[int]] = {}
    for claim_id, line_id in tx.conn.execute(query):
        found.setdefault(claim_id, []).append(line_id)
    return found


def adjudicated(tx: Transaction, claim_ids: Iterable[int]) -> set[int]:
    """The claims a payer has adjudicated (any 835 answer): the payer has them on file, so
    they are corrected or voided by frequency 7 or 8, never sent again as new."""
    wanted = list(claim_ids)
    if not wanted:
        return set()
    query = (
        sa.select(claim_events.c.claim_id).distinct()
        .where(claim_events.c.claim_id.in_(wanted), claim_events.c.event.in_(ADJUDICATION_EVENTS))
    )
    return {int(claim_id) for claim_id in tx.conn.execute(query).scalars()}


def line_settled_since(tx: Transaction, line_id: int, event_id: int) -> bool:
    """Whether the line was written off or billed to the patient after event `event_id`."""
    query = sa.select(claim_events.c.id).where(
        claim_events.c.claim_line_id == line_id, claim_events.c.event.in_(LINE_RESOLUTIONS),
        claim_events.c.id > event_id)
    return tx.conn.execute(query.limit(1)).first() is not None
