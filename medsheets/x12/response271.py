"""The X12 271 eligibility response (005010X279A1) read into one record per person answered for.

The 271 nests by HL: the payer (20), the practice (21), a subscriber (22) and, under them, a
dependent (23). Each person carries the TRN the 270 sent (echoed as TRN*2), their name and id,
the plan dates (DTP), any AAA rejection, and a list of EB benefit segments, each with the
service types it applies to (EB03, repeating), the money (EB07) or percent (EB08), the time
period (EB06: 29 remaining, 23 calendar year, ...), the network (EB12) and, in an LS/LE-wrapped
loop 2120, another party such as the payer that is primary (EB*R).

Only the structure is read here; what the figures mean for a visit is `medsheets.benefits`.
A subscriber whose own loop says nothing (no EB, no AAA) while dependents follow is only the
dependents' holder and is not reported as a person of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from medsheets.x12.tree import Segment, Transaction

ACTIVE_CODES = frozenset("12345")
INACTIVE_CODES = frozenset("678")


@dataclass(frozen=True, slots=True)
class Rejection:
    """An AAA segment: AAA03 the reason, AAA04 what to do next; `level` where it was."""

    reason: str
    follow_up: str
    level: str  # "payer", "provider", "member", "benefit"


@dataclass(frozen=True, slots=True)
class OtherParty:
    """Loop 2120: a party a benefit names (NM101 PR payer, P3 primary care provider, ...)."""

    entity: str
    name: str
    identifier: str


@dataclass
class Benefit:
    """One EB segment and what belongs to it (2110C/D)."""

    info: str  # EB01: 1 active, 6 inactive, A coinsurance, B copay, C deductible, G out of pocket, R other payer
    coverage_level: str  # EB02: IND, FAM, ...
    service_types: tuple[str, ...]  # EB03
    insurance_type: str  # EB04
    plan: str  # EB05
    period: str  # EB06
    amount: Decimal | None  # EB07
    percent: Decimal | None  # EB08, a fraction: 0.2 is 20%
    authorization: str  # EB11
    network: str  # EB12: Y in network, N out of network, W either
    messages: list[str] = field(default_factory=list)
    others: list[OtherParty] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass
class MemberResponse:
    """What a 271 says about one person (the patient)."""

    position: int  # 0-based order in the file
    payer_id: str
    payer_name: str
    member_id: str
    is_dependent: bool
    trace: str | None = None
    dates: dict[str, tuple[dt.date, dt.date | None]] = field(default_factory=dict)  # DTP01 -> range
    rejections: list[Rejection] = field(default_factory=list)
    benefits: list[Benefit] = field(default_factory=list)


def read_271(transaction: Transaction, first_position: int = 0) -> list[MemberResponse]:
    """Every person answered for in one 271 transaction, in file order."""
    reader = _Reader(first_position)
    for seg in transaction.body:
        reader.add(seg)
    return reader.finish()


class _Reader:
    def __init__(self, first_position: int) -> None:
        self.members: list[MemberResponse] = []
        self.position = first_position
        self.payer_id = self.payer_name = ""
        self.above: list[Rejection] = []  # AAA at the payer or provider level
        self.level = ""
        self.member: MemberResponse | None = None
        self.subscriber_id = ""
        self.benefit: Benefit | None = None
        self.in_2120 = False
        self.holder: MemberResponse | None = None

    def add(self, seg: Segment) -> None:
        handler = getattr(self, f"_{seg.id.lower()}", None)
        if handler is not None:
            handler(seg)

    def _hl(self, seg: Segment) -> None:
        self._close_member()
        self.level, self.benefit, self.in_2120 = seg.element(3), None, False
        if self.level in ("22", "23"):
            self._flush_holder(has_dependents=self.level == "23")
            self.member = MemberResponse(0, self.payer_id, self.payer_name,
                                         self.subscriber_id if self.level == "23" else "",
                                         self.level == "23", rejections=list(self.above))

    def _nm1(self, seg: Segment) -> None:
        if self.in_2120 and self.benefit is not None:
            name = " ".join(p for p in (seg.element(4), seg.element(3)) if p) or seg.element(3)
            self.benefit.others.append(OtherParty(seg.element(1), name, seg.element(9)))
        elif self.level == "20":
            self.payer_id, self.payer_name = seg.element(9), seg.element(3)
        elif self.member is not None and self.level == "22":
            self.member.member_id = self.subscriber_id = seg.element(9)
        elif self.member is not None and seg.element(9):
            self.member.member_id = seg.element(9)  # a dependent with an id of their own

    def _trn(self, seg: Segment) -> None:
        if self.member is not None and seg.element(1) == "2":
            self.member.trace = seg.element(2)

    def _aaa(self, seg: Segment) -> None:
        if self.benefit is not None:
            self.benefit.rejections.append(Rejection(seg.element(3), seg.element(4), "benefit"))
        elif self.member is not None:
            self.member.rejections.append(Rejection(seg.element(3), seg.element(4), "member"))
        else:
            level = "payer" if self.level == "20" else "provider"
            self.above.append(Rejection(seg.element(3), seg.element(4), level))

    def _dtp(self, seg: Segment) -> None:
        if self.member is None or self.benefit is not None:
            return  # benefit-level dates (e.g. 2110 DTP*292) are not plan dates
        span = _date_range(seg.element(2), seg.element(3))
        if span is not None:
            self.member.dates[seg.element(1)] = span

    def _eb(self, seg: Segment) -> None:
        if self.member is None:
            return
        self.in_2120 = False
        self.benefit = Benefit(seg.element(1), seg.element(2), seg.repeats(3), seg.element(4),
                               seg.element(5), seg.element(6), _amount(seg.element(7)),
                               _percent(seg.element(8)), seg.element(11), seg.element(12))
        self.member.benefits.append(self.benefit)

    def _msg(self, seg: Segment) -> None:
        if self.benefit is not None:
            self.benefit.messages.append(seg.element(1))

    def _ls(self, seg: Segment) -> None:
        self.in_2120 = True

    def _le(self, seg: Segment) -> None:
        self.in_2120 = False

    def _close_member(self) -> None:
        member, self.member = self.member, None
        if member is None:
            return
        if member.is_dependent or member.benefits or len(member.rejections) > len(self.above):
            self._append(member)
        else:
            self.holder = member  # reported only if no dependent follows it

    def _append(self, member: MemberResponse) -> None:
        member.position = self.position
        self.position += 1
        self.members.append(member)

    def _flush_holder(self, has_dependents: bool) -> None:
        if self.holder is not None and not has_dependents:
            self._append(self.holder)  # a subscriber answered for with nothing at all
        self.holder = None

    def finish(self) -> list[MemberResponse]:
        self._close_member()
        self._flush_holder(False)
        return self.members


def _date_range(qualifier: str, value: str) -> tuple[dt.date, dt.date | None] | None:
    try:
        if qualifier == "D8":
            return (dt.datetime.strptime(value, "%Y%m%d").date(), None)
        if qualifier == "RD8" and "-" in value:
            start, end = value.split("-", 1)
            return (dt.datetime.strptime(start, "%Y%m%d").date(),
                    dt.datetime.strptime(end, "%Y%m%d").date())
    except ValueError:
        return None
    return None


def _decimal(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _amount(text: str) -> Decimal | None:
    """EB07 money; a value finer than a cent is not money and is left out."""
    value = _decimal(text)
    if value is None or value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


def _percent(text: str) -> Decimal | None:
    """EB08 as a fraction: 5010 sends .2 for 20%; a payer sending 20 means the same."""
    value = _decimal(text)
    if value is None:
        return None
    return value / 100 if value > 1 else value
