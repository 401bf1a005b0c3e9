"""What a balanced 835 can still say that cannot be true: refused whole, before any posting.

An 835 that balances (balance.py) may still be wrong in ways that would corrupt the ledger if
posted: the same service line twice in one claim (posted twice: a phantom credit), a line paid
more than its charge, a negative payment that is not a reversal (CLP02 22), or a remittance for
another provider (payee NPI not the practice's). Each is an error naming its segment and what
to do; the remittance is refused and nothing of it is posted, as for one that does not balance:
a remittance is posted completely or not at all.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from medsheets.ledger import LineRow
from medsheets.model import Problem, error
from medsheets.money import format_money
from medsheets.remit.records import REVERSAL, ClaimPayment, Remittance, ServicePayment
from medsheets.remit.snapshot import Snapshot
from medsheets.remit.values import segment_source

NOTHING_POSTED = "nothing of this remittance was posted"
ASK_PAYER = f"{NOTHING_POSTED}; ask the payer for a corrected 835"


def impossible_problems(remittance: Remittance, practice_npi: str, snapshot: Snapshot) -> list[Problem]:
    """Every reason `remittance` cannot be true for this practice, as errors; [] when none."""
    def problem(position: int, code: str, message: str) -> None:
        problems.append(error(segment_source(remittance.file, position), code, message))

    problems: list[Problem] = []
    if remittance.payee_npi and practice_npi and remittance.payee_npi != practice_npi:
        problem(remittance.position, "MS-REMIT-PAYEE",
                f"the payee NPI {remittance.payee_npi} is not the practice's NPI {practice_npi}: "
                f"this remittance pays another provider, so {NOTHING_POSTED}; give it back to "
                "the clearinghouse, or correct [practice] npi in medsheets.toml if it is wrong")
    for claim in remittance.claims:
        where = f"CLP {claim.patient_control_number}"
        if claim.status != REVERSAL:
            for message, position in _money_problems(claim):
                problem(position, "MS-REMIT-IMPOSSIBLE", f"{where}: {message}; {ASK_PAYER}")
        ours = snapshot.claims.get(claim.patient_control_number)
        lines = snapshot.lines.get(ours.id, []) if ours is not None else []
        for service, first in _repeated_lines(claim, lines):
            problem(service.position, "MS-REMIT-REPEATED-LINE",
                    f"{where}: the SVC {service.billed_code or '(no code)'} at segment "
                    f"{service.position} repeats the service line at segment {first.position} "
                    f"({_same(service)}); posting it would pay the line twice, so {ASK_PAYER}")
    return problems


def _money_problems(claim: ClaimPayment) -> list[tuple[str, int]]:
    """A negative payment, or a payment above the charge, outside a reversal."""
    found = []
    if claim.paid < 0:
        found.append((f"the claim payment {format_money(claim.paid)} is negative, which only a "
                      "reversal (CLP02 22) may be", claim.position))
    elif claim.charge >= 0 and claim.paid > claim.charge:
        found.append((f"the claim is paid {format_money(claim.paid)}, more than its charge "
                      f"{format_money(claim.charge)}", claim.position))
    for service in claim.services:
        if service.paid < 0:
            found.append((f"the SVC {service.billed_code or '(no code)'} payment "
                          f"{format_money(service.paid)} is negative, which only a reversal "
                          "(CLP02 22) may be", service.position))
        elif service.charge >= 0 and service.paid > service.charge:
            found.append((f"the SVC {service.billed_code or '(no code)'} is paid "
                          f"{format_money(service.paid)}, more than its charge "
                          f"{format_money(service.charge)}", service.position))
    return found


def _repeated_lines(claim: ClaimPayment,
                    lines: list[LineRow]) -> list[tuple[ServicePayment, ServicePayment]]:
    """(the repeat, the first) for every SVC that repeats an earlier one of the same claim.

    The same line control number (REF*6R) twice is always a repeat. Without one, an SVC alike
    in code, modifiers, date, charge and payment repeats an earlier one when the claim billed
    fewer lines of that code on that date than the 835 pays (two real 96372 lines stay two).
    """
    repeats = []
    first_by_control: dict[str, ServicePayment] = {}
    first_by_look: dict[tuple[object, ...], ServicePayment] = {}
    seen: Counter[tuple[object, ...]] = Counter()
    billed = Counter((line.procedure_code, line.date_of_service) for line in lines)
    for service in claim.services:
        if service.control_number:
            first = first_by_control.setdefault(service.control_number, service)
            if first is not service:
                repeats.append((service, first))
            continue
        look = (service.billed_code, tuple(sorted(service.billed_modifiers)), service.service_date,
                service.charge, service.paid, _adjusted(service))
        seen[look] += 1
        first = first_by_look.setdefault(look, service)
        if first is not service and seen[look] > billed[(service.billed_code, service.service_date)]:
            repeats.append((service, first))
    return repeats


def _adjusted(service: ServicePayment) -> tuple[tuple[str, Decimal], ...]:
    return tuple((a.code, a.amount) for a in service.adjustments)


def _same(service: ServicePayment) -> str:
    if service.control_number:
        return "the same line control number REF*6R"
    return "the same code, date, charge and payment, and the claim billed that line once"
