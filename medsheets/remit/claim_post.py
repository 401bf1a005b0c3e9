"""Post one claim payment (CLP) of a remittance: match it, post its money, record its events.

A CLP whose encounter id is none of our insured claims is recorded (remit_claims.claim_id
NULL) and reported, never dropped. A matched one has its money posted by the rules of plan.py,
or for a reversal (CLP02 = 22) the earlier posting of the same payer claim number reversed
entry by entry; every entry is linked to the CLP's remit_claims row (journal_sources); what
happened becomes claim events; the claim's status and payer claim number are updated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medsheets.cob.adjudication import adjudication_detail
from medsheets.cob.payers import paying_payer
from medsheets.codes.reasons import Explanations
from medsheets.ledger import ClaimRow, ClaimStatus, JournalEntry, LineRow, Transaction, remittances
from medsheets.ledger.cob import set_coverage_claim_number
from medsheets.model import Problem, Provider, error, provider_name, warning
from medsheets.money import ZERO, format_money
from medsheets.quick_records import maker
from medsheets.remit.match import LineMatch, match_lines
from medsheets.remit.plan import Mode, plan_claim
from medsheets.remit.records import (
    DENIED,
    FORWARDED,
    NO_MONEY,
    PROCESSED,
    REVERSAL,
    SECONDARY,
    Adjustment,
    ClaimPayment,
    Remittance,
)
from medsheets.remit.results import ClaimOutcome
from medsheets.remit.rows import fill_rows, is_denied_line, reason_codes
from medsheets.remit.snapshot import PATIENT, PAYER, Snapshot
from medsheets.remit.values import segment_source

# Several per claim, tens of thousands per remittance: built without the frozen per-field
# setattr (medsheets/quick_records.py), the same records.
_journal_entry = maker(JournalEntry)


@dataclass(frozen=True)
class Context:
    """What every posting in a run shares: the run, the practice's words for codes, its NPI,
    its Providers (to name each claim's rendering doctor on the report). `words` explains the
    codes by `overrides`, each code once per run (made here, not given)."""

    run_id: int
    as_of: dt.date
    overrides: Mapping[str, str] = field(default_factory=dict)
    practice_npi: str = ""
    providers: Mapping[str, Provider] = field(default_factory=dict)
    words: Explanations = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", Explanations(self.overrides))


@dataclass
class _Claim:
    """One CLP being posted: where it is, our claim and lines, how its lines matched."""

    remittance: Remittance
    remittance_id: int
    claim: ClaimPayment
    ours: ClaimRow
    lines: list[LineRow]
    matches: list[LineMatch]
    problems: list[Problem]
    payer_id: str | None = None  # the payer whose money this is (the claim's, or a secondary)

    def warn(self, code: str, message: str, position: int | None = None) -> None:
        where = segment_source(self.remittance.file, position or self.claim.position)
        text = f"CLP {self.claim.patient_control_number}: {message}"
        self.problems.append(warning(where, code, text))


def post_claim(tx: Transaction, ctx: Context, remittance: Remittance, remittance_id: int,
               claim: ClaimPayment, snapshot: Snapshot, problems: list[Problem]) -> ClaimOutcome:
    """Post one claim payment; its outcome for the report."""
    adjustments = claim.all_adjustments  # claim and line CAS: built once, read four times
    outcome = ClaimOutcome(remittance.trace_number, claim.patient_control_number, claim.status,
                           claim.charge, claim.paid, None,
                           reason_codes=reason_codes(claim, adjustments))
    explain = ctx.words.adjustment
    outcome.explanation = "; ".join(dict.fromkeys(
        explain(a.group, a.reason) for a in adjustments))
    ours = snapshot.claims.get(claim.patient_control_number)
    if ours is None or ours.payer_id is None:
        return _unmatched(ctx, remittance, remittance_id, claim, ours, outcome, snapshot, problems)
    outcome.claim_id, outcome.account = ours.id, ours.patient_id
    outcome.clinician = provider_name(ours.rendering_npi, ctx.providers)
    lines = snapshot.lines.get(ours.id, [])
    matches = match_lines(claim, lines)
    item = _Claim(remittance, remittance_id, claim, ours, lines, matches, problems)
    outcome.unmatched_lines = [m.service for m in item.matches if m.line is None]
    for service in outcome.unmatched_lines:
        item.warn("MS-REMIT-UNMATCHED-LINE", f"SVC {service.billed_code or '(no code)'} matches "
                  "none of the claim's lines; its money was posted at claim level, check the line "
                  "on the report", service.position)
    billed = sum((line.charge for line in lines), ZERO)
    if abs(claim.charge) != billed:
        item.warn("MS-REMIT-CHARGE", f"the payer's charge {format_money(claim.charge)} is not the "
                  f"{format_money(billed)} billed; posted as the payer adjudicated it")
    detail: dict[str, Any] = {
        "clp_segment": claim.position,
        "lines_matched": len(matches) - len(outcome.unmatched_lines),
        "lines_unmatched": [s.position for s in outcome.unmatched_lines]}
    if claim.status in PROCESSED or claim.status in FORWARDED:  # for the next payer's COB claim
        detail["adjudication"] = adjudication_detail(
            claim, matches, lines, remittance.effective_date or ctx.as_of)
    remit_claim = snapshot.pending.add_remit_claim(remittance_id, ours.id, claim, detail)
    rank, item.payer_id = paying_payer(claim, remittance, ours, snapshot.coverages.get(ours.id, {}))
    mode, reversed_earlier = _post_money(tx, ctx, item, remit_claim, outcome, snapshot)
    snapshot.pending.add_events(_events(ctx, item, outcome.reason_codes))
    if rank == 1:
        snapshot.pending.set_claim_status(ours.id, _new_status(claim, ours, adjustments),
                                          claim.payer_claim_number or None)
    elif claim.payer_claim_number:  # status and claim number stay the primary's: a further
        # payer's answer is its events and its own claim number (a denial by a secondary does
        # not make the claim Medicare paid 'denied')
        set_coverage_claim_number(tx, ours.id, rank, claim.payer_claim_number)
    fill_rows(outcome, claim, item.matches, mode, reversed_earlier, ctx.words)
    return outcome


def _post_money(tx: Transaction, ctx: Context, item: _Claim, remit_claim: int,
                outcome: ClaimOutcome, snapshot: Snapshot) -> tuple[Mode, bool]:
    """Post the claim's money; (the mode used, whether an earlier posting was reversed).
    `remit_claim` is the CLP's remit_claims row, by its number in the pending writes."""
    claim, ours = item.claim, item.ours
    if claim.status == REVERSAL:
        found, earlier = remittances.earlier_posting(tx, ours.id, claim.payer_claim_number,
                                               item.remittance_id)
        outcome.action = "reversed"
        if found:
            outcome.note = f"reversed {len(earlier)} earlier entries"
            snapshot.pending.flush(tx)  # the ledger is read back next: write what is pending
            effective = item.remittance.effective_date or ctx.as_of
            ids = [tx.reverse(entry, ctx.run_id, effective) for entry in earlier]
            remittances.link_sources(tx, ids, snapshot.pending.remit_claim_id(remit_claim))
            snapshot.reload(tx, ours.id)
            return Mode.PRIMARY, True
        item.warn("MS-REMIT-REVERSAL-UNKNOWN", "no earlier posting of payer claim number "
                  f"{claim.payer_claim_number or '(none)'} was found; the reversal's own amounts "
                  "were posted")
        mode = Mode.PRIMARY
    elif claim.status == DENIED or claim.status in NO_MONEY:
        outcome.action = "denied" if claim.status == DENIED else "pended"
        mode = Mode.PAYMENT_ONLY
    else:
        primary = ours.id in snapshot.primary
        mode = Mode.AFTER_PRIMARY if primary and claim.status in SECONDARY else Mode.PRIMARY
        if primary and claim.status not in SECONDARY:
            item.warn("MS-REMIT-PAID-AGAIN", "was already paid by an earlier remittance and is "
                      "paid again here; check for a duplicate payment")
        denied = any(is_denied_line(m) for m in item.matches if m.line is not None)
        outcome.action = ("forwarded" if claim.status in FORWARDED
                          else "partly paid" if denied else "paid")
    side = PATIENT if mode is Mode.AFTER_PRIMARY else PAYER
    open_amounts = snapshot.open_amounts(item.lines, side)
    postings = plan_claim(claim, item.matches, item.lines, open_amounts, mode)
    effective = item.remittance.effective_date or ctx.as_of
    payer_id, trace = item.payer_id or ours.payer_id, item.remittance.trace_number
    # by position, in JournalEntry's field order (run_id, kind, party, amount, patient_id,
    # claim_id, claim_line_id, payer_id, group_code, reason_code, reference, effective_date):
    # a dozen keywords per entry cost about twice as much, for tens of thousands of entries
    snapshot.pending.add_entries([_journal_entry(
        ctx.run_id, p.kind, p.party, p.amount, ours.patient_id, ours.id, p.line_id, payer_id,
        p.group, p.reason, trace, effective) for p in postings], remit_claim)
    snapshot.apply(postings)
    if postings and claim.status in remittances.PRIMARY_STATUSES:
        snapshot.primary.add(ours.id)
    return mode, False


def _events(ctx: Context, item: _Claim, codes: str) -> list[dict[str, Any]]:
    """The claim events this claim payment says, in order (a denied line last: the worklist
    goes by the latest event); `codes` are the claim's reason codes (`reason_codes`)."""
    claim, ours = item.claim, item.ours
    effective = item.remittance.effective_date or ctx.as_of
    detail = {"trace": item.remittance.trace_number, "clp_segment": claim.position,
              "status_code": claim.status, "paid": str(claim.paid)}

    def event(name: str, codes: str, line_id: int | None = None, **extra: str) -> dict[str, Any]:
        return remittances.event_row(run_id=ctx.run_id, claim_id=ours.id, event=name,
                               payer_id=item.payer_id or ours.payer_id,
                               payer_claim_number=claim.payer_claim_number,
                               reason_codes=codes, effective_date=effective,
                               detail={**detail, **extra}, line_id=line_id)

    if claim.status in PROCESSED or claim.status in FORWARDED:
        denied = [m for m in item.matches if m.line is not None and is_denied_line(m)]
        events = [event("partly_paid" if denied else "paid", codes)]
        if claim.status in FORWARDED:
            events.append(event("forwarded", codes, forwarded_to=claim.forwarded_to))
        events += [event("line_denied",
                         reason_codes(claim, m.service.adjustments, m.service.remarks),
                         line_id=m.line.id) for m in denied if m.line is not None]
        return events
    name = {DENIED: "denied", REVERSAL: "reversed"}.get(claim.status, "pended")
    return [event(name, codes)]


def _new_status(claim: ClaimPayment, ours: ClaimRow,
                adjustments: tuple[Adjustment, ...]) -> ClaimStatus:
    """The claim's status after this answer; `adjustments` are the claim's all_adjustments."""
    if claim.status in PROCESSED or claim.status in FORWARDED:
        patient = sum((a.amount for a in adjustments if a.group == "PR"), ZERO)
        return ClaimStatus.PAID if claim.paid or patient else ClaimStatus.DENIED
    if claim.status == DENIED:
        return ClaimStatus.DENIED
    if claim.status == REVERSAL:
        return ClaimStatus.ACCEPTED  # awaiting the payer's new adjudication
    return ours.status  # 23, 25: no decision on the claim


def _unmatched(ctx: Context, remittance: Remittance, remittance_id: int, claim: ClaimPayment,
               ours: ClaimRow | None, outcome: ClaimOutcome, snapshot: Snapshot,
               problems: list[Problem]) -> ClaimOutcome:
    """A claim payment that is not for one of our billed claims: recorded and reported."""
    note = ("no claim with this encounter id is in the ledger" if ours is None
            else "the claim is self-pay in the ledger, so a payer's money cannot be posted to it")
    snapshot.pending.add_remit_claim(remittance_id, None, claim,
                                     {"clp_segment": claim.position, "unmatched": note})
    where = segment_source(remittance.file, claim.position)
    # An error, not a warning: money for a claim this practice never billed is not on the
    # books, and the run says so with exit 1 (the rest of the remittance still posts).
    problems.append(error(where, "MS-REMIT-UNMATCHED-CLAIM",
                          f"CLP {claim.patient_control_number}: {note}; it is listed on the "
                          "report's Unmatched sheet, post it by hand once the claim is found"))
    outcome.action, outcome.note = "unmatched", note
    outcome.unmatched_lines = list(claim.services)
    fill_rows(outcome, claim, [LineMatch(s, None, "") for s in claim.services], None, False,
              ctx.words)
    return outcome
