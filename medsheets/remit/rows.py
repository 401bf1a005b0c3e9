"""The report rows of one claim payment: a line per service line, a line per CAS reason.

Pure: the claim payment, how its lines matched and how it was posted in; rows out. The words
for how each adjustment was posted follow the posting rules of plan.py, so the biller reading
the report sees what the ledger did, not only what the payer said.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from medsheets.codes.reasons import Explanations
from medsheets.quick_records import maker
from medsheets.remit.match import LineMatch
from medsheets.remit.plan import Mode
from medsheets.remit.records import DENIED, NO_MONEY, REVERSAL, Adjustment, ClaimPayment
from medsheets.remit.results import AdjustmentRow, ClaimOutcome, LineRow

ZERO = Decimal("0.00")
# A report row per service line and per CAS reason: built without the frozen per-field
# setattr (medsheets/quick_records.py), the same records.
_line_row, _adjustment_row = maker(LineRow), maker(AdjustmentRow)


def is_denied_line(match: LineMatch) -> bool:
    """A line the payer adjusted to nothing: paid 0, none of it left to the patient (a line paid
    0 because it went to the deductible is not denied: the patient owes it). OA-23 is what an
    earlier payer already did (a secondary's $0 line after a primary that paid in full): not
    a denial either."""
    if match.service.paid != 0:
        return False
    adjustments = tuple(a for a in match.service.adjustments if a.code != "OA-23")
    return _sum(adjustments, payer=False) == 0 and _sum(adjustments, payer=True) > 0


def posted_as(adjustment: Adjustment, claim: ClaimPayment, mode: Mode | None,
              reversed_earlier: bool) -> str:
    """How the ledger took this CAS reason, in words."""
    if mode is None:
        return "not posted: the claim is not in the ledger"
    if claim.status == REVERSAL and reversed_earlier:
        return "reversed with the earlier posting"
    if claim.status == DENIED:
        return "not posted: the claim is denied and stays open on the denial worklist"
    if claim.status in NO_MONEY:
        return "recorded only (no money)"
    if mode is Mode.AFTER_PRIMARY:
        if adjustment.group == "PR":
            return "recorded only: already the patient's after the primary payer"
        if adjustment.code == "OA-23":
            return "recorded only: the earlier payer's part, posted from its remittance"
        return "written off from the patient's share"
    return "moved to the patient" if adjustment.group == "PR" else "written off"


def fill_rows(outcome: ClaimOutcome, claim: ClaimPayment, matches: Sequence[LineMatch],
              mode: Mode | None, reversed_earlier: bool, words: Explanations) -> None:
    """Add the claim's Payments and Adjustments rows to `outcome`; `words` explains the codes
    (the practice's overrides first), each code looked up once per run."""

    def adjustment_rows(adjustments: Sequence[Adjustment], line: int | None,
                        remarks: Sequence[str]) -> None:
        notes = ("; ".join(f"{code}: {words.remark(code)}" for code in remarks)
                 if remarks else "")
        for a in adjustments:
            outcome.adjustments.append(_adjustment_row(
                outcome.trace, claim.patient_control_number, line, a.group, a.reason, a.amount,
                posted_as(a, claim, mode, reversed_earlier),
                words.adjustment(a.group, a.reason), notes))

    for match in matches:
        service, line = match.service, match.line
        number = line.line_number if line is not None else None
        adjusted, patient = _shares(service.adjustments)
        outcome.lines.append(_line_row(
            outcome.trace, claim.patient_control_number, outcome.account, number,
            service.billed_code, " ".join(service.billed_modifiers), service.service_date,
            service.charge, service.paid, adjusted, patient, _line_result(match, claim, mode)))
        adjustment_rows(service.adjustments, number, service.remarks)
    if not matches or claim.adjustments:
        adjusted, patient = _shares(claim.adjustments)
        outcome.lines.append(_line_row(
            outcome.trace, claim.patient_control_number, outcome.account, None, "(claim)", "",
            claim.statement_date, claim.charge if not matches else ZERO,
            claim.paid - sum((m.service.paid for m in matches), ZERO), adjusted, patient,
            _claim_result(claim, mode)))
    adjustment_rows(claim.adjustments, None, claim.remarks)


def _sum(adjustments: Sequence[Adjustment], *, payer: bool) -> Decimal:
    return sum((a.amount for a in adjustments if (a.group != "PR") == payer), ZERO)


def _shares(adjustments: Sequence[Adjustment]) -> tuple[Decimal, Decimal]:
    """(`_sum` payer=True, `_sum` payer=False) in one pass: a report row wants both."""
    payer = patient = ZERO
    for a in adjustments:
        if a.group == "PR":
            patient += a.amount
        else:
            payer += a.amount
    return payer, patient


def _claim_result(claim: ClaimPayment, mode: Mode | None) -> str:
    if mode is None:
        return "not in the ledger"
    if claim.status == DENIED:
        return "claim denied"
    if claim.status == REVERSAL:
        return "reversal"
    if claim.status in NO_MONEY:
        return "recorded only"
    return "claim level"


def _line_result(match: LineMatch, claim: ClaimPayment, mode: Mode | None) -> str:
    if match.line is None:
        return "unmatched line" if mode is not None else "not in the ledger"
    if claim.status in (DENIED, REVERSAL) or claim.status in NO_MONEY:
        return _claim_result(claim, mode)
    return "denied line" if is_denied_line(match) else "paid"


def reason_codes(claim: ClaimPayment, adjustments: Sequence[Adjustment] | None = None,
                 remarks: Sequence[str] | None = None) -> str:
    """"CO-16 N290" style: each CAS code and remark once, in the order the 835 gives them."""
    chosen = claim.all_adjustments if adjustments is None else adjustments
    if remarks is None:
        remarks = [*claim.remarks, *(r for s in claim.services for r in s.remarks)]
    notes = remarks
    codes = dict.fromkeys([a.code for a in chosen] + list(notes))
    return " ".join(codes)
