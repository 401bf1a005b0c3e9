"""Deciding, for every unpaid insurance claim, where it stands and what to do next.

Pure functions over the ledger's `OpenClaim`s, the Payers sheet and a day (`as_of`):

- the **last word** about a claim is its newest answer (999, 277CA, 277, 835) or our own 276;
- a claim is **asked about** (a 276) when it is billed or accepted, not on paper, and nothing
  has been heard or asked for the payer's `followup_days` (default 30) since it was billed,
  answered, or last asked: an answered or just-asked claim is not asked again until a whole
  new period has passed;
- the **timely-filing deadline** is the date of service plus the payer's timely_filing_days;
  the worklist is sorted by the days left to it (least first), then by age (oldest first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from medsheets.codes import claim_status as codes
from medsheets.ledger.followup import EventRow, OpenClaim
from medsheets.model import Payer, Provider, provider_name

DEFAULT_FOLLOWUP_DAYS = 30
URGENT_DAYS = 30  # this close to the timely-filing deadline, the action says so
ANSWERS = ("999", "277CA", "277", "835", "eob")
ASKING = ("276",)
ASKABLE_STATUSES = ("billed", "accepted")


@dataclass(frozen=True)
class FollowupRow:
    """One line of the follow-up worklist."""

    claim: OpenClaim
    payer_name: str
    age_days: int | None  # since billed
    last_source: str  # 999, 277CA, 277, 835, 276, paper, or "" (nothing heard)
    last_status: str  # the event and its codes
    last_words: str  # the codes explained, with the payer's own words
    last_date: dt.date | None
    deadline: dt.date | None
    days_left: int | None
    next_action: str
    ask: bool  # a 276 goes out for it in this run
    clinician: str = ""  # the claim's rendering doctor (Providers sheet name, else the NPI)


def plan_followup(claims: list[OpenClaim], payers: Mapping[str, Payer], as_of: dt.date,
                  overrides: Mapping[str, str] | None = None,
                  providers: Mapping[str, Provider] | None = None) -> list[FollowupRow]:
    """The worklist rows, most at risk first; each names its claim's doctor from `providers`."""
    rows = [replace(_row(claim, payers.get(claim.payer_id), as_of, overrides or {}),
                    clinician=provider_name(claim.rendering_npi, providers or {}))
            for claim in claims]
    return sorted(rows, key=lambda r: (r.days_left if r.days_left is not None else 10**6,
                                       -(r.age_days or 0), r.claim.encounter_id))


def followup_days(payer: Payer | None) -> int:
    return (payer.followup_days if payer and payer.followup_days else DEFAULT_FOLLOWUP_DAYS)


def _row(claim: OpenClaim, payer: Payer | None, as_of: dt.date,
         overrides: Mapping[str, str]) -> FollowupRow:
    billed = claim.billed_on or claim.date_of_service
    heard = [e for e in claim.events if e.source in ANSWERS + ASKING + ("paper",)]
    last = heard[-1] if heard else None
    deadline = (claim.date_of_service + dt.timedelta(days=payer.timely_filing_days)
                if payer and payer.timely_filing_days else None)
    days_left = (deadline - as_of).days if deadline else None
    since = max([billed, *(e.effective_date for e in heard if e.source != "paper")])
    quiet = (as_of - since).days
    period = followup_days(payer)
    ask = (claim.status in ASKABLE_STATUSES and not claim.on_paper and quiet >= period)
    action = _action(claim, last, ask, period, since, days_left)
    if days_left is not None and days_left <= URGENT_DAYS:
        action = (f"URGENT: timely filing ends {deadline:%Y-%m-%d} ({days_left} days). " if days_left >= 0
                  else f"PAST timely filing ({deadline:%Y-%m-%d}): appeal with proof of timely filing. ") + action
    return FollowupRow(
        claim, payer.name if payer else claim.payer_id, (as_of - billed).days,
        last.source if last else "", _status(last), _words(last, overrides),
        last.effective_date if last else None, deadline, days_left, action, ask)


def _status(event: EventRow | None) -> str:
    if event is None:
        return "no answer yet"
    return " ".join(p for p in (event.event.replace("_", " "), event.reason_codes) if p)


def _words(event: EventRow | None, overrides: Mapping[str, str]) -> str:
    """The codes explained (the practice's StatusCodes words first) and the payer's own text."""
    if event is None:
        return ""
    if event.source in ("277CA", "277") and event.reason_codes:
        words = "; ".join(_token_words(token, overrides) for token in event.reason_codes.split()
                          if not token.startswith("+"))
        text = event.detail.get("text")
        return f"{words} (their words: {text})" if text else words
    return str(event.detail.get("explanation") or event.detail.get("file") or "")


def _token_words(token: str, overrides: Mapping[str, str]) -> str:
    """A ledger token "A7-562-85" in words, the practice's own words first."""
    category, code, entity = (token.split("-") + ["", ""])[:3]
    return codes.status_words(category, code, entity, overrides=dict(overrides))


def _action(claim: OpenClaim, last: EventRow | None, ask: bool, period: int, since: dt.date,
            days_left: int | None) -> str:
    if claim.status == "rejected":
        return "Rejected: correct it on the denial worklist (medsheets denials) and resubmit."
    if claim.status == "denied":
        return "Denied: work it on the denial worklist: correct, appeal, rebill or write off."
    if last is not None and last.source == "277":
        by_event = {
            "not_found": "The payer has no record of it: bill it again as a new claim now.",
            "finalized_denied": "Denied by the payer: get the 835 or EOB, then work the denial.",
            "finalized_paid": "Paid by the payer: the 835 should follow; ask for it if it does not.",
            "info_requested": "The payer wants more information: send what it asks for.",
            "rejected": "Rejected by the payer: correct the claim and send it again.",
            "no_answer": "The payer could not answer: ask again or call.",
        }
        if last.event in by_event:
            return by_event[last.event]
    if ask:
        return "Claim-status request (276) sent in this run: wait for the 277."
    when = since + dt.timedelta(days=period)
    if claim.on_paper:
        return f"Billed on paper: no 276 for it; call the payer if nothing has come by {when:%Y-%m-%d}."
    if last is not None and last.source == "276":
        return f"Asked on {last.effective_date:%Y-%m-%d}: wait for the 277; asked again from {when:%Y-%m-%d}."
    if last is not None and last.source == "277":
        return f"Pending at the payer: wait; asked again from {when:%Y-%m-%d}."
    return f"Wait: the next claim-status request goes out from {when:%Y-%m-%d}."
