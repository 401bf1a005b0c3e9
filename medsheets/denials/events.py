"""Which claims, and which of their lines, are open on the denial worklist.

docs/posting.md fixes the rule: a claim is on the worklist when its latest word from the
clearinghouse or payer is `rejected`, `denied` or `line_denied`, and nothing was done about it
since (`corrected`, `voided`, `written_off`, `billed_to_patient`). Working a worklist can
settle one line of a claim and leave another open, so the rule is kept per line here:

- events are read in order, a run's events together (one 835 may say `partly_paid` for the
  claim and `line_denied` for two of its lines: those two are the open ones);
- a run saying anything else about the claim (accepted, paid, forwarded, reversed, pended)
  closes what was open, then opens what that same run denied;
- `rejected` / `denied` (and a `line_denied` naming no line) open every line;
- `corrected` / `voided` close the claim; `written_off` / `billed_to_patient` close their line
  (or the claim, when they name none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

import sqlalchemy as sa

from medsheets.ledger.schema import claim_events, claim_lines

DENIAL_EVENTS = frozenset({"rejected", "denied", "line_denied"})
CLAIM_DENIALS = frozenset({"rejected", "denied"})
CLAIM_RESOLUTIONS = frozenset({"corrected", "voided"})
LINE_RESOLUTIONS = frozenset({"written_off", "billed_to_patient"})
PAYER_ANSWERS = frozenset({"accepted", "paid", "partly_paid", "forwarded", "reversed", "pended"})
ADJUDICATION_EVENTS = frozenset({"paid", "partly_paid", "denied", "line_denied", "forwarded",
                                 "reversed", "pended"})


@dataclass(frozen=True, slots=True)
class ClaimEvent:
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


@dataclass(frozen=True)
class OpenDenial:
    """A claim on the worklist: for each open line (claim line id), the event that denied it.

    `ref` is the newest of those events: the worklist carries it, so `resubmit` can tell an
    answer to this denial from one to an older denial of the same claim.
    """

    claim_id: int
    lines: Mapping[int, ClaimEvent]

    @property
    def ref(self) -> int:
        return max(event.id for event in self.lines.values())

    @property
    def latest(self) -> ClaimEvent:
        return max(self.lines.values(), key=lambda event: event.id)


def open_lines(events: Sequence[ClaimEvent], line_ids: Sequence[int]) -> dict[int, ClaimEvent]:
    """The claim's open lines after `events` (in id order): line id -> the event denying it."""
    open_: dict[int, ClaimEvent] = {}
    for _, run_events in groupby(events, key=lambda event: event.run_id):
        batch = list(run_events)
        if any(event.event in PAYER_ANSWERS for event in batch):
            open_ = {}
        for event in batch:
            _apply(open_, event, line_ids)
    return open_


def _apply(open_: dict[int, ClaimEvent], event: ClaimEvent, line_ids: Sequence[int]) -> None:
    whole_claim = event.claim_line_id is None
    if event.event in CLAIM_DENIALS or (event.event == "line_denied" and whole_claim):
        open_.clear()
        open_.update(dict.fromkeys(line_ids, event))
    elif event.event == "line_denied" and event.claim_line_id is not None:
        open_[event.claim_line_id] = event
    elif event.event in CLAIM_RESOLUTIONS or (event.event in LINE_RESOLUTIONS and whole_claim):
        open_.clear()
    elif event.event in LINE_RESOLUTIONS and event.claim_line_id is not None:
        open_.pop(event.claim_line_id, None)


def open_denials(conn: sa.Connection, claim_ids: Iterable[int] | None = None) -> dict[int, OpenDenial]:
    """Every claim now on the worklist (or only those of `claim_ids`), by claim id."""
    events = _events_of_denied_claims(conn, claim_ids)
    lines = _line_ids(conn, events.keys())
    result: dict[int, OpenDenial] = {}
    for claim_id, claim_events_ in events.items():
        still_open = open_lines(claim_events_, lines.get(claim_id, []))
        if still_open:
            result[claim_id] = OpenDenial(claim_id, still_open)
    return result


def _events_of_denied_claims(
    conn: sa.Connection, claim_ids: Iterable[int] | None
) -> dict[int, list[ClaimEvent]]:
    """All events, in order, of every claim that was ever rejected or denied."""
    denied = sa.select(claim_events.c.claim_id).where(claim_events.c.event.in_(DENIAL_EVENTS))
    if claim_ids is not None:
        denied = denied.where(claim_events.c.claim_id.in_(list(claim_ids)))
    query = (
        sa.select(*(claim_events.c[name] for name in ClaimEvent.__dataclass_fields__))
        .where(claim_events.c.claim_id.in_(denied.distinct().scalar_subquery()))
        .order_by(claim_events.c.claim_id, claim_events.c.id)
    )
    found: dict[int, list[ClaimEvent]] = {}
    for row in conn.execute(query):
        found.setdefault(row.claim_id, []).append(ClaimEvent(**row._asdict()))
    return found


def _line_ids(conn: sa.Connection, claim_ids: Iterable[int]) -> dict[int, list[int]]:
    wanted = list(claim_ids)
    if not wanted:
        return {}
    query = (
        sa.select(claim_lines.c.claim_id, claim_lines.c.id)
        .where(claim_lines.c.claim_id.in_(wanted))
        .order_by(claim_lines.c.claim_id, claim_lines.c.line_number)
    )
    found: dict[int, list[int]] = {}
    for claim_id, line_id in conn.execute(query):
        found.setdefault(claim_id, []).append(line_id)
    return found


def adjudicated(conn: sa.Connection, claim_ids: Iterable[int]) -> set[int]:
    """The claims a payer has adjudicated (any 835 answer): the payer has them on file, so
    they are corrected or voided by frequency 7 or 8, never sent again as new."""
    wanted = list(claim_ids)
    if not wanted:
        return set()
    query = (
        sa.select(claim_events.c.claim_id).distinct()
        .where(claim_events.c.claim_id.in_(wanted), claim_events.c.event.in_(ADJUDICATION_EVENTS))
    )
    return {int(claim_id) for claim_id in conn.execute(query).scalars()}
