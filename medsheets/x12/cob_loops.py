"""Coordination of benefits in an 837P: the other payers of a claim (loops 2320, 2330A/B, 2430).

A claim names every other insurance the patient has (005010X222A1 2320: "required when other
payers are known to potentially be involved"). Sent to the primary, it names the secondary
(SBR*S, nothing adjudicated yet) and the tertiary (SBR*T). Sent to the secondary (a COB claim),
it names the primary (SBR*P) with what the primary decided, and the tertiary (SBR*T, nothing
yet); sent to the tertiary, the primary and the secondary (SBR*S), each with what it decided:
its claim-level CAS, what it paid (AMT*D), what it left the patient (AMT*EAF), and per service
line (2430) what it paid (SVD), its CAS groups as it gave them, and when (DTP*573).

The amounts balance as the guide demands, per other payer: each payer's 2430 loops (by SVD01)
against the line's charge on their own, never summed over payers (the guide's balancing
section, as X12's answer to RFI 1555 on 005010X222 restates it for one payer's loops):

- per line: SV102 (our charge) = SVD02 (paid) + the line's 2430 CAS amounts;
- per claim: CLM02 = AMT*D + the 2320 CAS amounts + every 2430 CAS amount of that payer.

`check_balance` states both, so a COB claim that would not balance is refused here, before a
payer rejects it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from medsheets.model import Coverage, Encounter, Payer, Person
from medsheets.money import ZERO, format_money, x12_amount
from medsheets.x12 import claim_parts as part
from medsheets.x12.errors import ClaimInputError
from medsheets.identifiers import id_problem, x12_text

# 2320 SBR02, the patient's relationship to the other plan's insured.
SBR_RELATIONSHIP = {"self": "18", "spouse": "01", "child": "19", "other": "G8"}
MAX_REASONS_PER_CAS = 6  # CAS02..CAS19: six (reason, amount, quantity) triplets
CAS_GROUPS = ("CO", "CR", "OA", "PI", "PR")  # the order CAS segments are written in


@dataclass(frozen=True)
class CasAmount:
    """One adjustment as the other payer gave it: group, CARC reason code, amount."""

    group: str
    reason: str
    amount: Decimal


@dataclass(frozen=True)
class LineAdjudication:
    """What the other payer decided on one of our lines (2430): paid, CAS, the code it paid."""

    paid: Decimal
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    adjustments: tuple[CasAmount, ...] = ()


@dataclass(frozen=True)
class Adjudication:
    """The other payer's decision on the claim: when, paid in all, claim-level CAS, each line
    (by our 0-based line index), what the patient was left to pay, remark codes (MOA)."""

    date: dt.date
    paid: Decimal
    lines: Mapping[int, LineAdjudication]
    claim_adjustments: tuple[CasAmount, ...] = ()
    patient_owes: Decimal | None = None
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True)
class OtherPayer:
    """Another insurance of the patient, as a claim names it in 2320/2330A/2330B.

    `responsibility` is that payer's SBR01 (P primary, S secondary, T tertiary); `subscriber`
    is that plan's insured (the patient when `relationship` is self)."""

    responsibility: str
    payer: Payer
    member_id: str
    group_number: str | None
    relationship: str
    subscriber: Person
    adjudication: Adjudication | None = None


@dataclass(frozen=True)
class Coordination:
    """How a claim stands among the patient's insurances: its own SBR01 and the others."""

    responsibility: str = "P"
    others: tuple[OtherPayer, ...] = field(default=())


def known_others(encounter: Encounter, payers: Mapping[str, Payer]) -> Coordination:
    """A claim to the primary: the secondary (and tertiary) the workbook names, not yet
    adjudicated (2320 SBR01 S and T)."""
    line = encounter.first
    others: list[OtherPayer] = []
    for responsibility, column, coverage in (("S", "secondary_payer_id", line.secondary),
                                             ("T", "tertiary_payer_id", line.tertiary)):
        if coverage is None or coverage.payer_id is None:
            break
        payer = payers.get(coverage.payer_id)
        if payer is None:
            raise ClaimInputError(f"{line.origin.at(column)}: {column} is not on the Payers "
                                  "sheet; run the checks before claims")
        others.append(not_yet_adjudicated(responsibility, payer, coverage, line.patient))
    return Coordination("P", tuple(others))


def not_yet_adjudicated(responsibility: str, payer: Payer, coverage: Coverage,
                        patient: Person) -> OtherPayer:
    """A further insurance a claim names before it has adjudicated anything (SBR01 S or T)."""
    subscriber = coverage.subscriber if coverage.subscriber_relationship != "self" else None
    return OtherPayer(responsibility, payer, coverage.member_id or "", coverage.group_number,
                      coverage.subscriber_relationship, subscriber or patient)


def other_payer_loops(encounter: Encounter, other: OtherPayer) -> list[str]:
    """2320 (SBR, CAS, AMT, OI, MOA), 2330A (the other insured), 2330B (the other payer)."""
    where = encounter.first.origin.at("encounter_id")
    if other.relationship not in SBR_RELATIONSHIP:
        raise ClaimInputError(f"{where}: the other insurance's subscriber relationship must be "
                              "self, spouse, child or other")
    member = _identifier(where, "member ID", other.member_id, 80)
    group = _identifier(where, "group number", other.group_number, 50) if other.group_number else ""
    segments = [part.seg("2320", "SBR", other.responsibility, SBR_RELATIONSHIP[other.relationship], group,
                        "", "", "", "", "", other.payer.claim_filing)]
    adjudication = other.adjudication
    if adjudication is not None:
        check_balance(encounter, other)
        segments += cas_segments("2320", adjudication.claim_adjustments)
        segments.append(part.seg("2320", "AMT", "D", x12_amount(adjudication.paid)))
        if adjudication.patient_owes is not None:
            segments.append(part.seg("2320", "AMT", "EAF", x12_amount(adjudication.patient_owes)))
    segments.append(part.seg("2320", "OI", "", "", "Y", "", "", "Y"))
    if adjudication is not None and adjudication.remarks and other.payer.claim_filing == "MB":
        segments.append(part.seg("2320", "MOA", "", "", *adjudication.remarks[:5]))
    last = x12_text(other.subscriber.last_name, "NM103")
    if not last:
        raise ClaimInputError(f"{where}: the other insurance's subscriber has no last name a claim "
                              "can carry")
    segments.append(part.seg("2330A", "NM1", "IL", "1", last, x12_text(other.subscriber.first_name, "NM104"),
                            "", "", "", "MI", member))
    payer_id = _identifier(where, "payer ID", other.payer.payer_id, 80)
    segments.append(part.seg("2330B", "NM1", "PR", "2", x12_text(other.payer.name, "NM103") or payer_id,
                            "", "", "", "", "PI", payer_id))
    if adjudication is not None and not adjudication.lines:
        # the guide: 2330B DTP*573 only when the payer adjudicated and no 2430 loop is sent
        segments.append(part.seg("2330B", "DTP", "573", "D8", adjudication.date.strftime("%Y%m%d")))
    return segments


def line_adjudication_loops(others: Sequence[OtherPayer], index: int) -> list[str]:
    """2430 of one service line (0-based `index`), one per other payer that adjudicated it."""
    segments: list[str] = []
    for other in others:
        if other.adjudication is None or index not in other.adjudication.lines:
            continue
        line = other.adjudication.lines[index]
        segments.append(part.seg("2430", "SVD", other.payer.payer_id, x12_amount(line.paid),
                                ("HC", line.procedure_code, *line.modifiers[:4]), "",
                                str(line.units)))
        segments += cas_segments("2430", line.adjustments)
        segments.append(part.seg("2430", "DTP", "573", "D8", other.adjudication.date.strftime("%Y%m%d")))
    return segments


def cas_segments(loop: str, adjustments: Sequence[CasAmount]) -> list[str]:
    """One CAS per group (in CAS_GROUPS order), at most six reasons each; a group with more
    reasons continues in another CAS of the same group. Zero amounts are left out."""
    segments = []
    for group in CAS_GROUPS:
        reasons = [a for a in adjustments if a.group == group and a.amount]
        for start in range(0, len(reasons), MAX_REASONS_PER_CAS):
            elements: list[str] = []
            for item in reasons[start:start + MAX_REASONS_PER_CAS]:
                elements += [item.reason, x12_amount(item.amount), ""]
            segments.append(part.seg(loop, "CAS", group, *elements))
    return segments


def check_balance(encounter: Encounter, other: OtherPayer) -> None:
    """Refuse a COB claim whose amounts for `other` do not balance (see the module doc)."""
    adjudication = other.adjudication
    assert adjudication is not None
    where = encounter.first.origin.at("encounter_id")
    line_cas = ZERO
    for index, line in enumerate(encounter.lines):
        decided = adjudication.lines.get(index)
        if decided is None:
            continue
        adjusted = sum((a.amount for a in decided.adjustments), ZERO)
        line_cas += adjusted
        if decided.paid + adjusted != (line.charge or ZERO):
            raise ClaimInputError(
                f"{where}: line {index + 1} of claim {encounter.encounter_id}: "
                f"{other.payer.payer_id} paid {format_money(decided.paid)} and adjusted "
                f"{format_money(adjusted)}, which is not the {format_money(line.charge or ZERO)} "
                "charged; the secondary claim would not balance")
    claim_cas = sum((a.amount for a in adjudication.claim_adjustments), ZERO)
    total = encounter.total_charge
    if adjudication.paid + claim_cas + line_cas != total:
        raise ClaimInputError(
            f"{where}: claim {encounter.encounter_id}: {other.payer.payer_id} paid "
            f"{format_money(adjudication.paid)} with {format_money(claim_cas + line_cas)} of "
            f"adjustments, which is not the {format_money(total)} charged; the secondary claim "
            "would not balance")


def _identifier(where: object, what: str, value: str, max_length: int) -> str:
    problem = id_problem(value) or (f"is longer than {max_length} characters"
                                    if len(value) > max_length else None)
    if problem:
        raise ClaimInputError(f"{where}: the other insurance's {what} {problem}")
    return value
