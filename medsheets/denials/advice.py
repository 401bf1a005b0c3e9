"""What to do about a denial, and by when: the worklist's suggestion and days-left columns.

The suggestion reads the denial's reason codes (CARC with their group, e.g. `CO-16`; RARC
such as `N290` only add detail) and says the usual next step in plain words. The wording is
our own: the code lists' descriptions are X12's text. A rejection by the clearinghouse (999
or 277CA) always means the claim's data must be fixed and the claim sent again.

Deadlines use the payer's `timely_filing_days` (codesets.xlsx): a rejected claim never
reached the payer, so the clock runs from the date of service; a denied claim may be
corrected or appealed within the same number of days from the denial.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from medsheets.codes.reasons import ReasonCode

CORRECT, VOID, WRITE_OFF, BILL_PATIENT = "correct", "void", "write off", "bill patient"
REBILL = "rebill"
ACTIONS = (CORRECT, VOID, WRITE_OFF, BILL_PATIENT, REBILL)


@dataclass(frozen=True, slots=True)
class Advice:
    """The usual next step: one of ACTIONS (or '' when a person must decide) and why."""

    action: str
    text: str


# CARC -> (action, the suggestion in our own words).
_BY_CODE: dict[str, tuple[str, str]] = {
    "16": (CORRECT, "information is missing or wrong: add it (see the remark codes) and send a corrected claim"),
    "4": (CORRECT, "the modifier does not fit the procedure: fix the modifier and send a corrected claim"),
    "5": (CORRECT, "procedure and place of service do not fit: fix the place of service or code, correct"),
    "6": (CORRECT, "procedure does not fit the patient's age: check the code and date of birth, correct"),
    "7": (CORRECT, "procedure does not fit the patient's sex: check the code and patient data, correct"),
    "11": (CORRECT, "diagnosis does not support the procedure: fix the diagnosis pointers or codes, correct"),
    "146": (CORRECT, "diagnosis code invalid for the date of service: use a current code, correct"),
    "181": (CORRECT, "procedure code invalid for the date of service: use a current code, correct"),
    "182": (CORRECT, "modifier invalid for the date of service: fix the modifier, correct"),
    "125": (CORRECT, "the claim was submitted wrongly: fix what the remark codes name, correct"),
    "197": (CORRECT, "no prior authorization on file: obtain the authorization, then send a corrected claim"),
    "15": (CORRECT, "the authorization number is missing or does not match: correct the claim"),
    "198": (CORRECT, "more than the authorized visits: get the authorization extended, then correct"),
    "29": (WRITE_OFF, "filed too late: write off, or appeal with proof that it was filed in time"),
    "18": (VOID, "a duplicate of a claim already processed: check the first one; void this one if it was sent twice"),
    "97": (WRITE_OFF, "paid as part of another service: write off, or correct with a modifier if truly separate"),
    "45": (WRITE_OFF, "above the contracted fee: the difference is written off, never billed to the patient"),
    "22": (REBILL, "another insurance pays first: put the primary payer in bill_payer and rebill; bill this one after"),
    "23": ("", "the primary payer's payment was applied: check the balance, write off or bill the patient"),
    "27": (REBILL, "coverage had ended: check eligibility; put the current payer and member id in bill_payer and member_id and rebill, or bill the patient"),
    "26": (REBILL, "coverage had not started: check eligibility; put the right payer in bill_payer and rebill, or bill the patient"),
    "31": (CORRECT, "the payer cannot find the patient as its member: fix member_id, the patient's name or birth date, correct"),
    "109": (REBILL, "not this payer's claim: put the right payer (and its member id) in bill_payer and member_id, and rebill"),
    "50": ("", "not medically necessary in the payer's view: appeal with records, or bill the patient if an ABN is on file"),
    "96": ("", "a service the plan does not cover: bill the patient if they agreed in advance, else write off"),
    "204": (BILL_PATIENT, "not covered by the patient's plan: bill the patient"),
    "1": (BILL_PATIENT, "deductible: bill the patient"),
    "2": (BILL_PATIENT, "coinsurance: bill the patient"),
    "3": (BILL_PATIENT, "copay: bill the patient"),
    "119": ("", "the plan's benefit maximum is reached: bill the patient or write off"),
    "B7": (CORRECT, "the provider was not certified for this service on that date: check enrollment, correct"),
}
REJECTED = Advice(CORRECT, "rejected before the payer saw it: correct the data named by the codes and send again")
# 277CA status codes (STC01-2) that name what to fix, and the worklist column to fix it in.
_REJECTION_FIXES: dict[str, Advice] = {
    **dict.fromkeys(("29", "30", "31", "32", "33", "164"), Advice(
        CORRECT, "the payer does not know this member: fix member_id (and the subscriber or "
                 "patient name and birth date) from the insurance card, correct")),
    "116": Advice(REBILL, "sent to the wrong payer: put the right payer in bill_payer, rebill"),
    "562": Advice(CORRECT, "an NPI is wrong or unknown to the payer: fix rendering_npi or "
                           "referring_npi (or the Providers sheet), correct"),
    "27": Advice(REBILL, "the policy was cancelled: check eligibility; put the current payer in "
                         "bill_payer and rebill, or bill the patient"),
}
REVIEW = Advice("", "read the remittance codes; correct and resubmit, appeal, or write off")


def suggest(event: str, codes: tuple[ReasonCode, ...], patient_part: Decimal, balance: Decimal) -> Advice:
    """The next step for a denial (`event` rejected, denied or line_denied)."""
    if event == "rejected":
        for code in codes:
            parts = code.code.split("-")
            if not code.group and len(parts) >= 2 and parts[1] in _REJECTION_FIXES:
                return _REJECTION_FIXES[parts[1]]
        return REJECTED
    if balance > 0 and patient_part * 2 > balance:
        return Advice(BILL_PATIENT, "most of what is open is the patient's share: bill the patient")
    for code in codes:
        if code.group and code.code in _BY_CODE:
            action, text = _BY_CODE[code.code]
            if code.group == "PR" and action in (WRITE_OFF, ""):
                return Advice(BILL_PATIENT, f"{text} (the payer says the patient owes it)")
            return Advice(action, text)
    if any(code.group == "PR" for code in codes):
        return Advice(BILL_PATIENT, "the payer assigns this to the patient: bill the patient")
    return REVIEW


def deadline(event: str, service_date: dt.date, denied_on: dt.date, limit_days: int | None) -> dt.date | None:
    """The last day to send a corrected claim or appeal; None when the payer has no limit."""
    if limit_days is None:
        return None
    start = service_date if event == "rejected" else denied_on
    return start + dt.timedelta(days=limit_days)
