"""From an acknowledgment to a verdict per claim: accepted or rejected, and why.

999: a rejected transaction set rejects every claim in it (docs/posting.md), the reason being
the IK3/IK4 segment and element at fault; an accepted set changes nothing (it only says the
file was well formed). A group rejected as a whole (AK9) rejects every set it does not accept
by name. 277CA: each claim's STC categories decide (A1/A2 accepted; A3/A4/A6/A7/A8 rejected;
others, such as A0 forwarded or A5 split, change nothing). The guide requires the claim loops
even when a whole batch is rejected, so batch-level statuses (2200B) are not applied on their own.

Reason codes are written as tokens, codes only: `IK5-R` (the set's verdict), `CLM@23-8`
(segment CLM, 23rd of the set, error 8), `CLM05:3-7` (element CLM05 component 3, error 7),
`A7-562-85` (277CA category, status code, entity). The explanation, in words, goes in the
event's detail for the worklist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from medsheets.acks import codes
from medsheets.acks.ack277 import ClaimAck, Status, StatusReport
from medsheets.acks.ack999 import GroupAck, SegmentError, SetAck
from medsheets.acks.batches import SentSet, batch_by_group, find_set, sent_sets
from medsheets.ledger import Transaction
from medsheets.model import Problem, Source, error


@dataclass(frozen=True)
class Verdict:
    """What an acknowledgment says about one of our claims."""

    encounter_id: str
    source: str  # 999 or 277CA
    event: str  # accepted or rejected
    effective_date: dt.date
    reason_codes: list[str]
    explanation: str
    payer_claim_number: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    batch_id: int | None = None  # our batch it answers, when the 999 named it


def judge_999(
    tx: Transaction, ack: GroupAck, file: str, as_of: dt.date
) -> tuple[list[Verdict], list[Problem], int]:
    """Verdicts for the claims of every rejected set; problems for what matches nothing; and
    how many sets were accepted."""
    where = Source(file)
    if ack.functional_id != "HC":
        return [], [error(where, "MS-ACK-NOT-CLAIMS",
                          f"999 {ack.control_number} answers a '{ack.functional_id}' group, not "
                          "claims; nothing was recorded")], 0
    batch = batch_by_group(tx, ack.group_control)
    if batch is None:
        return [], [error(where, "MS-ACK-UNKNOWN-BATCH",
                          f"999 {ack.control_number} answers group {ack.group_control}, which "
                          "medsheets did not send; check it is this practice's file")], 0
    sets = sent_sets(batch)
    verdicts: list[Verdict] = []
    problems: list[Problem] = []
    named: set[int] = set()
    accepted = 0
    day = ack.date or as_of
    for set_ack in ack.sets:
        sent = find_set(sets, set_ack.control_number)
        if sent is None:
            problems.append(error(where, "MS-ACK-UNKNOWN-SET",
                                  f"999 {ack.control_number}: batch {batch.file_name} has no "
                                  f"transaction set {set_ack.control_number}"))
            continue
        named.add(int(sent.control_number))
        if set_ack.rejected:
            verdicts += _reject_set(sent, set_ack, day)
        else:
            accepted += 1
    if ack.rejected:
        for number, sent in sorted(sets.items()):
            if number not in named:
                verdicts += _reject_set(sent, SetAck("837", sent.control_number, ack.code,
                                                     ack.group_errors), day, level="AK9")
    return verdicts, problems, accepted


def _reject_set(sent: SentSet, ack: SetAck, day: dt.date, level: str = "IK5") -> list[Verdict]:
    """Every claim of a rejected set, each told whether the error lies in its own segments."""
    verdict = codes.explain(codes.VERDICTS, ack.code)
    blame = {e: e.claim_id or sent.claim_at(e.position) for e in ack.errors}
    faults = [_describe(e) for e in ack.errors]
    faults += [codes.explain(codes.SET_ERRORS, c) for c in ack.set_errors if level == "IK5"]
    faults += [codes.explain(codes.GROUP_ERRORS, c) for c in ack.set_errors if level == "AK9"]
    found: list[Verdict] = []
    for encounter_id in sent.encounter_ids:
        own = [e for e in ack.errors if blame[e] == encounter_id]
        shared = [e for e in ack.errors if blame[e] is None]  # in the set's header
        tokens = [f"{level}-{ack.code}"] + [t for e in (own + shared or ack.errors) for t in _tokens(e)]
        if own or shared or not ack.errors:
            why = f"transaction set {sent.control_number} {verdict}: "
            why += "; ".join(faults or ["the clearinghouse gave no reason; ask it why"])
        else:
            others = sorted({str(blame[e]) for e in ack.errors})
            why = (f"transaction set {sent.control_number} {verdict} because of an error in claim "
                   f"{', '.join(others)}; this claim itself may be fine: resend it with the "
                   "corrected one")
        at_fault = bool(own)
        found.append(Verdict(
            encounter_id, "999", "rejected", day, tokens, why,
            detail={"batch": sent.batch_file, "transaction_set": sent.control_number,
                    "at_fault": at_fault, "explanation": why,
                    "errors": [_error_detail(e) for e in ack.errors]},
            batch_id=sent.batch_id,
        ))
    return found


def _tokens(e: SegmentError) -> list[str]:
    head = f"{e.segment_id}@{e.position}-{e.code}" if e.position else f"{e.segment_id}-{e.code}"
    return [head] + [f"{_element_name(e.segment_id, x.position)}-{x.code}" for x in e.elements]


def _element_name(segment_id: str, position: str) -> str:
    """IK401 "5:3" in segment CLM -> "CLM05:3"."""
    element, _, component = position.partition(":")
    name = f"{segment_id}{int(element):02d}" if element.isdigit() else f"{segment_id}{element}"
    return f"{name}:{component}" if component else name


def _describe(e: SegmentError) -> str:
    where = f"segment {e.segment_id}"
    if e.position:
        where += f" at position {e.position} of the set"
    if e.loop:
        where += f" (loop {e.loop})"
    parts = [f"{where}: {codes.explain(codes.SEGMENT_ERRORS, e.code)}"]
    parts += [f"{_element_name(e.segment_id, x.position)}: {codes.explain(codes.ELEMENT_ERRORS, x.code)}"
              for x in e.elements]
    return "; ".join(parts)


def _error_detail(e: SegmentError) -> dict[str, Any]:
    return {"segment": e.segment_id, "position": e.position, "loop": e.loop, "code": e.code,
            "claim": e.claim_id or None,
            "elements": [{"element": _element_name(e.segment_id, x.position), "code": x.code}
                         for x in e.elements]}


def judge_277(report: StatusReport, as_of: dt.date) -> list[Verdict]:
    """A verdict per 2200D claim that was accepted or rejected (other categories: none)."""
    verdicts = [_claim_verdict(claim, report, as_of) for claim in report.claims]
    return [v for v in verdicts if v is not None]


def _claim_verdict(claim: ClaimAck, report: StatusReport, as_of: dt.date, *,
                   source: str = "277CA", event: str | None = None) -> Verdict | None:
    event = event or claim.outcome
    if event == "other":
        return None
    statuses = claim.all_statuses
    why = "; ".join(_status_words(s) for s in statuses)
    text = "; ".join(t for t in [claim.free_text, *(line.free_text for line in claim.lines)] if t)
    if text:
        why += f" (their words: {text})"
    detail: dict[str, Any] = {
        "explanation": why, "source": report.source_id, "batch_reference": report.batch_reference,
        "clearinghouse_number": claim.clearinghouse_number or None,
        "text": text or None,
        "statuses": [s.token for s in claim.statuses],
        "lines": [{"control_number": line.control_number, "procedure": line.procedure_code,
                   "statuses": [s.token for s in line.statuses], "text": line.free_text or None}
                  for line in claim.lines],
    }
    return Verdict(claim.patient_control_number, source, event,
                   claim.effective_date or report.receipt_date or as_of,
                   [s.token for s in statuses], why, claim.payer_claim_number, detail)


# 277 claim-status categories (STC01-1, first letter or whole code) -> the event recorded.
STATUS_EVENTS = {"F1": "finalized_paid", "F2": "finalized_denied", "A4": "not_found"}
STATUS_CLASSES = {"A": "acknowledged", "P": "pending", "F": "finalized", "R": "info_requested",
                  "E": "no_answer", "D": "no_answer"}


def judge_claim_status(report: StatusReport, as_of: dt.date) -> list[Verdict]:
    """A verdict per claim of a 277 claim-status response: the payer's status, recorded as
    it is (pending, finalized_paid, finalized_denied, not_found, info_requested, ...). A
    claim reported "not found" (A4, or status code 35) is the one to rebill at once."""
    verdicts = []
    for claim in report.claims:
        if not claim.statuses:
            continue
        verdicts.append(_claim_verdict(claim, report, as_of, source="277",
                                       event=status_event(claim.statuses)))
    return [v for v in verdicts if v is not None]


def status_event(statuses: tuple[Status, ...]) -> str:
    first = statuses[0]
    if first.category in STATUS_EVENTS:
        return STATUS_EVENTS[first.category]
    if any(s.code == "35" for s in statuses):
        return "not_found"
    if first.category in REJECTING_277:
        return "rejected"
    return STATUS_CLASSES.get(first.category[:1], "other")


REJECTING_277 = frozenset({"A3", "A6", "A7", "A8"})


def _status_words(status: Status) -> str:
    return codes.status_words(status.category, status.code, status.entity)
