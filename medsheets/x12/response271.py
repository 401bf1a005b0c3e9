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

from medsheets.x12.grammar import X271, Located, locate
from medsheets.x12.tree import Transaction

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
    """Every person answered for in one 271 transaction, in file order.

    The declared grammar (x12/grammar/x270.py `X271`) says which loop each segment is in, so
    a handler asks for elements by name and knows a 2120 party from the person's own name.
    """
    reader = _Reader(first_position)
    for found in locate(X271, transaction.body):
        reader.add(found)
    return reader.finish()


class _Reader:
    def __init__(self, first_position: int) -> None:
        self.members: list[MemberResponse] = []
        self.position = first_position
        self.payer_id = self.payer_name = ""
        self.above: list[Rejection] = []  # AAA at the payer or provider level
        self.member: MemberResponse | None = None
        self.subscriber_id = ""
        self.benefit: Benefit | None = None
        self.holder: MemberResponse | None = None

    def add(self, found: Located) -> None:
        if found.definition is None:
            return  # a segment the 271 does not declare: nothing medsheets reads
        handler = getattr(self, f"_{found.id.lower()}", None)
        if handler is not None:
            handler(found)

    def _hl(self, found: Located) -> None:
        self._close_member()
        self.benefit = None
        if found.loop in ("2000C", "2000D"):
            dependent = found.loop == "2000D"
            self._flush_holder(has_dependents=dependent)
            self.member = MemberResponse(0, self.payer_id, self.payer_name,
                                         self.subscriber_id if dependent else "",
                                         dependent, rejections=list(self.above))

    def _nm1(self, found: Located) -> None:
        if found.loop in ("2120C", "2120D"):
            if self.benefit is not None:
                name = " ".join(p for p in (found["first_name"], found["last_name"]) if p) or found["last_name"]
                self.benefit.others.append(OtherParty(found["entity"], name, found["id"]))
        elif found.loop == "2100A":
            self.payer_id, self.payer_name = found["id"], found["last_name"]
        elif self.member is not None and found.loop == "2100C":
            self.member.member_id = self.subscriber_id = found["id"]
        elif self.member is not None and found["id"]:
            self.member.member_id = found["id"]  # a dependent with an id of their own

    def _trn(self, found: Located) -> None:
        if self.member is not None and found["type"] == "2":
            self.member.trace = found["reference"]

    def _aaa(self, found: Located) -> None:
        reason, follow_up = found["reject_reason"], found["follow_up"]
        if self.benefit is not None:
            self.benefit.rejections.append(Rejection(reason, follow_up, "benefit"))
        elif self.member is not None:
            self.member.rejections.append(Rejection(reason, follow_up, "member"))
        else:
            level = "payer" if found.loop.endswith("A") else "provider"
            self.above.append(Rejection(reason, follow_up, level))

    def _dtp(self, found: Located) -> None:
        if self.member is None or found.loop not in ("2100C", "2100D"):
            return  # benefit-level dates (e.g. 2110 DTP*292) are not plan dates
        span = _date_range(found["format"], found["value"])
        if span is not None:
            self.member.dates[found["qualifier"]] = span

    def _eb(self, found: Located) -> None:
        if self.member is None:
            return
        service_types = found.segment.repeats(found.number("service_type"))
        self.benefit = Benefit(found["information"], found["coverage_level"], service_types,
                               found["insurance_type"], found["plan_description"],
                               found["time_period"], _amount(found["amount"]),
                               _percent(found["percent"]), found["authorization_required"],
                               found["in_network"])
        self.member.benefits.append(self.benefit)

    def _msg(self, found: Located) -> None:
        if self.benefit is not None:
            self.benefit.messages.append(found["text"])

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
