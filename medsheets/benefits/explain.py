"""The words for a 271's codes, and the problems the front desk must act on before the visit.

AAA rejection reasons (AAA03) and follow-up actions (AAA04) are the 005010X279A1 code lists,
said as what to do at the desk. The problems (`front_desk_problems`) are warnings on the
terminal, one per person answered for, naming the account and the appointment (never the
patient): coverage inactive or ended before the visit, the payer could not find the member,
another payer is primary, or the answer came from a different payer than the appointment names.
"""

from __future__ import annotations

import datetime as dt

from medsheets.benefits.terms import Terms
from medsheets.model import Problem, Source, warning

REJECTION_REASONS = {
    "15": "required information is missing from the inquiry",
    "35": "the practice is out of network for this plan",
    "41": "the payer restricts access to this information",
    "42": "the payer cannot answer right now; ask again later",
    "43": "the practice's NPI is invalid or missing",
    "51": "the practice is not on file with the payer",
    "52": "the date of service is outside the practice's enrolment with the plan",
    "56": "the date asked about is not accepted",
    "57": "the date of service is invalid or missing",
    "58": "the date of birth is invalid or missing",
    "60": "the date of birth is after the date of service",
    "62": "the date of service is outside the period the payer answers for",
    "63": "the date of service is too far in the future",
    "64": "the patient's id is invalid or missing",
    "65": "the patient's name is invalid or missing",
    "67": "the payer did not find the patient",
    "68": "the patient's id is on file twice",
    "71": "the date of birth does not match the payer's records",
    "72": "the member id is invalid or missing",
    "73": "the subscriber's name is invalid or missing",
    "75": "the payer did not find the subscriber",
    "76": "the subscriber's id is on file twice",
    "77": "the subscriber was found but not the patient",
    "78": "the subscriber is not in the group or plan named",
    "79": "the participant identification is invalid",
    "80": "no response received; the inquiry was dropped",
    "T4": "the payer name or id is missing",
}
FOLLOW_UPS = {
    "C": "correct the appointment row and ask again",
    "N": "do not ask again",
    "P": "ask again with the same inquiry",
    "R": "asking again is allowed",
    "S": "do not ask again; the payer is asking a third party",
    "W": "wait 30 days and ask again",
    "X": "wait 10 days and ask again",
    "Y": "do not ask again; the payer hands it on",
}
# What the front desk does about the most common rejections.
DESK_FIX = {
    "72": "check the member id on the patient's current insurance card",
    "75": "check the subscriber's name, birth date and member id on the card",
    "67": "check the patient's name and birth date against the card",
    "71": "check the birth date with the patient",
    "77": "check the patient's relationship to the subscriber and their birth date",
    "78": "check the group number on the card",
}


def explain_rejection(reason: str, follow_up: str) -> str:
    words = REJECTION_REASONS.get(reason, f"rejection reason {reason}")
    fix = DESK_FIX.get(reason)
    then = FOLLOW_UPS.get(follow_up)
    return "; ".join(part for part in (f"{words} (AAA {reason})", fix, then) if part)


def front_desk_problems(source: Source, who: str, terms: Terms, *, day: dt.date | None,
                        asked_payer: str | None, answering_payer: str) -> list[Problem]:
    """The warnings for one answer; `who` names the account and appointment."""
    found: list[Problem] = []
    for reason, follow_up in terms.rejections:
        code = "MS-MEMBER-UNKNOWN" if reason in ("72", "75", "67", "77", "64") else "MS-ELIG-REJECTED"
        found.append(warning(source, code, f"{who}: {explain_rejection(reason, follow_up)}"))
    if terms.status == "inactive":
        found.append(warning(source, "MS-COVERAGE-INACTIVE",
                             f"{who}: the payer says the coverage is not active; ask the patient for "
                             "their current insurance or treat the visit as self-pay"))
    elif terms.status == "active" and day is not None and not terms.covers(day):
        found.append(warning(source, "MS-COVERAGE-INACTIVE",
                             f"{who}: the plan dates ({_span(terms)}) do not cover {day:%Y-%m-%d}; "
                             "ask the patient for their current insurance"))
    elif terms.status == "unknown":
        found.append(warning(source, "MS-COVERAGE-UNKNOWN",
                             f"{who}: the answer says neither active nor inactive; call the payer"))
    if terms.other_payer:
        found.append(warning(source, "MS-OTHER-PAYER-PRIMARY",
                             f"{who}: the payer names another payer as primary: "
                             f"{terms.other_payer}; bill that payer first (add it to the row)"))
    if asked_payer and answering_payer and asked_payer != answering_payer:
        found.append(warning(source, "MS-PAYER-DIFFERENT",
                             f"{who}: the answer comes from payer {answering_payer}, the appointment "
                             f"names {asked_payer}; check the payer on the card"))
    return found


def _span(terms: Terms) -> str:
    begin = f"{terms.plan_begin:%Y-%m-%d}" if terms.plan_begin else "…"
    end = f"{terms.plan_end:%Y-%m-%d}" if terms.plan_end else "…"
    return f"{begin} to {end}"
