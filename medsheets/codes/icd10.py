"""The official ICD-10-CM release, asked one code at a time: billable, a header, or unknown.

This is the one module that touches the `simple_icd_10_cm` package, so that swapping it for
another source of the release touches nothing else. The package parses the whole tabular list
when imported (about 2 s), so it is imported on first use, never at start-up, and every answer
is cached per code: a day's workbook repeats a few hundred distinct codes over many lines.

Codes come in upper case without the dot (``E119``) or with it (``E11.9``); the package accepts
both, and the codes given back for people to read carry the dot.
"""

from __future__ import annotations

import re
import warnings
from enum import Enum
from functools import lru_cache
from types import ModuleType

from medsheets.codes.identifiers import normalize_icd10

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
def _release() -> ModuleType:
    """The package, imported once on first use; its import-time warnings are not ours to show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm

    return simple_icd_10_cm  # type: ignore[no-any-return]


def has_icd10_shape(code: str) -> bool:
    """True when the code looks like ICD-10-CM (with or without the dot), release aside."""
    return bool(ICD10CM_SHAPE.match(normalize_icd10(code)))


@lru_cache(maxsize=65536)
def status(code: str) -> DxStatus:
    """Billable, header (a category or subcategory with codes beneath it) or unknown."""
    plain = normalize_icd10(code)
    if not ICD10CM_SHAPE.match(plain):
        return DxStatus.UNKNOWN
    release = _release()
    if not release.is_valid_item(plain):
        return DxStatus.UNKNOWN
    return DxStatus.BILLABLE if release.is_leaf(plain) else DxStatus.HEADER


@lru_cache(maxsize=65536)
def description(code: str) -> str | None:
    """The release's description of a code, None when the release does not have it."""
    if status(code) is DxStatus.UNKNOWN:
        return None
    return str(_release().get_description(normalize_icd10(code)))


@lru_cache(maxsize=4096)
def billable_beneath(code: str, limit: int = SUGGESTIONS) -> tuple[str, ...]:
    """A few billable codes under a header (dotted), the likeliest first.

    The likeliest is the plain case, the one a coder would reach for when nothing more is
    documented: a description ending in "unspecified" or "without complications" (E11.9,
    M54.50, R05.9), then other unspecified codes, then the rest; shorter codes before longer.
    """
    if status(code) is not DxStatus.HEADER:
        return ()
    release = _release()
    leaves = [c for c in release.get_descendants(normalize_icd10(code)) if release.is_leaf(c)]
    leaves.sort(key=lambda c: (_plainness(str(release.get_description(c))), len(c), c))
    return tuple(str(c) for c in leaves[:limit])


def _plainness(text: str) -> int:
    """0 for the unspecified / uncomplicated case, 1 for anything unspecified, 2 otherwise."""
    lowered = text.lower()
    if lowered.endswith(("unspecified", "without complications")):
        return 0
    return 1 if "unspecified" in lowered else 2
