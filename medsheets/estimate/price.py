"""What a visit will cost the patient, line by line, from the fee schedule and the benefits.

Pure: a visit, the code sets and the payer's latest answer (`benefits.terms.Terms`) in, a
`VisitEstimate` with the reason for every figure out. The rules, in order, per line:

1. charge: the line's charge (typed, else fee × units).
2. allowed: the FeeSchedule rate for (payer, code) in force on the date × units; else the
   payer's allowed_percent × charge; else the charge. Never more than the charge.
3. copay: the plan's copay for the line's service type (e.g. 98 office visit), once per
   service type per visit, never more than the allowed amount; a line with a copay owes no
   deductible or coinsurance.
4. otherwise the deductible that remains is taken first, then the coinsurance (for the
   line's service type, else the plan's, 30) on the rest of the allowed amount.
5. the patient's share of the visit never exceeds the out-of-pocket maximum that remains.
6. insurance pays the allowed amount less the patient's share.

Coverage that is inactive, rejected, unknown, outside the plan dates, with another payer
primary, or with no answer on file is flagged and not priced: the front desk settles it first.
A self-pay visit owes its charges.

Rounding: every amount is Decimal; the only products (allowed_percent × charge, coinsurance
× amount) are rounded to the cent, half up, per line, before anything is summed, so the lines
always add up to the visit's totals exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from medsheets.benefits.terms import Terms
from medsheets.codes.service_types import PLAN_COVERAGE, describe, service_type
from medsheets.model import CodeSets, Encounter, ServiceLine
from medsheets.money import ZERO, format_money

CENT = Decimal("0.01")
ESTIMATED, SELF_PAY, FLAGGED = "estimated", "self-pay", "flagged"


@dataclass(frozen=True)
class LineEstimate:
    """One planned service priced: what is allowed and who is expected to pay what, and why."""

    line: ServiceLine
    description: str
    charge: Decimal
    allowed: Decimal | None
    copay: Decimal = ZERO
    deductible: Decimal = ZERO
    coinsurance: Decimal = ZERO
    insurance: Decimal | None = None
    reason: str = ""
    patient: Decimal = ZERO  # copay + deductible + coinsurance; a self-pay line's charge


@dataclass(frozen=True)
class VisitEstimate:
    """One appointment priced (or flagged, with why); `collect` is what to ask for at the visit."""

    visit: Encounter
    status: str  # estimated, self-pay, flagged
    lines: tuple[LineEstimate, ...]
    reason: str
    terms: Terms | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), ZERO)

    @property
    def patient(self) -> Decimal | None:
        if self.status == FLAGGED:
            return None
        return sum((line.patient for line in self.lines), ZERO)

    @property
    def insurance(self) -> Decimal | None:
        if self.status != ESTIMATED:
            return None if self.status == FLAGGED else ZERO
        return sum((line.insurance or ZERO for line in self.lines), ZERO)

    @property
    def collect(self) -> Decimal | None:
        return self.patient


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def estimate_visit(visit: Encounter, codesets: CodeSets, terms: Terms | None) -> VisitEstimate:
    """The visit priced by the rules of the module doc."""
    services = [line for line in visit.lines if line.procedure_code]
    if visit.is_self_pay:
        lines = tuple(LineEstimate(line, _description(line, codesets), _charge(line), None,
                                   reason="self-pay: the patient owes the charge",
                                   patient=_charge(line))
                      for line in services)
        return VisitEstimate(visit, SELF_PAY, lines, "self-pay: a Good Faith Estimate is given")
    day = visit.first.date_of_service
    flag = _flag(terms, day)
    if flag is not None:
        lines = tuple(LineEstimate(line, _description(line, codesets), _charge(line), None,
                                   reason=flag) for line in services)
        return VisitEstimate(visit, FLAGGED, lines, flag, terms)
    assert terms is not None and day is not None
    return _priced(visit, services, codesets, terms, day)


def _flag(terms: Terms | None, day: dt.date | None) -> str | None:
    """Why the visit cannot be priced; None when it can."""
    if terms is None:
        return ("no eligibility answer on file: run 'medsheets eligibility' and read the 271 with "
                "'medsheets benefits'")
    if terms.status == "rejected":
        return "the payer rejected the eligibility inquiry; see 'medsheets benefits'"
    if terms.status == "inactive":
        return "coverage is not active: ask for current insurance or treat as self-pay"
    if terms.status == "unknown":
        return "the payer's answer says neither active nor inactive: call the payer"
    if day is None or not terms.covers(day):
        return "the plan dates do not cover the appointment: ask for current insurance"
    if terms.other_payer:
        return f"another payer is primary ({terms.other_payer}): estimate with that payer"
    return None


def _priced(visit: Encounter, services: list[ServiceLine], codesets: CodeSets, terms: Terms,
            day: dt.date) -> VisitEstimate:
    deductible_left = terms.deductible.remaining
    oop_left = terms.out_of_pocket.remaining
    copaid: set[str] = set()
    notes = []
    if deductible_left is None:
        notes.append("the payer gave no deductible remaining; none is assumed")
        deductible_left = ZERO
    if terms.out_of_network_only:
        notes.append("the payer gave only out-of-network terms: check the practice's network "
                     "status with the plan")
    lines = []
    for line in services:
        charge = _charge(line)
        allowed, why = _allowed(line, charge, codesets, day)
        kind = service_type(line.procedure_code) or PLAN_COVERAGE
        copay = deductible = coinsurance = ZERO
        reasons = [why]
        if kind in terms.copay and kind not in copaid:
            copaid.add(kind)
            copay = min(terms.copay[kind], allowed)
            reasons.append(f"copay for {describe(kind)} ${format_money(copay)}")
        else:
            deductible = min(deductible_left, allowed)
            deductible_left -= deductible
            if deductible:
                reasons.append(f"deductible ${format_money(deductible)} (remaining first)")
            rate = terms.coinsurance.get(kind, terms.coinsurance.get(PLAN_COVERAGE, ZERO))
            coinsurance = cents((allowed - deductible) * rate)
            if coinsurance:
                reasons.append(f"coinsurance {percent(rate)} of ${format_money(allowed - deductible)}"
                               f" = ${format_money(coinsurance)}")
        share = copay + deductible + coinsurance
        if oop_left is not None and share > oop_left:
            copay, deductible, coinsurance = _capped(copay, deductible, coinsurance, oop_left)
            reasons.append(f"out-of-pocket maximum reached: the patient's share is capped at "
                           f"${format_money(oop_left)}")
            share = oop_left
        if oop_left is not None:
            oop_left -= share
        insurance = allowed - share
        reasons.append(f"insurance pays ${format_money(insurance)}")
        lines.append(LineEstimate(line, _description(line, codesets), charge, allowed, copay,
                                  deductible, coinsurance, insurance, "; ".join(reasons), share))
    return VisitEstimate(visit, ESTIMATED, tuple(lines), "priced from the payer's answer", terms,
                         tuple(notes))


def percent(fraction: Decimal) -> str:
    """0.2 -> '20%', 0.125 -> '12.5%'."""
    return f"{(fraction * 100).normalize():f}%"


def _capped(copay: Decimal, deductible: Decimal, coinsurance: Decimal,
            limit: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """The three parts cut down to `limit` in total, coinsurance first, then deductible."""
    parts = [copay, deductible, coinsurance]
    excess = sum(parts, ZERO) - limit
    for index in (2, 1, 0):
        cut = min(parts[index], excess)
        parts[index] -= cut
        excess -= cut
    return parts[0], parts[1], parts[2]


def _allowed(line: ServiceLine, charge: Decimal, codesets: CodeSets,
             day: dt.date) -> tuple[Decimal, str]:
    payer_id, code = line.payer_id or "", line.procedure_code or ""
    units = line.units if line.units and line.units > 0 else 1
    rate = codesets.contract_rate(payer_id, code, day)
    if rate is not None:
        allowed, why = rate.allowed * units, f"allowed ${format_money(rate.allowed * units)} (FeeSchedule)"
    else:
        payer = codesets.payers.get(payer_id)
        share = payer.allowed_percent if payer else None
        if share is not None:
            allowed = cents(charge * share)
            why = f"allowed {percent(share)} of the charge = ${format_money(allowed)}"
        else:
            allowed, why = charge, "allowed: the charge (no contracted rate on file)"
    if allowed > charge:
        allowed, why = charge, f"allowed: the charge ${format_money(charge)} (less than the rate)"
    return allowed, why


def _charge(line: ServiceLine) -> Decimal:
    return line.charge if line.charge is not None else ZERO


def _description(line: ServiceLine, codesets: CodeSets) -> str:
    procedure = codesets.procedures.get(line.procedure_code or "")
    return procedure.description if procedure else ""
