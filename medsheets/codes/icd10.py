"""The official ICD-10-CM release, asked one code at a time: billable, a header, or unknown.

Answers come from the compact index (`icd10index`), never from parsing the release itself:
the hot questions ("is this billable?", "what lies under this header?") cost a set look-up
once the index is open (milliseconds), and every answer is cached per code, since a day's
workbook repeats a few hundred distinct codes over many lines.

Codes come in upper case without the dot (``E119``) or with it (``E11.9``); the codes given
back for people to read carry the dot.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from medsheets.codes.icd10index import Icd10Index, load_shipped_index
from medsheets.identifiers import dotted_icd10, normalize_icd10

# The shape of an ICD-10-CM code without its dot: a letter (U too: U07.1 COVID-19), a digit,
# a digit or letter, then up to four more characters.
ICD10CM_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$")

SUGGESTIONS = 2


class DxStatus(str, Enum):
    """What the release says of a code: billable (a leaf), a header above billable codes, or
    not in the release at all."""

    BILLABLE = "billable"
    HEADER = "header"
    UNKNOWN = "unknown"


@lru_cache(maxsize=1)
def shipped() -> Icd10Index:
    """The index of the release medsheets ships, opened (or built) once per process."""
    return load_shipped_index()


def has_icd10_shape(code: str) -> bool:
    """True when the code looks like ICD-10-CM (with or without the dot), release aside."""
    return bool(ICD10CM_SHAPE.match(normalize_icd10(code)))


@lru_cache(maxsize=65536)
def status(code: str, release: Icd10Index | None = None) -> DxStatus:
    """Billable, header (a category or subcategory with codes beneath it) or unknown, in the
    given release (an `Icd10Index`; default: the shipped one)."""
    plain = normalize_icd10(code)
    if not ICD10CM_SHAPE.match(plain):
        return DxStatus.UNKNOWN
    index = release or shipped()
    if index.is_billable(plain):
        return DxStatus.BILLABLE
    return DxStatus.HEADER if index.is_header(plain) else DxStatus.UNKNOWN


@lru_cache(maxsize=65536)
def description(code: str, release: Icd10Index | None = None) -> str | None:
    """The release's description of a code, None when the release does not have it."""
    return (release or shipped()).description(normalize_icd10(code))


@lru_cache(maxsize=4096)
def billable_beneath(code: str, limit: int = SUGGESTIONS,
                     release: Icd10Index | None = None) -> tuple[str, ...]:
    """A few billable codes under a header (dotted), the likeliest first.

    The likeliest is the plain case, the one a coder would reach for when nothing more is
    documented: a description ending in "unspecified" or "without complications" (E11.9,
    M54.50, R05.9), then other unspecified codes, then the rest; shorter codes before longer.
    """
    if status(code, release) is not DxStatus.HEADER:
        return ()
    beneath = (release or shipped()).billable_under(normalize_icd10(code))
    return tuple(dotted_icd10(c) for c in beneath[:limit])
