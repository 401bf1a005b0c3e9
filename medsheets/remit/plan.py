"""The journal entries one claim payment becomes: pure arithmetic, no database.

The rules (docs/posting.md):

- a line's payment (SVC03) is a payer `payment` on that line, referenced by the trace number;
- CAS groups CO, OA and PI are payer `adjustment`s; PR is a `transfer` to the patient, all
  with their group and reason codes; negative amounts post as negative entries;
- money the 835 gives at claim level (CAS right after CLP, the part of CLP04 not paid through
  a service line, the money of a service line that matched none of ours) goes on the claim's
  first line that still has a balance, and when it is larger than that balance, on to the next
  lines in order: every cent stays on a line, and no line goes below zero while another
  still has a balance. Amounts that raise a balance (negative ones) are placed first.

Modes: `PRIMARY` posts everything; `PAYMENT_ONLY` (a denial, CLP02 = 4, and the no-money
statuses 23 and 25) posts no adjustment, only money actually paid (normally none), so a denied
balance stays open for the denial worklist; `AFTER_PRIMARY` is a
secondary payer's remittance on a claim whose primary remittance is already posted: what the
primary left is already the patient's, so the secondary's payment and write-offs come out of
the patient's share (a transfer back, then the payment or adjustment), its PR is already the
patient's, and OA-23 (what the earlier payer did) is not posted again; its other write-offs
take at most what each line still has open (`_within_open`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from medsheets.ledger import Kind, LineRow, Party
from medsheets.quick_records import maker
from medsheets.remit.match import LineMatch
from medsheets.remit.records import ClaimPayment

ZERO = Decimal("0.00")
PAYMENT = "payment"  # the `kind` of an Item that is money paid rather than a CAS group


class Mode(Enum):
    PRIMARY = "primary"
    PAYMENT_ONLY = "payment only"
    AFTER_PRIMARY = "after primary"


@dataclass(frozen=True, slots=True)
class Item:
    """Money the 835 states, before translation: on a line, or at claim level (line_id None)."""

    line_id: int | None
    kind: str  # PAYMENT, or a CAS group: CO, OA, PI, PR
    amount: Decimal
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Posting:
    """One journal entry to make: on which line, what kind, whose, how much, which codes."""

    line_id: int
    kind: Kind
    party: Party
    amount: Decimal
    group: str | None = None
    reason: str | None = None


# Items and postings by the dozen per claim: built without the frozen per-field setattr
# (medsheets/quick_records.py), the same records.
_item, _posting = maker(Item), maker(Posting)
# The members, as module names: `Kind.PAYMENT` is a look-up through the Enum's class (some
# ten times a plain name's cost), made several times per posting, for tens of thousands.
_PAYMENT, _ADJUSTMENT, _TRANSFER = Kind.PAYMENT, Kind.ADJUSTMENT, Kind.TRANSFER
_PAYER, _PATIENT = Party.PAYER, Party.PATIENT
_AFTER_PRIMARY = Mode.AFTER_PRIMARY


def plan_claim(claim: ClaimPayment, matches: Sequence[LineMatch], lines: Sequence[LineRow],
               open_by_line: Mapping[int, Decimal], mode: Mode) -> list[Posting]:
    """The entries for one matched claim payment. `open_by_line` is what each of our lines
    still owes on the side this mode draws from (the payer's share, or the patient's)."""
    if not lines:
        return []
    items = _items(claim, matches, mode)
    if mode is _AFTER_PRIMARY:
        items = _within_open(items, open_by_line)
    open_now = {line.id: open_by_line.get(line.id, ZERO) for line in lines}
    order = [line.id for line in lines]
    placed: list[Item] = []
    for item in [i for i in items if i.line_id is not None]:
        open_now[item.line_id] -= item.amount  # type: ignore[index]
        placed.append(item)
    claim_level = [i for i in items if i.line_id is None]
    claim_level.sort(key=lambda i: (i.amount > 0, i.kind != PAYMENT))
    for item in claim_level:
        placed.extend(_place(item, order, open_now))
    return _merge_payments([p for item in placed for p in _translate(item, mode) if p.amount])


def _items(claim: ClaimPayment, matches: Sequence[LineMatch], mode: Mode) -> list[Item]:
    """Every amount the claim payment states, on its line or at claim level."""
    with_cas = mode is not Mode.PAYMENT_ONLY
    items: list[Item] = []
    matched_paid = ZERO
    for match in matches:
        line_id = match.line.id if match.line is not None else None
        if line_id is not None:
            items.append(_item(line_id, PAYMENT, match.service.paid))
            matched_paid += match.service.paid
        if with_cas:
            items.extend(_item(line_id, a.group, a.amount, a.reason)
                         for a in match.service.adjustments)
    items.append(_item(None, PAYMENT, claim.paid - matched_paid))
    if with_cas:
        items.extend(_item(None, a.group, a.amount, a.reason) for a in claim.adjustments)
    return [i for i in items if i.amount]


def _within_open(items: list[Item], open_by_line: Mapping[int, Decimal]) -> list[Item]:
    """A secondary's write-offs (CO, PI, OA but OA-23) on a line take only what the line still
    has open after the primary and the secondary's own payment: a secondary restating the
    primary's contractual adjustment must not turn the patient's share into a credit."""
    room = {line_id: open_by_line.get(line_id, ZERO) for line_id in open_by_line}
    for item in items:
        if item.line_id is not None and item.kind == PAYMENT:
            room[item.line_id] = room.get(item.line_id, ZERO) - item.amount
    kept: list[Item] = []
    for item in items:
        writes_off = item.kind in ("CO", "PI", "OA") and item.reason != "23" and item.amount > 0
        if item.line_id is None or not writes_off:
            kept.append(item)
            continue
        take = min(item.amount, max(room.get(item.line_id, ZERO), ZERO))
        room[item.line_id] = room.get(item.line_id, ZERO) - take
        if take:
            kept.append(_item(item.line_id, item.kind, take, item.reason))
    return kept


def _place(item: Item, order: list[int], open_now: dict[int, Decimal]) -> list[Item]:
    """A claim-level item split over lines: first lines with a balance, the rest on the first."""
    if item.amount < 0:
        target = next((lid for lid in order if open_now[lid] > 0), order[0])
        open_now[target] -= item.amount
        return [_item(target, item.kind, item.amount, item.reason)]
    parts: list[Item] = []
    remaining = item.amount
    for line_id in order:
        take = min(open_now[line_id], remaining)
        if take > 0:
            parts.append(_item(line_id, item.kind, take, item.reason))
            open_now[line_id] -= take
            remaining -= take
        if not remaining:
            break
    if remaining:
        open_now[order[0]] -= remaining
        parts.append(_item(order[0], item.kind, remaining, item.reason))
    return parts


def _translate(item: Item, mode: Mode) -> list[Posting]:
    """An item as journal entries under the posting rules of `mode`."""
    assert item.line_id is not None
    line, amount, kind = item.line_id, item.amount, item.kind
    after_primary = mode is _AFTER_PRIMARY
    if kind == PAYMENT:
        entry = _posting(line, _PAYMENT, _PAYER, amount)
    elif kind == "PR":
        if after_primary:
            return []  # the primary already made it the patient's
        return [_posting(line, _TRANSFER, _PATIENT, amount, "PR", item.reason)]
    elif after_primary and kind == "OA" and item.reason == "23":
        return []  # the earlier payer's part: already in the ledger from its own remittance
    else:
        entry = _posting(line, _ADJUSTMENT, _PAYER, amount, kind, item.reason)
    if after_primary:
        return [_posting(line, _TRANSFER, _PATIENT, -amount), entry]
    return [entry]


def _merge_payments(postings: list[Posting]) -> list[Posting]:
    """One payment entry per line: a line's own payment and claim-level money combined."""
    merged: list[Posting] = []
    payment_at: dict[int, int] = {}
    for posting in postings:
        if posting.kind is _PAYMENT:
            index = payment_at.get(posting.line_id)
            if index is not None:
                first = merged[index]
                merged[index] = _posting(first.line_id, _PAYMENT, _PAYER,
                                         first.amount + posting.amount)
                continue
            payment_at[posting.line_id] = len(merged)
        merged.append(posting)
    return [p for p in merged if p.amount]
