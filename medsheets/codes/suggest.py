""""Did you mean": the codes a typed code was most likely meant to be.

People slip one key (99214 for 99213) or swap two (99312 for 99213, E1.19 for E11.9). For a
procedure code the candidates are the fee schedule's own codes one slip or one swap away; for
an ICD-10-CM code, the billable codes one slip or swap away, then the billable codes closest in
the tree (beneath the longest part of the code that the release knows). A suggestion is only
ever a code that exists: never advice to add the typed code anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from medsheets.codes import icd10
from medsheets.codes.icd10index import Icd10Index
from medsheets.identifiers import dotted_icd10, normalize_icd10

CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MOST = 3


def one_slip_away(typed: str, known: str) -> bool:
    """True when `known` is `typed` with one character changed or two characters swapped."""
    if len(typed) != len(known) or typed == known:
        return False
    differ = [i for i, (a, b) in enumerate(zip(typed, known)) if a != b]
    if len(differ) == 1:
        return True
    if len(differ) == 2:
        i, j = differ
        return typed[i] == known[j] and typed[j] == known[i]
    return False


def closest_procedures(typed: str, known: Iterable[str]) -> tuple[str, ...]:
    """Codes of the fee schedule one slip or swap away from the typed one, swaps first."""
    typed = typed.strip().upper()
    near = [code for code in known if one_slip_away(typed, code)]
    near.sort(key=lambda code: (sum(a != b for a, b in zip(typed, code)) != 2, code))
    return tuple(near[:MOST])


def _variants(plain: str) -> Iterable[str]:
    """Two characters swapped (the likeliest slip), then one changed, then one too many."""
    for i in range(len(plain)):
        for j in range(i + 1, len(plain)):
            if plain[i] != plain[j]:
                yield plain[:i] + plain[j] + plain[i + 1:j] + plain[i] + plain[j + 1:]
    for i in range(len(plain)):
        for ch in CHARACTERS:
            if ch != plain[i]:
                yield plain[:i] + ch + plain[i + 1:]
    for cut in range(len(plain)):
        yield plain[:cut] + plain[cut + 1:]


@lru_cache(maxsize=4096)
def closest_diagnoses(code: str, release: Icd10Index | None = None) -> tuple[str, ...]:
    """Billable codes (dotted) a typed ICD-10-CM code was likely meant to be."""
    plain = normalize_icd10(code)
    if not plain:
        return ()
    index = release or icd10.shipped()
    slips = [v for v in dict.fromkeys(_variants(plain)) if index.is_billable(v)]
    found: dict[str, None] = {}
    for length in range(len(plain) - 1, 2, -1):  # a billable code with a character too many
        if index.is_billable(plain[:length]):
            found.setdefault(plain[:length], None)
    for slip in slips:
        if slip[:3] == plain[:3]:
            found.setdefault(slip, None)
    for length in range(len(plain) - 1, 2, -1):
        stem = plain[:length]
        if index.is_header(stem):
            for beneath in index.billable_under(stem)[:MOST]:
                found.setdefault(beneath, None)
            break
    for slip in slips:
        found.setdefault(slip, None)
    return tuple(dotted_icd10(c) for c in list(found)[:MOST])


def described(codes: Iterable[str], describe: Iterable[str | None]) -> str:
    """'E11.9 (Type 2 diabetes ...), E11.65 (...)': suggestions with their descriptions."""
    return ", ".join(f"{c} ({d})" if d else c for c, d in zip(codes, describe))
