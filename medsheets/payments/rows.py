"""What a payments-workbook row must hold before anything is posted (no ledger needed).

Each check returns Problems at the cell to fix: a blank required value, a method medsheets does
not know, an amount that is not a payment, a payment dated in the future (a typo), an EOB
adjustment missing its group, reason or amount, a group that is not CO, PR, OA or PI.
"""

from __future__ import annotations

import datetime as dt
import re

from medsheets.model import Origin, Problem, error
from medsheets.money import ZERO
from medsheets.workbook.payments import AdjustmentCells, EobRow, PatientPaymentRow

METHODS = ("cash", "check", "card", "ach", "online", "money order", "other")
PAYER_GROUPS = {"CO": "contractual obligation", "OA": "other adjustment",
                "PI": "payer-initiated reduction"}
PATIENT_GROUP = "PR"  # patient responsibility: moved to the patient, see docs/posting.md
REASON_CODE = re.compile(r"^[A-Z0-9]{1,5}$")


def normal_method(text: str | None) -> str | None:
    """'Credit Card' -> 'card', 'CHECK' -> 'check'; None when not a known method."""
    if not text:
        return None
    word = " ".join(text.lower().replace("-", " ").split())
    aliases = {"credit card": "card", "debit card": "card", "credit": "card", "debit": "card",
               "cheque": "check", "eft": "ach", "bank transfer": "ach", "money order": "money order"}
    word = aliases.get(word, word)
    return word if word in METHODS else None


def _blank(origin: Origin, name: str, what: str) -> Problem:
    return error(origin.at(name), "MS-PAY-BLANK", f"{name} is empty; {what}")


def check_patient_row(row: PatientPaymentRow, as_of: dt.date) -> list[Problem]:
    """Problems with one patient payment row, before the ledger is asked anything."""
    return _check_money_row(row, as_of, (
        "give the day the payment was received", "give the amount received",
        "give the receipt or check number (it keeps the payment from being posted twice)"),
        ("MS-PAY-AMOUNT", ("is not a payment; give the amount received, more than 0.00 "
                           "(refunds go on the Refunds sheet)")))


def check_refund_row(row: PatientPaymentRow, as_of: dt.date) -> list[Problem]:
    """Problems with one Refunds row (money paid back to a patient), before the ledger."""
    return _check_money_row(row, as_of, (
        "give the day the refund was paid", "give the amount paid back",
        "give the refund's check or receipt number (it keeps the refund from being posted twice)"),
        ("MS-REFUND-AMOUNT", "is not a refund; give the amount paid back, more than 0.00"))


def _check_money_row(row: PatientPaymentRow, as_of: dt.date, what: tuple[str, str, str],
                     not_money: tuple[str, str]) -> list[Problem]:
    o = row.origin
    day, amount, reference = what
    problems = [
        _blank(o, name, hint) for name, hint, value in (
            ("date", day, row.date),
            ("patient_id", "give the patient's account number", row.patient_id),
            ("amount", amount, row.amount),
            ("method", f"give one of: {', '.join(METHODS)}", row.method),
            ("reference", reference, row.reference),
        ) if value is None
    ]
    if row.method is not None and normal_method(row.method) is None:
        problems.append(error(o.at("method"), "MS-PAY-METHOD",
                              f"'{row.method}' is not a payment method; use one of: {', '.join(METHODS)}"))
    if row.amount is not None and row.amount <= ZERO:
        code, text = not_money
        problems.append(error(o.at("amount"), code, f"{row.amount} {text}"))
    problems += _future(o, row.date, as_of)
    return problems


def check_eob_row(row: EobRow, as_of: dt.date) -> list[Problem]:
    """Problems with one EOB row, before the ledger is asked anything."""
    o = row.origin
    problems = [
        _blank(o, name, what) for name, what, value in (
            ("reference", "give the EOB's check or EFT number", row.reference),
            ("date", "give the EOB's payment date", row.date),
            ("payer_id", "give the payer's id as on the Payers sheet", row.payer_id),
            ("encounter_id", ("give the claim's encounter_id (the EOB's patient account "
                             "or claim number)"), row.encounter_id),
            ("paid", "give what the payer paid (0.00 when nothing)", row.paid),
        ) if value is None
    ]
    if row.paid is not None and row.paid < ZERO:
        problems.append(error(o.at("paid"), "MS-EOB-PAID",
                              f"{row.paid} is negative; a payer taking money back is a "
                              "recoupment, not posted from this workbook"))
    for triple in row.adjustments:
        problems += _check_adjustment(o, triple)
    problems += _future(o, row.date, as_of)
    return problems


def _check_adjustment(o: Origin, triple: AdjustmentCells) -> list[Problem]:
    n = triple.number
    problems = []
    if not triple.group:
        problems.append(_blank(o, f"group{n}", "give the adjustment group: CO, PR, OA or PI"))
    elif triple.group != PATIENT_GROUP and triple.group not in PAYER_GROUPS:
        problems.append(error(o.at(f"group{n}"), "MS-EOB-GROUP",
                              f"'{triple.group}' is not an adjustment group; use CO, PR, OA or PI"))
    if not triple.reason:
        problems.append(_blank(o, f"reason{n}", "give the adjustment reason code (CARC) "
                                                "printed on the EOB, e.g. 45"))
    elif not REASON_CODE.match(triple.reason):
        problems.append(error(o.at(f"reason{n}"), "MS-EOB-REASON",
                              f"'{triple.reason}' is not a claim adjustment reason code; codes "
                              "are 1 to 5 letters or digits, e.g. 45, 253, B7"))
    if triple.amount is None:
        problems.append(_blank(o, f"adjustment{n}", "give the adjustment's amount"))
    elif triple.amount == ZERO:
        problems.append(error(o.at(f"adjustment{n}"), "MS-EOB-ADJUSTMENT",
                              "an adjustment of 0.00 says nothing; clear the three cells"))
    return problems


def _future(o: Origin, day: dt.date | None, as_of: dt.date) -> list[Problem]:
    if day is not None and day > as_of:
        return [error(o.at("date"), "MS-PAY-DATE-FUTURE",
                      f"{day.isoformat()} is after today; check the date")]
    return []
