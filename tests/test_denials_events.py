"""Which claims and lines are open on the worklist, from the claim events (docs/posting.md)."""

from __future__ import annotations

import datetime as dt

from medsheets.denials.events import open_lines
from medsheets.ledger.events import EventRow

LINES = [11, 12, 13]


def event(number: int, run: int, name: str, line: int | None = None) -> EventRow:
    return EventRow(number, run, 1, line, "835", name, None, None, dt.date(2026, 12, number))


def opened(*events: EventRow) -> dict[int, int]:
    return {line: found.id for line, found in open_lines(list(events), LINES).items()}


def test_a_denied_or_rejected_claim_opens_every_line() -> None:
    assert opened(event(1, 1, "denied")) == {11: 1, 12: 1, 13: 1}
    assert opened(event(1, 1, "accepted"), event(2, 2, "rejected")) == {11: 2, 12: 2, 13: 2}


def test_lines_denied_in_a_partly_paid_remittance_are_the_open_ones() -> None:
    paid_then_denied = opened(event(1, 1, "partly_paid"), event(2, 1, "line_denied", 12))
    denied_then_paid = opened(event(1, 1, "line_denied", 12), event(2, 1, "partly_paid"))
    assert paid_then_denied == {12: 2} and denied_then_paid == {12: 1}


def test_a_later_answer_from_the_payer_closes_an_earlier_denial() -> None:
    assert opened(event(1, 1, "denied"), event(2, 2, "paid")) == {}
    assert opened(event(1, 1, "rejected"), event(2, 2, "accepted")) == {}
    reprocessed = opened(event(1, 1, "denied"), event(2, 2, "partly_paid"), event(3, 2, "line_denied", 13))
    assert reprocessed == {13: 3}


def test_worklist_actions_close_their_claim_or_their_line() -> None:
    denied = event(1, 1, "denied")
    assert opened(denied, event(2, 2, "corrected")) == {}
    assert opened(denied, event(2, 2, "voided")) == {}
    assert opened(denied, event(2, 2, "written_off", 11), event(3, 2, "billed_to_patient", 12)) == {13: 1}
    assert opened(denied, event(2, 2, "written_off")) == {}


def test_a_corrected_claim_denied_again_is_back_on_the_worklist() -> None:
    history = (event(1, 1, "denied"), event(2, 2, "corrected"), event(3, 3, "denied"))
    assert opened(*history) == {11: 3, 12: 3, 13: 3}
    assert opened(*history[:2], event(3, 3, "pended")) == {}
