"""The example practice's 835: what its payers pay for the example visits, as an ERA file.

Computed from the same visits, fee schedule and payers the encounter workbooks come from, so
that after `medsheets claims` on the example, `medsheets remit` posts it with every claim and
line matched. Each payer allows its `allowed_percent` of the fee (the rest is CO-45); Medicare
leaves 20% coinsurance (PR-2) except on preventive services, and a deductible (PR-1) on one
visit; the commercial plans and the HMO leave the copay (PR-3) the front desk collected;
Medicaid pays what it allows. One Medicaid claim is denied for a missing rendering provider
(CO-16 with remark N290) and one Category III lab line is denied as not covered (CO-96): the
denial worklist has something to show. A small interest payment (PLB L6) shows the provider
adjustments. One transaction per payer, all in one interchange, dated the day after the
second example day (never in the future, since those days are past weekdays).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from medsheets.config import Config, parse_config
from medsheets.example.fees import PAYERS
from medsheets.example.people import PATIENTS
from medsheets.example.rows import FEES, encounter_id
from medsheets.example.settings import config_text
from medsheets.example.visits import DAYS, Visit
from medsheets.files import write_atomic
from medsheets.identifiers import x12_text
from medsheets.money import CENT, ZERO, x12_amount
from medsheets.x12.compose import Element, segment, serialize
from medsheets.x12.envelope import ControlNumbers, EnvelopeHeader, gs, isa
from medsheets.x12.grammar import X835, checked
from medsheets.x12.grammar.schema import HEADER

PREVENTIVE = frozenset({"G0439", "G0008", "90686", "G0101", "Q0091", "G0102"})
DENIED_CLAIM = ("004777", "CO", "16", "N290")  # patient, group, reason, remark
DENIED_LINE = ("0500T", "CO", "96", "N130")  # code, group, reason, remark
DEDUCTIBLE = {"MCRB1": ("000633", "99214"), "NEMUT": ("005873", "80053")}  # patient, code
INTEREST = {"NEMUT": Decimal("1.37")}
FILING = {"MB": "MB", "MC": "MC", "CI": "12", "HM": "HM"}  # CLP06 has no CI: a PPO is 12
PAYER_EIN = {"MCRB1": "1310000001", "ILMCD": "1370000002", "BSTAR": "1360000003",
             "NEMUT": "1040000004", "PRAHM": "1370000005"}

Days = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class PaidLine:
    """One adjudicated line: billed code, modifiers, units, date, charge, control number,
    what the payer allows and pays, its adjustments (group, reason, amount), its remarks."""

    code: str
    modifiers: tuple[str, ...]
    units: int
    day: dt.date
    charge: Decimal
    control_number: str
    allowed: Decimal
    paid: Decimal
    adjustments: tuple[tuple[str, str, Decimal], ...]
    remarks: tuple[str, ...] = ()


def payment_date(days: Days) -> dt.date:
    return days[1] + dt.timedelta(days=1)


def file_name(days: Days) -> str:
    return f"era-{payment_date(days).isoformat()}.835"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def adjudicate(visit: Visit, eid: str, day: dt.date) -> tuple[str, list[PaidLine]]:
    """(CLP02 status, the lines) for one insured visit, by the payer's rules above."""
    patient = PATIENTS[visit.patient_id]
    payer = next(p for p in PAYERS if p.payer_id == patient.payer_id)
    denied_claim = visit.patient_id == DENIED_CLAIM[0]
    copay_left = visit.copay or ZERO
    lines = []
    for number, line in enumerate(visit.lines, start=1):
        charge = FEES[line.code] * line.units
        allowed = _cents(charge * payer.allowed_percent / 100)
        adjustments: list[tuple[str, str, Decimal]] = []
        remarks: tuple[str, ...] = ()
        if denied_claim or line.code == DENIED_LINE[0]:
            _, group, reason, remark = DENIED_CLAIM if denied_claim else DENIED_LINE
            adjustments, remarks, allowed = [(group, reason, charge)], (remark,), ZERO
        else:
            adjustments.append(("CO", "45", charge - allowed))
            share = _patient_share(payer.payer_id, visit, line.code, allowed, copay_left)
            if share is not None:
                adjustments.append(("PR", share[0], share[1]))
                copay_left -= share[1] if share[0] == "3" else ZERO
        paid = charge - sum((a[2] for a in adjustments), ZERO)
        lines.append(PaidLine(line.code, line.modifiers, line.units, day, charge,
                              f"{eid}-{number}", allowed, paid,
                              tuple(a for a in adjustments if a[2]), remarks))
    return ("4" if denied_claim else "1"), lines


def _patient_share(payer_id: str, visit: Visit, code: str, allowed: Decimal,
                   copay_left: Decimal) -> tuple[str, Decimal] | None:
    """The PR reason and amount a line leaves the patient: deductible, copay or coinsurance."""
    if DEDUCTIBLE.get(payer_id) == (visit.patient_id, code):
        return "1", allowed
    if payer_id == "MCRB1":
        return None if code in PREVENTIVE else ("2", _cents(allowed * Decimal("0.20")))
    if copay_left > 0 and payer_id != "ILMCD":
        return "3", min(copay_left, allowed)
    return None


def claim_segments(visit: Visit, eid: str, day: dt.date,
                   claim_number: str) -> tuple[list[str], Decimal]:
    """The 2100 and 2110 loops of one claim, and what the payer paid on it."""
    patient = PATIENTS[visit.patient_id]
    payer = next(p for p in PAYERS if p.payer_id == patient.payer_id)
    status, lines = adjudicate(visit, eid, day)
    charge = sum((line.charge for line in lines), ZERO)
    paid = sum((line.paid for line in lines), ZERO)
    owed = sum((a[2] for line in lines for a in line.adjustments if a[0] == "PR"), ZERO)
    segments = [
        _835("2100", "CLP", eid, status, x12_amount(charge), x12_amount(paid), x12_amount(owed),
                FILING[payer.claim_filing], claim_number, "11", "1"),
        _835("2100", "NM1", "QC", "1", x12_text(patient.last_name, "NM103"),
                x12_text(patient.first_name, "NM104"), "", "", "", "MI", patient.member_id or ""),
    ]
    for line in lines:
        segments.append(_835("2110", "SVC", ("HC", line.code, *line.modifiers), x12_amount(line.charge),
                                x12_amount(line.paid), "", str(line.units)))
        segments.append(_835("2110", "DTM", "472", f"{line.day:%Y%m%d}"))
        for group in dict.fromkeys(a[0] for a in line.adjustments):
            reasons = [part for a in line.adjustments if a[0] == group
                       for part in (a[1], x12_amount(a[2]), "")]
            segments.append(_835("2110", "CAS", group, *reasons))
        segments.append(_835("2110", "REF", "6R", line.control_number))
        if line.allowed:
            segments.append(_835("2110", "AMT", "B6", x12_amount(line.allowed)))
        segments.extend(_835("2110", "LQ", "HE", remark) for remark in line.remarks)
    return segments, paid


def payer_body(payer_id: str, days: Days, config: Config) -> list[str]:
    """One 835 transaction's body (between ST and SE) for everything `payer_id` pays."""
    payer = next(p for p in PAYERS if p.payer_id == payer_id)
    paid_on = payment_date(days)
    claims: list[str] = []
    total, number = ZERO, 0
    for day_index, visits in enumerate(DAYS):
        for index, visit in enumerate(visits, start=1):
            if PATIENTS[visit.patient_id].payer_id != payer_id:
                continue
            number += 1
            claims.append(_835("2000", "LX", str(number)))
            body, paid = claim_segments(visit, encounter_id(days[day_index], index),
                                        days[day_index], f"{payer_id}{paid_on:%y%m%d}{number:04d}")
            claims.extend(body)
            total += paid
    interest = INTEREST.get(payer_id, ZERO)
    practice = config.practice
    header = [
        _835(HEADER, "BPR", "I", x12_amount(total + interest), "C", "CHK", *[""] * 11,
                f"{paid_on:%Y%m%d}"),
        _835(HEADER, "TRN", "1", f"{payer_id}{paid_on:%Y%m%d}", PAYER_EIN[payer_id]),
        _835(HEADER, "DTM", "405", f"{paid_on:%Y%m%d}"),
        _835("1000A", "N1", "PR", x12_text(payer.name, "NM103")),
        _835("1000A", "N3", x12_text(payer.address, "N301")),
        _835("1000A", "N4", x12_text(payer.city, "N401"), payer.state, payer.zip),
        _835("1000A", "PER", "BL", "EDI SUPPORT", "TE", "8005550100"),
        _835("1000B", "N1", "PE", x12_text(practice.name, "NM103"), "XX", practice.npi),
        _835("1000B", "N3", x12_text(practice.address, "N301")),
        _835("1000B", "N4", x12_text(practice.city, "N401"), practice.state, practice.zip),
        _835("1000B", "REF", "TJ", practice.tax_id),
    ]
    footer = []
    if interest:
        footer.append(_835("SUMMARY", "PLB", practice.npi, f"{paid_on.year}1231", "L6",
                              x12_amount(-interest)))
    return header + claims + footer


def example_835(days: Days) -> str:
    """The whole ERA file for the example days: one transaction per payer with claims."""
    config = parse_config(tomllib.loads(config_text()))
    billed = {PATIENTS[v.patient_id].payer_id for visits in DAYS for v in visits}
    billed -= {p.payer_id for p in PAYERS if p.submission == "paper"}  # a paper EOB, later
    bodies = [payer_body(p.payer_id, days, config) for p in PAYERS if p.payer_id in billed]
    header = EnvelopeHeader(sender_id=config.receiver.id, receiver_id=config.submitter.id,
                            usage=config.x12.usage, functional_id="HP", transaction_type="835",
                            version="005010X221A1")
    when = dt.datetime.combine(payment_date(days), dt.time(8, 0))
    control = ControlNumbers(1, 1, 1)
    segments = [isa(header, control, when), gs(header, control, when)]
    for number, body in enumerate(bodies, start=1):  # the 835 leaves ST03 out, unlike the 837
        st02 = f"{number:04d}"
        segments += [segment("ST", "835", st02), *body, segment("SE", str(len(body) + 2), st02)]
    segments += [segment("GE", str(len(bodies)), "1"), segment("IEA", "1", "000000001")]
    return serialize(segments)


def write_example_remit(folder: Path, days: Days) -> str:
    """Write the example 835 into `folder` (the practice's remits/); its name."""
    name = file_name(days)
    write_atomic(folder / name, example_835(days))
    return name


def _835(loop: str, segment_id: str, *elements: Element) -> str:
    """A segment of the example 835, checked against the grammar of loop `loop`."""
    return checked(X835, loop, segment_id, *elements)
