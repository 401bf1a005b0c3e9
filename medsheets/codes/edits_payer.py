"""Line edits for the insurance on a row: a known payer, the member and subscriber, timely filing.

A blank payer_id means self-pay: no claim goes out, the patient is invoiced, and none of this
applies. For an insured row the claim needs what the payer will match against its enrolment
(member ID; the subscriber's name, birth date and sex when the patient is a dependant), and it
must be sent within the payer's timely-filing limit or it will be denied however right it is.
"""

from __future__ import annotations

from operator import attrgetter

from medsheets.codes.edits import NO_PROBLEMS, RELATIONSHIPS, EditContext, Found
from medsheets.codes.sieve import Sieve
from medsheets.model import Person, Problem, ServiceLine, error

SUBSCRIBER_REQUIRED = ("last_name", "first_name", "dob", "sex")


def check_payer(line: ServiceLine, ctx: EditContext) -> Found:
    """The payer is in the Payers sheet, and the date of service within its filing limit."""
    payer_id = line.payer_id
    if payer_id is None:
        return NO_PROBLEMS
    payer = ctx.codesets.payers.get(payer_id)
    if payer is None:
        return [error(line.origin.at("payer_id"), "MS-PAYER-UNKNOWN",
                      f"payer_id {payer_id} is not in the Payers sheet of codesets.xlsx; fix it, "
                      "add the payer there, or leave it blank for self-pay")]
    limit, service = payer.timely_filing_days, line.date_of_service
    if limit is not None and service is not None and (ctx.as_of - service).days > limit:
        return [error(line.origin.at("date_of_service"), "MS-TIMELY-FILING",
                      f"date_of_service {service.isoformat()} is {(ctx.as_of - service).days} "
                      f"days ago, past {payer_id}'s timely-filing limit of {limit} days; the "
                      "payer will deny the claim: bill it only with proof of timely filing")]
    return NO_PROBLEMS


PAYER_SIEVE = Sieve(alike=attrgetter("payer_id", "date_of_service"))  # see codes/sieve.py


def check_insured(line: ServiceLine, ctx: EditContext) -> Found:
    """Member ID present; a known relationship; the subscriber's details when not self."""
    if line.payer_id is None:
        return NO_PROBLEMS
    return insured_problems(line, "", line.member_id, line.subscriber_relationship,
                            line.subscriber, "(or leave payer_id blank for self-pay)") or NO_PROBLEMS


def insured_problems(line: ServiceLine, prefix: str, member_id: str | None, relationship: str,
                     subscriber: Person | None, blank_hint: str) -> list[Problem]:
    """The member and subscriber checks of one insurance: the primary's columns (prefix "")
    or the secondary's ("secondary_"), each problem at its own cell."""
    found: list[Problem] = []
    if member_id is None:
        found.append(error(line.origin.at(f"{prefix}member_id"), "MS-REQUIRED",
                           f"{prefix}member_id is blank; an insured row needs the member ID "
                           f"from the insurance card {blank_hint}"))
    if relationship not in RELATIONSHIPS:
        found.append(error(line.origin.at(f"{prefix}subscriber_relationship"), "MS-RELATIONSHIP",
                           f"{prefix}subscriber_relationship '{relationship}' is not one of "
                           "self, spouse, child, other"))
    elif relationship != "self":
        for name in SUBSCRIBER_REQUIRED:
            if subscriber is None or getattr(subscriber, name) is None:
                found.append(error(line.origin.at(f"{prefix}subscriber_{name}"), "MS-REQUIRED",
                                   f"{prefix}subscriber_{name} is blank; the insured person is "
                                   f"not the patient (relationship {relationship}), so the claim "
                                   "needs the subscriber's name, date of birth and sex"))
    return found
