"""Small pieces the 837P writer needs: required values, names, addresses, codes.

Each helper either returns a value fit for an element or raises `ClaimInputError` naming the
workbook cell (never the value: it may be patient data). The checks stage should have refused
such rows already; these are the writer's own guard so a bad row can never become a bad batch.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from medsheets import identifiers as ids
from medsheets.identifiers import address_lines, id_problem, text_problem, x12_text
from medsheets.model import Person, ServiceLine
from medsheets.money import x12_amount
from medsheets.x12.compose import Element
from medsheets.x12.errors import ClaimInputError
from medsheets.x12.grammar.build import checked
from medsheets.x12.grammar.template import VALUE, SegmentTemplate, _Value
from medsheets.x12.grammar.x837p import CLAIM_FILING, X837P

T = TypeVar("T")

# SBR09 claim filing indicator codes valid in 005010X222A1 (declared with the 2000B loop).
CLAIM_FILING_CODES = frozenset(CLAIM_FILING.split())
# subscriber_relationship (as the workbook reader normalises it) -> PAT01 for 2000C.
PATIENT_RELATIONSHIP = {"spouse": "01", "child": "19", "other": "G8"}


def seg(loop: str, segment_id: str, *elements: Element) -> str:
    """A segment of loop `loop` of the 837P, checked against the declared grammar.

    A GrammarError here is a bug in the writer (the values were checked before): it names the
    loop, segment and element the guide refuses.
    """
    return checked(X837P, loop, segment_id, *elements)


def template(loop: str, segment_id: str, *elements: Element | _Value) -> SegmentTemplate:
    """A segment of loop `loop` written many times: `VALUE` marks the elements each use fills
    (`.fill(...)`); the rest is checked against the grammar once, here (grammar/template.py)."""
    return SegmentTemplate(X837P, loop, segment_id, *elements)


def fail(line: ServiceLine, field: str, what: str) -> ClaimInputError:
    """A ClaimInputError pointing at `field`'s cell of `line`."""
    return ClaimInputError(f"{line.origin.at(field)}: {field} {what}; run the checks before claims")


def need(line: ServiceLine, field: str, value: T | None) -> T:
    """`value`, or an error at `field`'s cell when it is missing."""
    if value is None or value == "":
        raise fail(line, field, "is missing")
    return value


def identifier(
    line: ServiceLine, field: str, value: str | None, max_length: int = 80, min_length: int = 1
) -> str:
    """An ID sent exactly as written, or an error saying why it cannot be sent."""
    problem = id_problem(value)
    if problem:
        raise fail(line, field, problem)
    assert value is not None
    if len(value) > max_length:
        raise fail(line, field, f"is longer than the {max_length} characters a claim allows")
    if len(value) < min_length:
        raise fail(line, field, f"is shorter than the {min_length} characters a claim needs")
    return value


def npi(line: ServiceLine, field: str, value: str | None) -> str:
    if not ids.npi_is_valid(value or ""):
        raise fail(line, field, "is not a valid NPI (10 digits with a check digit)")
    assert value is not None
    return value


def text(line: ServiceLine, field: str, value: str | None, element: str) -> str:
    """Cleaned text for a required element; an error if too little of it can be sent."""
    problem = text_problem(value, element)
    if problem:
        raise fail(line, field, problem)
    return x12_text(value, element)


def person_name(line: ServiceLine, prefix: str, person: Person) -> tuple[str, str]:
    """(NM103, NM104) for a person; the first name may be empty, the last name may not."""
    last = text(line, f"{prefix}_last_name", person.last_name, "NM103")
    return last, x12_text(person.first_name, "NM104")


def split_name(value: str | None) -> tuple[str, str]:
    """'Smith, John' or 'John Smith' -> ('SMITH', 'JOHN'); one word is a last name."""
    raw = (value or "").strip()
    if "," in raw:
        last, _, first = raw.partition(",")
    elif " " in raw:
        first, _, last = raw.rpartition(" ")
    else:
        last, first = raw, ""
    return x12_text(last, "NM103"), x12_text(first, "NM104")


def address(line: ServiceLine, prefix: str, person: Person) -> tuple[tuple[str, str], tuple[str, str, str]]:
    """((N301, N302), (N401, N402, N403)) of a person, each part checked."""
    lines = address_lines(person.address)
    if not lines[0]:
        raise fail(line, f"{prefix}_address", "has no letter or digit a claim can carry")
    city = text(line, f"{prefix}_city", person.city, "N401")
    state = (person.state or "").strip().upper()
    if state not in ids.US_STATES:
        raise fail(line, f"{prefix}_state", "is not a US state code")
    zip_code = (person.zip or "").strip()
    if not ids.ZIP.match(zip_code):
        raise fail(line, f"{prefix}_zip", "is not a 5- or 9-digit ZIP code")
    return lines, (city, state, zip_code)


def demographics(line: ServiceLine, prefix: str, person: Person) -> tuple[str, str]:
    """(DMG02 birth date CCYYMMDD, DMG03 sex) of a person."""
    dob = need(line, f"{prefix}_dob", person.dob)
    sex = (person.sex or "").strip().upper()
    if sex not in ("M", "F", "U"):
        raise fail(line, f"{prefix}_sex", "must be M, F or U")
    return ccyymmdd(dob), sex


@lru_cache(maxsize=4096)  # a batch repeats its fees and totals
def amount(value: Decimal) -> str:
    """An amount as X12 writes it (`money.x12_amount`)."""
    return x12_amount(value)


@lru_cache(maxsize=4096)  # a batch has a few dozen days of service and some thousand birthdays
def ccyymmdd(day: date) -> str:
    """A date as X12 DT (CCYYMMDD)."""
    return day.strftime("%Y%m%d")


def has_address(person: Person) -> bool:
    return bool(address_lines(person.address)[0] and text_problem(person.city, "N401") is None
                and person.state and person.zip)
