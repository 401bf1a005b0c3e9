"""Turn matched payment rows into journal entries and claim events, as docs/posting.md says.

Patient payment: one `payment` entry, party patient, on the claim named (without a line) or on
the patient's account (no claim). Paper EOB, as for an 835: the payer's payment, CO/OA/PI
adjustments (party payer) and PR transfers to the patient, each with its group and reason.

An EOB row without a line is for the whole claim. Its amounts are posted like the 835's
claim-level adjustments, on the first line that still has a payer balance, taking no more than
that balance and carrying the rest to the next line (the last line takes what remains), so
every cent is on a line. A claim whose EOB pays nothing and moves nothing to the patient is
`denied`: as for the 835, no adjustment is posted and the balance stays open for the denial
worklist. Otherwise the claim is `paid` (`partly_paid` with a `line_denied` event per line the
EOB pays nothing on and bills nothing to the patient).

A secondary's EOB (`MatchedEob.rank` > 1) is posted as its 835 is, after the primary
(remit/plan.py AFTER_PRIMARY), under the secondary: what the primary left is the patient's
already, so its payment and write-offs come out of the patient's share (a transfer back, then
the payment or adjustment; a write-off takes at most what the line still has open), its PR is
the patient's already and its OA-23 (what the primary did) is not posted. Amounts for the
whole claim are placed by the patient's open share. Its events name the secondary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from medsheets.ledger import JournalEntry, Kind, LineRow, Party
from medsheets.ledger.events import ClaimEvent, fit_reason_codes
from medsheets.money import ZERO
from medsheets.payments.match import MatchedEob
from medsheets.payments.rows import PATIENT_GROUP
from medsheets.workbook.payments import PatientPaymentRow


@dataclass
class EobPlan:
    """What one EOB reference posts: entries, events, and a summary for the report."""

    entries: list[JournalEntry] = field(default_factory=list)
    events: list[ClaimEvent] = field(default_factory=list)
    paid: Decimal = ZERO
    claims: list[str] = field(default_factory=list)
    denied: list[tuple[str, str]] = field(default_factory=list)  # (encounter id, reason codes)


def patient_entries(run_id: int, rows: list[tuple[PatientPaymentRow, int | None]]) -> list[JournalEntry]:
    """One patient payment entry per row (claim id None: on the patient's account)."""
    return [
        JournalEntry(run_id=run_id, kind=Kind.PAYMENT, party=Party.PATIENT, amount=row.amount,
                     patient_id=row.patient_id, claim_id=claim_id, reference=row.reference,
                     effective_date=row.date)
        for row, claim_id in rows
        if row.amount is not None
    ]


def eob_plan(run_id: int, matched: list[MatchedEob], shares: dict[int, dict[int, Decimal]]) -> EobPlan:
    """Entries and events for the rows of one EOB reference; `shares` maps each claim id to its
    lines' open payer balances (consumed as amounts are placed)."""
    plan = EobPlan()
    by_claim: dict[int, list[MatchedEob]] = {}
    for item in matched:
        by_claim.setdefault(item.claim.id, []).append(item)
    for claim_id, items in by_claim.items():
        _plan_claim(run_id, items, shares[claim_id], plan)
    return plan


def _plan_claim(run_id: int, items: list[MatchedEob], remaining: dict[int, Decimal], plan: EobPlan) -> None:
    claim, day = items[0].claim, items[0].row.date
    assert day is not None  # checked by rows.check_eob_row
    paid = sum((m.row.paid or ZERO for m in items), ZERO)
    to_patient = sum((a.amount or ZERO for m in items for a in m.row.adjustments
                      if a.group == PATIENT_GROUP), ZERO)
    reasons = [f"{a.group}-{a.reason}" for m in items for a in m.row.adjustments]
    plan.claims.append(claim.encounter_id)
    plan.paid += paid
    payer_id = items[0].payer_id
    event = ClaimEvent(claim.id, "eob", "paid", day, fit_reason_codes(reasons), payer_id,
                       detail={"reference": items[0].row.reference, "paid": str(paid)})
    if paid == ZERO and to_patient == ZERO:
        plan.events.append(replace(event, event="denied"))
        plan.denied.append((claim.encounter_id, event.reason_codes))
        return
    for item in items:
        plan.entries += (_row_entries(run_id, item, remaining) if item.rank == 1
                         else _after_primary(run_id, item, remaining))
    denied_lines = _denied_lines(items)
    plan.events.append(replace(event, event="partly_paid" if denied_lines else "paid"))
    for line, line_reasons in denied_lines:
        plan.events.append(ClaimEvent(claim.id, "eob", "line_denied", day,
                                      fit_reason_codes(line_reasons), payer_id,
                                      claim_line_id=line.id,
                                      detail={"reference": items[0].row.reference,
                                              "line": line.line_number}))


def _row_entries(run_id: int, item: MatchedEob, remaining: dict[int, Decimal]) -> list[JournalEntry]:
    """The payment, adjustments and transfers of one row, placed on its line(s)."""
    row, claim = item.row, item.claim
    amounts: list[tuple[Kind, Party, Decimal, str | None, str | None]] = []
    if row.paid:
        amounts.append((Kind.PAYMENT, Party.PAYER, row.paid, None, None))
    for adjustment in row.adjustments:
        assert adjustment.amount is not None  # checked by rows.check_eob_row
        if adjustment.group == PATIENT_GROUP:
            amounts.append((Kind.TRANSFER, Party.PATIENT, adjustment.amount, PATIENT_GROUP, adjustment.reason))
        else:
            amounts.append((Kind.ADJUSTMENT, Party.PAYER, adjustment.amount, adjustment.group,
                            adjustment.reason))
    entries = []
    for kind, party, amount, group, reason in amounts:
        for line_id, part in place(amount, item.line, item.lines, remaining):
            entries.append(JournalEntry(
                run_id=run_id, kind=kind, party=party, amount=part, claim_id=claim.id,
                claim_line_id=line_id, payer_id=claim.payer_id, group_code=group,
                reason_code=reason, reference=row.reference, effective_date=row.date))
    return entries


def _after_primary(run_id: int, item: MatchedEob, remaining: dict[int, Decimal]) -> list[JournalEntry]:
    """A secondary's row: its payment and write-offs out of what the patient owes on the line
    (`remaining`: the patient's open share per line), under the secondary."""
    row, claim = item.row, item.claim
    amounts: list[tuple[Kind, Decimal, str | None, str | None]] = []
    if row.paid:
        amounts.append((Kind.PAYMENT, row.paid, None, None))
    for adjustment in row.adjustments:
        assert adjustment.amount is not None  # checked by rows.check_eob_row
        if adjustment.group != PATIENT_GROUP and (adjustment.group, adjustment.reason) != ("OA", "23"):
            amounts.append((Kind.ADJUSTMENT, adjustment.amount, adjustment.group, adjustment.reason))
    entries = []
    for kind, amount, group, reason in amounts:
        for line_id, part in place(amount, item.line, item.lines, remaining):
            if kind is Kind.ADJUSTMENT and part > ZERO:  # never past what is open
                room = max(remaining[line_id] + part, ZERO)
                remaining[line_id] += part - min(part, room)
                part = min(part, room)
            if not part:
                continue
            back = JournalEntry(run_id=run_id, kind=Kind.TRANSFER, party=Party.PATIENT,
                                amount=-part, claim_id=claim.id, claim_line_id=line_id,
                                payer_id=item.payer_id, reference=row.reference,
                                effective_date=row.date)
            entries += [back, replace(back, kind=kind, party=Party.PAYER, amount=part,
                                      group_code=group, reason_code=reason)]
    return entries


def place(amount: Decimal, line: LineRow | None, lines: tuple[LineRow, ...],
          remaining: dict[int, Decimal]) -> list[tuple[int, Decimal]]:
    """Where an amount goes: its own line, else the first lines with a payer balance left (up to
    that balance), the rest on the last line. A negative amount goes on the first line."""
    if line is not None or amount < ZERO:
        target = line.id if line is not None else lines[0].id
        remaining[target] = remaining.get(target, ZERO) - amount
        return [(target, amount)]
    parts: dict[int, Decimal] = {}
    left = amount
    for candidate in lines:
        take = min(left, max(remaining.get(candidate.id, ZERO), ZERO))
        if take > ZERO:
            parts[candidate.id] = parts.get(candidate.id, ZERO) + take
            remaining[candidate.id] = remaining.get(candidate.id, ZERO) - take
            left -= take
        if left == ZERO:
            break
    if left > ZERO:
        last = lines[-1].id
        parts[last] = parts.get(last, ZERO) + left
        remaining[last] = remaining.get(last, ZERO) - left
    return list(parts.items())


def _denied_lines(items: list[MatchedEob]) -> list[tuple[LineRow, list[str]]]:
    """Lines the EOB names that it pays nothing on and bills nothing to the patient for."""
    per_line: dict[int, tuple[LineRow, list[MatchedEob]]] = {}
    for item in items:
        if item.line is not None:
            per_line.setdefault(item.line.id, (item.line, []))[1].append(item)
    denied = []
    for line, rows in per_line.values():
        paid = sum((m.row.paid or ZERO for m in rows), ZERO)
        to_patient = any(a.group == PATIENT_GROUP for m in rows for a in m.row.adjustments)
        if paid == ZERO and not to_patient:
            denied.append((line, [f"{a.group}-{a.reason}" for m in rows for a in m.row.adjustments]))
    return denied
