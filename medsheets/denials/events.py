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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from medsheets.ledger import ClaimRow, Transaction
from medsheets.ledger.cob import CoverageRow
from medsheets.ledger.events import (
    LINE_RESOLUTIONS,
    EventRow,
    events_of_denied_claims,
    line_ids,
)

NOTE = "note"  # the biller's note on a worklist row (source worklist), shown on the next one
CLAIM_DENIALS = frozenset({"rejected", "denied"})
CLAIM_RESOLUTIONS = frozenset({"corrected", "voided"})
PAYER_ANSWERS = frozenset({"accepted", "paid", "partly_paid", "forwarded", "reversed", "pended"})


@dataclass(frozen=True)
class OpenDenial:
    """A claim on the worklist: for each open line (claim line id), the event that denied it.

    `ref` is the newest of those events: the worklist carries it, so `resubmit` can tell an
    answer to this denial from one to an older denial of the same claim.
    """

    claim_id: int
    lines: Mapping[int, EventRow]
    notes: Mapping[int, str] = field(default_factory=dict)  # line id -> the biller's last note

    @property
    def ref(self) -> int:
        return max(event.id for event in self.lines.values())

    @property
    def latest(self) -> EventRow:
        return max(self.lines.values(), key=lambda event: event.id)


def open_lines(events: Sequence[EventRow], line_ids: Sequence[int]) -> dict[int, EventRow]:
    """The claim's open lines after `events` (in id order): line id -> the event denying it."""
    open_: dict[int, EventRow] = {}
    for _, run_events in groupby(events, key=lambda event: event.run_id):
        batch = list(run_events)
        if any(event.event in PAYER_ANSWERS for event in batch):
            open_ = {}
        for event in batch:
            _apply(open_, event, line_ids)
    return open_


def _apply(open_: dict[int, EventRow], event: EventRow, line_ids: Sequence[int]) -> None:
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


def open_denials(tx: Transaction, claim_ids: Iterable[int] | None = None) -> dict[int, OpenDenial]:
    """Every claim now on the worklist (or only those of `claim_ids`), by claim id."""
    events = events_of_denied_claims(tx, claim_ids)
    lines = line_ids(tx, events.keys())
    result: dict[int, OpenDenial] = {}
    for claim_id, claim_events_ in events.items():
        still_open = open_lines(claim_events_, lines.get(claim_id, []))
        if still_open:
            notes = {e.claim_line_id: str((e.detail or {}).get("note", ""))
                     for e in claim_events_ if e.event == NOTE and e.claim_line_id is not None}
            result[claim_id] = OpenDenial(claim_id, still_open, notes)
    return result


def denying_coverage(claim: ClaimRow, denial: OpenDenial,
                     insurances: Mapping[int, CoverageRow]) -> CoverageRow | None:
    """The further insurance that denied the claim (None: the primary or the clearinghouse)."""
    payer_id = denial.latest.payer_id
    if not payer_id or payer_id == claim.payer_id:
        return None
    return next((row for _, row in sorted(insurances.items())
                 if row.coverage.payer_id == payer_id), None)


def claim_number(coverage: CoverageRow, denial: OpenDenial) -> str | None:
    """The secondary's own claim number: kept from its 835, else on the denial itself."""
    return coverage.payer_claim_number or denial.latest.payer_claim_number
