"""What a 271 answer means for the front desk: covered or not, and the terms a visit is priced by.

From the EB segments of one person (`x12.response271.MemberResponse`) this keeps, for the
individual (EB02 IND, else whatever level is sent) and in network (EB12 Y or W, else blank,
else N):

- the status: active (EB01 1-5), inactive (6-8), rejected (an AAA), else unknown;
- the plan dates (DTP 346/347 plan begin/end, 291 plan, 356/357 eligibility);
- per service type: the copay (EB*B, EB07) and the coinsurance (EB*A, EB08 as a fraction);
- the deductible (EB*C) and the out-of-pocket maximum (EB*G): the total for the period
  (EB06 21-25, 32) and what remains (EB06 29 or 33, or total less year to date, 24);
- another payer named as primary (EB*R, with its name from loop 2120).

The result is a plain `Terms` that goes into the ledger as JSON (money in cents) and comes
back for the estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from medsheets.money import from_cents, to_cents

if TYPE_CHECKING:  # the 271 reader is imported only to read a 271 (not by `check`)
    from medsheets.ledger.plain.rows import BenefitsRow
    from medsheets.x12.response271 import Benefit, MemberResponse

REMAINING_PERIODS = frozenset({"29", "33"})
TOTAL_PERIODS = frozenset({"21", "22", "23", "25", "32", ""})
YEAR_TO_DATE = "24"
NETWORK_PREFERENCE = {"Y": 0, "W": 1, "": 2, "N": 3}


@dataclass(frozen=True)
class Accumulator:
    """A deductible or out-of-pocket maximum: the period's total and what is left of it."""

    total: Decimal | None = None
    remaining: Decimal | None = None

    def as_json(self) -> dict[str, int | None]:
        return {"total": _cents(self.total), "remaining": _cents(self.remaining)}

    @classmethod
    def from_json(cls, data: Any) -> Accumulator:
        data = data or {}
        return cls(_money(data.get("total")), _money(data.get("remaining")))


@dataclass(frozen=True)
class Terms:
    """The figures an estimate is priced by (see the module doc)."""

    status: str  # active, inactive, rejected, unknown
    plan_begin: dt.date | None = None
    plan_end: dt.date | None = None
    copay: dict[str, Decimal] = field(default_factory=dict)  # service type -> amount
    coinsurance: dict[str, Decimal] = field(default_factory=dict)  # service type -> fraction
    deductible: Accumulator = Accumulator()
    out_of_pocket: Accumulator = Accumulator()
    other_payer: str | None = None  # another payer named primary (EB*R)
    rejections: tuple[tuple[str, str], ...] = ()  # (AAA03, AAA04)
    out_of_network_only: bool = False

    def covers(self, day: dt.date) -> bool:
        """Whether the answer says the patient was covered on `day`: active and within the plan
        dates; or inactive now but with a plan end date on or after `day` (coverage that
        ended later)."""
        if self.plan_begin and day < self.plan_begin:
            return False
        if self.status == "inactive":
            return self.plan_end is not None and day <= self.plan_end
        if self.status != "active":
            return False
        return not (self.plan_end and day > self.plan_end)

    def as_json(self) -> dict[str, Any]:
        return {
            "copay": {k: _cents(v) for k, v in self.copay.items()},
            "coinsurance": {k: str(v) for k, v in self.coinsurance.items()},
            "deductible": self.deductible.as_json(),
            "out_of_pocket": self.out_of_pocket.as_json(),
            "other_payer": self.other_payer,
            "rejections": [list(r) for r in self.rejections],
            "out_of_network_only": self.out_of_network_only,
        }

    @classmethod
    def from_json(cls, status: str, begin: dt.date | None, end: dt.date | None,
                  data: Any) -> Terms:
        data = data or {}
        return cls(
            status, begin, end,
            {k: from_cents(v) for k, v in (data.get("copay") or {}).items()},
            {k: Decimal(v) for k, v in (data.get("coinsurance") or {}).items()},
            Accumulator.from_json(data.get("deductible")),
            Accumulator.from_json(data.get("out_of_pocket")),
            data.get("other_payer"),
            tuple(tuple(r) for r in data.get("rejections") or ()),  # type: ignore[misc]
            bool(data.get("out_of_network_only")),
        )


def answers_of(rows: Mapping[tuple[str, str], BenefitsRow]) -> dict[tuple[str, str], Terms]:
    """The recorded answers (ledger.eligibility.latest_benefits) as Terms, by the same keys."""
    return {key: Terms.from_json(row.status, row.plan_begin, row.plan_end, row.detail)
            for key, row in rows.items()}


def terms_of(member: MemberResponse) -> Terms:
    """The member's answer read as Terms."""
    from medsheets.x12.response271 import ACTIVE_CODES, INACTIVE_CODES

    rejections = tuple((r.reason, r.follow_up) for r in member.rejections)
    rejections += tuple((r.reason, r.follow_up) for b in member.benefits for r in b.rejections)
    begin, end = _plan_dates(member.dates)
    infos = {b.info for b in member.benefits}
    if member.rejections:
        status = "rejected"
    elif infos & ACTIVE_CODES:
        status = "active"
    elif infos & INACTIVE_CODES:
        status = "inactive"
    else:
        status = "unknown"
    chosen = _preferred(member.benefits)
    other = next((_other_name(b) for b in member.benefits if b.info == "R"), None)
    return Terms(
        status, begin, end,
        copay=_per_service(chosen, "B", lambda b: b.amount),
        coinsurance=_per_service(chosen, "A", lambda b: b.percent),
        deductible=_accumulator([b for b in chosen if b.info == "C"]),
        out_of_pocket=_accumulator([b for b in chosen if b.info == "G"]),
        other_payer=other,
        rejections=rejections,
        out_of_network_only=bool(chosen) and all(b.network == "N" for b in chosen
                                                 if b.info in "ABCG"),
    )


def _plan_dates(dates: dict[str, tuple[dt.date, dt.date | None]]) -> tuple[dt.date | None, dt.date | None]:
    begin = end = None
    for qualifier in ("291", "307"):  # a plan or eligibility range
        if qualifier in dates:
            begin, end = dates[qualifier]
    if "346" in dates or "356" in dates:
        begin = (dates.get("346") or dates["356"])[0]
    if "347" in dates or "357" in dates:
        end = (dates.get("347") or dates["357"])[0]
    return begin, end


def _preferred(benefits: list[Benefit]) -> list[Benefit]:
    """The money terms for the individual in network: per (kind, service types, period) the
    benefit whose level and network fit best."""
    best: dict[tuple[str, tuple[str, ...], str], Benefit] = {}
    for benefit in benefits:
        if benefit.info not in ("A", "B", "C", "G"):
            continue
        key = (benefit.info, benefit.service_types or ("30",), benefit.period)
        rank = (benefit.coverage_level not in ("IND", ""), NETWORK_PREFERENCE.get(benefit.network, 2))
        held = best.get(key)
        if held is None or rank < (held.coverage_level not in ("IND", ""),
                                   NETWORK_PREFERENCE.get(held.network, 2)):
            best[key] = benefit
    return list(best.values())


def _per_service(chosen: list[Benefit], info: str, value: Any) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for benefit in chosen:
        amount = value(benefit)
        if benefit.info != info or amount is None:
            continue
        for code in benefit.service_types or ("30",):
            found.setdefault(code, amount)
    return found


def _accumulator(benefits: list[Benefit]) -> Accumulator:
    """Total and remaining from the period qualifiers; remaining = total - year to date when the
    payer sends only what has been met."""
    total = remaining = met = None
    for benefit in benefits:
        if benefit.amount is None:
            continue
        if benefit.period in REMAINING_PERIODS and remaining is None:
            remaining = benefit.amount
        elif benefit.period == YEAR_TO_DATE and met is None:
            met = benefit.amount
        elif benefit.period in TOTAL_PERIODS and total is None:
            total = benefit.amount
    if remaining is None and total is not None and met is not None:
        remaining = max(total - met, Decimal("0.00"))
    return Accumulator(total, remaining)


def _other_name(benefit: Benefit) -> str:
    party = next((o for o in benefit.others if o.entity in ("PR", "IL", "")), None)
    if party is None and benefit.others:
        party = benefit.others[0]
    if party is None:
        return "another payer (not named)"
    return f"{party.name} ({party.identifier})" if party.identifier else party.name


def _cents(value: Decimal | None) -> int | None:
    return None if value is None else to_cents(value)


def _money(value: int | None) -> Decimal | None:
    return None if value is None else from_cents(value)
