"""Which of our claim lines each 835 service line pays.

CLP01 is our encounter id, so claims match by it (the ledger look-up is in post.py). Lines
match, in this order of trust:

1. REF*6R, the line control number we sent (``E261123-01-2``), when the payer echoes it;
2. the procedure code we billed (SVC06 when the payer changed the code, else SVC01) on the
   same date of service, preferring the line with the same modifiers (payers drop some);
3. nothing: the service line is listed as unmatched, and its money is posted at claim level
   so that the claim still balances (see plan.py).

Each of our lines is paid by at most one service line of a claim payment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medsheets.ledger import LineRow
from medsheets.remit.records import ClaimPayment, ServicePayment


@dataclass(frozen=True, slots=True)
class LineMatch:
    """A service line of the 835 and our line it pays (None: unmatched), and how it matched."""

    service: ServicePayment
    line: LineRow | None
    how: str  # "control number", "code and date", "code", "" when unmatched


def match_lines(claim: ClaimPayment, lines: list[LineRow]) -> list[LineMatch]:
    """Match each SVC of `claim` to one of `lines` (our claim's lines), in SVC order."""
    remaining = list(lines)
    found: dict[int, LineMatch] = {}
    by_control = {line.line_control_number: line for line in lines}
    for index, service in enumerate(claim.services):
        line = by_control.get(service.control_number) if service.control_number else None
        if line is not None and line in remaining:
            remaining.remove(line)
            found[index] = LineMatch(service, line, "control number")
    for index, service in enumerate(claim.services):
        if index in found:
            continue
        line, how = _by_code(service, remaining, service.service_date or claim.statement_date)
        if line is not None:
            remaining.remove(line)
        found[index] = LineMatch(service, line, how)
    return [found[index] for index in range(len(claim.services))]


def _by_code(service: ServicePayment, lines: list[LineRow],
             day: dt.date | None) -> tuple[LineRow | None, str]:
    """The best remaining line with the billed code (and date, when the 835 gives one)."""
    code = service.billed_code
    if not code:
        return None, ""
    candidates = [line for line in lines if line.procedure_code == code]
    if day is not None:
        candidates = [line for line in candidates if line.date_of_service == day]
    if not candidates:
        return None, ""
    how = "code and date" if day is not None else "code"
    wanted = tuple(sorted(service.billed_modifiers))
    for line in candidates:
        if tuple(sorted(line.modifiers)) == wanted:
            return line, how
    return candidates[0], how
