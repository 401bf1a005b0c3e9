"""A line edit on lengths: a value longer than any output can carry is an error at its cell.

Without it the 837 writer would cut a long name to its element's size (NM103 holds 60
characters) and the ledger would store, or refuse mid-run, what its column cannot hold: a claim
sent with a name the payer cannot match, or a run that fails after the check said clean. The
limit of each cell is the smallest of the places it goes: the 837 element when the line is
billed to a payer, the ledger column always (the sizes in `medsheets/ledger/schema.py`; a test
keeps the two in step).
"""

from __future__ import annotations

from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.identifiers import MAX_LENGTH
from medsheets.model import Guarantor, Person, Problem, ServiceLine, error

# Ledger column sizes (schema.py): patients.* (guarantor_* the same), claims.member_id. (encounter_id, 20, is checked
# with its characters as MS-ENCOUNTER-ID in edits_claim.py.)
LEDGER_LENGTH = {
    "patient_id": 40, "member_id": 80,
    "last_name": 120, "first_name": 120, "address": 200, "city": 120,
}
# The 837 element each person's field fills; an address runs on from N301 into N302.
CLAIM_LENGTH = {
    "last_name": ("NM103", MAX_LENGTH["NM103"]), "first_name": ("NM104", MAX_LENGTH["NM104"]),
    "address": ("N301 and N302", 2 * MAX_LENGTH["N301"]), "city": ("N401", MAX_LENGTH["N401"]),
    "member_id": ("NM109", 80),
}
PERSON_FIELDS = ("last_name", "first_name", "address", "city")


def check_field_lengths(line: ServiceLine, ctx: EditContext) -> Found:
    """Each cell no longer than the ledger column and, when billed to a payer, the 837 element."""
    limits = INSURED_LIMITS if line.payer_id is not None else SELF_PAY_LIMITS
    found: list[Problem] = []
    for name in ("patient_id", "member_id"):
        value = getattr(line, name)
        if value is not None and len(value) > limits[name][0]:
            found.append(_too_long(line, name, value, limits[name]))
    people: list[tuple[str, Person | Guarantor, dict[str, tuple[int, str]]]] = [
        ("patient", line.patient, limits)]
    if line.subscriber is not None:
        people.append(("subscriber", line.subscriber, limits))
    if line.guarantor is not None:  # the ledger keeps the guarantor; no claim carries them
        people.append(("guarantor", line.guarantor, SELF_PAY_LIMITS))
    for who, person, person_limits in people:
        for field in PERSON_FIELDS:
            value = getattr(person, field)
            if value is not None and len(value) > person_limits[field][0]:
                found.append(_too_long(line, f"{who}_{field}", value, person_limits[field]))
    return found or NO_PROBLEMS


def _limits(insured: bool) -> dict[str, tuple[int, str]]:
    """Each field's limit and the place that sets it: the smallest of the ledger column and,
    for a line billed to a payer, the 837 element (on a tie, either names a place it cannot go)."""
    limits = {}
    for field in (*LEDGER_LENGTH, *CLAIM_LENGTH):
        candidates: list[tuple[int, str]] = []
        if field in LEDGER_LENGTH:
            candidates.append((LEDGER_LENGTH[field], "the ledger"))
        if insured and field in CLAIM_LENGTH:
            element, size = CLAIM_LENGTH[field]
            candidates.append((size, f"the claim ({element})"))
        if candidates:
            limits[field] = min(candidates)
    return limits


INSURED_LIMITS, SELF_PAY_LIMITS = _limits(True), _limits(False)


def _too_long(line: ServiceLine, column: str, value: str, limit: tuple[int, str]) -> Problem:
    size, where = limit
    return error(line.origin.at(column), "MS-FIELD-LONG",
                 f"{column} is {len(value):,} characters, longer than the {size} {where} can "
                 f"carry; shorten it to at most {size} characters (as on the insurance card)")
