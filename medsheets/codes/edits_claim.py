"""Claim edits: the lines of one encounter_id taken together, as the one claim they become.

An 837P claim has one claim number (CLM01: the encounter_id, at most 20 characters), one
patient, one date of service, one payer and member, at most 12 diagnoses and at most 50 service
lines. Each of these edits looks at one `Encounter` and points at the cell to change.
"""

from __future__ import annotations

from operator import attrgetter

from medsheets.codes.edits import NO_PROBLEMS, Found
from medsheets.identifiers import ENCOUNTER_ID
from medsheets.model import Encounter, Problem, ServiceLine, error

MAX_CLAIM_DIAGNOSES = 12
MAX_CLAIM_LINES = 50
SPLIT = "split the encounter into two encounter_ids"

# Fields every line of an encounter must share, and whether a blank takes part in the
# comparison. A blank date or patient is already reported as required; a blank payer or
# member on one line of an insured claim is itself the conflict.
AGREED_FIELDS: tuple[tuple[str, bool], ...] = (
    ("patient_id", False),
    ("date_of_service", False),
    ("payer_id", True),
    ("member_id", True),
    ("secondary_payer_id", True),
    ("secondary_member_id", True),
    ("tertiary_payer_id", True),
    ("tertiary_member_id", True),
)


def check_encounter_id(encounter: Encounter) -> Found:
    """At most 20 letters, digits or '-', since it becomes the claim number CLM01."""
    if ENCOUNTER_ID.match(encounter.encounter_id):
        return NO_PROBLEMS
    return [error(encounter.first.origin.at("encounter_id"), "MS-ENCOUNTER-ID",
                  f"encounter_id '{encounter.encounter_id}' must be at most 20 letters, digits "
                  "or '-' (it becomes the claim number); shorten it or drop other characters")]


def check_claim_size(encounter: Encounter) -> Found:
    """At most 12 distinct diagnoses (on the first line) and 50 lines (on the 51st)."""
    found: list[Problem] = []
    diagnoses = len(encounter.diagnoses)
    if diagnoses > MAX_CLAIM_DIAGNOSES:
        found.append(error(encounter.first.origin.at("encounter_id"), "MS-CLAIM-DX-COUNT",
                           f"encounter {encounter.encounter_id} has {diagnoses} distinct "
                           f"diagnoses and a claim carries at most {MAX_CLAIM_DIAGNOSES}; {SPLIT}"))
    if len(encounter.lines) > MAX_CLAIM_LINES:
        overflow = encounter.lines[MAX_CLAIM_LINES]
        found.append(error(overflow.origin.at("encounter_id"), "MS-CLAIM-LINES",
                           f"encounter {encounter.encounter_id} has {len(encounter.lines)} lines "
                           f"and a claim carries at most {MAX_CLAIM_LINES}; {SPLIT} "
                           "(from this row on)"))
    return found or NO_PROBLEMS


def check_agreement(encounter: Encounter) -> Found:
    """Every line agrees with the first on patient, date of service, payers and members."""
    if len(encounter.lines) == 1:
        return NO_PROBLEMS
    first = encounter.first
    agreed = _agreed(first)
    found: list[Problem] = []
    for line in encounter.lines[1:]:
        if _agreed(line) == agreed:
            continue  # the common case: every field the same, compared in one step
        for name, blank_counts in AGREED_FIELDS:
            ours, theirs = getattr(line, name), getattr(first, name)
            if ours == theirs or (not blank_counts and (ours is None or theirs is None)):
                continue
            found.append(_conflict(encounter, line, first, name))
    return found or NO_PROBLEMS

_agreed = attrgetter(*(name for name, _ in AGREED_FIELDS))


def _conflict(encounter: Encounter, line: ServiceLine, first: ServiceLine, name: str) -> Problem:
    shown = "" if name.endswith("member_id") else f" ({_text(getattr(first, name))} there)"
    return error(line.origin.at(name), "MS-ENCOUNTER-CONFLICT",
                 f"{name} differs from row {first.origin.row} of encounter "
                 f"{encounter.encounter_id}{shown}; one encounter is one claim: make the rows "
                 "agree, or give this one its own encounter_id")


def _text(value: object) -> str:
    if value is None:
        return "blank"
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if isoformat else str(value)
