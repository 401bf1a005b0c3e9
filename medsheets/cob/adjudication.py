"""A payer's adjudication of one claim, kept for the COB claim to the next payer.

When an 835 claim payment is posted, what the next payer must be told (SPEC §4: the primary's
payment and adjustments, line by line) is saved with its `remit_claims` row as plain JSON
(`adjudication_detail`), so that `claims` can bill the secondary later, even from another run,
without the 835 file. `adjudication_from_detail` reads it back as the 837 writer's records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # remit posting imports this module: the records are only type hints here
    from medsheets.ledger import LineRow
    from medsheets.remit.match import LineMatch
    from medsheets.remit.records import Adjustment, ClaimPayment
    from medsheets.x12.cob_loops import Adjudication, CasAmount

ZERO = Decimal("0.00")


def _cas(adjustments: Sequence[Adjustment]) -> list[list[str]]:
    return [[a.group, a.reason, str(a.amount)] for a in adjustments]


def adjudication_detail(claim: ClaimPayment, matches: Sequence[LineMatch],
                        lines: Sequence[LineRow], day: dt.date) -> dict[str, Any]:
    """The claim payment as JSON: date, paid, claim CAS, remarks, what the patient was left,
    and per matched line (by our 0-based line index) its SVD and CAS."""
    index_of = {line.id: index for index, line in enumerate(lines)}
    by_line: dict[str, Any] = {}
    for match in matches:
        if match.line is None:
            continue
        service = match.service
        units = service.units if service.units is not None else Decimal(match.line.units)
        by_line[str(index_of[match.line.id])] = {
            "paid": str(service.paid), "charge": str(service.charge), "code": service.code,
            "modifiers": list(service.modifiers), "units": str(units),
            "cas": _cas(service.adjustments)}
    patient = sum((a.amount for a in claim.all_adjustments if a.group == "PR"), ZERO)
    return {"date": day.isoformat(), "paid": str(claim.paid), "charge": str(claim.charge),
            "claim_cas": _cas(claim.adjustments), "remarks": list(claim.remarks),
            "patient_owes": str(patient), "forwarded_to": claim.forwarded_to, "lines": by_line}


def _amounts(cas: Sequence[Sequence[str]]) -> tuple[CasAmount, ...]:
    from medsheets.x12.cob_loops import CasAmount

    return tuple(CasAmount(group, reason, Decimal(amount)) for group, reason, amount in cas)


def adjudication_from_detail(detail: dict[str, Any]) -> Adjudication:
    """The saved JSON as the 837 writer's Adjudication (the 837 writer's modules are imported
    here, by `claims`, not by remit posting, which only saves the JSON)."""
    from medsheets.x12.cob_loops import Adjudication, LineAdjudication

    lines = {int(index): LineAdjudication(
        paid=Decimal(line["paid"]), procedure_code=line["code"],
        modifiers=tuple(line["modifiers"]), units=_units(line["units"]),
        adjustments=_amounts(line["cas"])) for index, line in detail["lines"].items()}
    return Adjudication(
        date=dt.date.fromisoformat(detail["date"]), paid=Decimal(detail["paid"]), lines=lines,
        claim_adjustments=_amounts(detail["claim_cas"]),
        patient_owes=Decimal(detail["patient_owes"]), remarks=tuple(detail["remarks"]))


def _units(text: str) -> int:
    units = Decimal(text)
    return int(units) if units == units.to_integral_value() and units >= 1 else 1


def left_to_patient(detail: dict[str, Any]) -> Decimal:
    """What the adjudication left the patient (its PR): what a further payer may still pay."""
    return Decimal(detail.get("patient_owes", "0"))
