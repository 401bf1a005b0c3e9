"""Balancing: an 835 whose own numbers do not add up is refused whole, before any posting.

An 835 must satisfy three identities (005010X221A1, section 1.10.2):

- per service line: SVC02 charge - the line's CAS amounts = SVC03 paid;
- per claim: CLP03 charge - every CAS amount of the claim and its lines = CLP04 paid;
- per transaction: BPR02 payment = the sum of CLP04 - the sum of PLB amounts.

A remittance that breaks one was damaged or built wrong, and posting part of it would leave the
books disagreeing with the bank deposit. Each break is an error naming its segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from medsheets.model import Problem, error
from medsheets.money import format_money
from medsheets.remit.records import Adjustment, Remittance
from medsheets.remit.values import segment_source

CODE = "MS-REMIT-UNBALANCED"
_REFUSED = ("the remittance does not balance, so nothing of it was posted; ask the payer for a "
            "corrected 835")


def total(adjustments: Iterable[Adjustment]) -> Decimal:
    return sum((a.amount for a in adjustments), Decimal("0.00"))


def balance_problems(remittance: Remittance) -> list[Problem]:
    """Every identity the remittance breaks, as errors naming the segment; [] when it balances."""
    problems: list[Problem] = []

    def unbalanced(position: int, what: str, charge: Decimal, adjusted: Decimal,
                   paid: Decimal) -> None:
        problems.append(error(
            segment_source(remittance.file, position), CODE,
            f"{what}: charge {format_money(charge)} minus adjustments {format_money(adjusted)} "
            f"is {format_money(charge - adjusted)}, but the payer says it paid "
            f"{format_money(paid)}; {_REFUSED}"))

    for claim in remittance.claims:
        for line in claim.services:
            adjusted = total(line.adjustments)
            if line.charge - adjusted != line.paid:
                unbalanced(line.position, f"SVC {line.code or '(no code)'} of claim "
                           f"{claim.patient_control_number}", line.charge, adjusted, line.paid)
        adjusted = total(claim.all_adjustments)
        if claim.charge - adjusted != claim.paid:
            unbalanced(claim.position, f"CLP {claim.patient_control_number}", claim.charge,
                       adjusted, claim.paid)
    paid = sum((c.paid for c in remittance.claims), Decimal("0.00"))
    provider = sum((p.amount for p in remittance.provider_adjustments), Decimal("0.00"))
    if paid - provider != remittance.payment:
        problems.append(error(
            segment_source(remittance.file, remittance.bpr_position), CODE,
            f"BPR: the payment is {format_money(remittance.payment)}, but the claims paid "
            f"{format_money(paid)} minus provider adjustments {format_money(provider)} is "
            f"{format_money(paid - provider)}; {_REFUSED}"))
    return problems
