"""Reading single values out of 835 segments: amounts, quantities, dates; and the hash that
recognises a remittance sent twice.

Kept apart from the parser so the balancing and the example generator use the same rules: an
amount is X12's R type (optional sign, digits, optional point) and must be whole cents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

from medsheets.model import Source
from medsheets.x12.tree import Segment

_NUMBER = re.compile(r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_CENT = Decimal("0.01")


class SegmentIssue(ValueError):
    """A value in a segment that posting needs and cannot read; caught per segment."""


def segment_source(file: str, position: int) -> Source:
    """Where a problem is in an X12 file: shown as `FILE:segment N`."""
    return Source(file, f"segment {position}")


# Amounts repeat across a big 835 (the same fee, the same copay): one Decimal per distinct
# text is shared (Decimals are immutable), which keeps a large remittance's records small.
_AMOUNTS: dict[str, Decimal] = {}
_AMOUNTS_KEPT = 20_000


def amount(seg: Segment, number: int, what: str, *, required: bool = True) -> Decimal:
    """A money element (R type) as Decimal cents; SegmentIssue when absent or not money."""
    text = seg.element(number).strip()
    known = _AMOUNTS.get(text)
    if known is not None:
        return known
    value = _new_amount(seg, number, what, text, required)
    if text and len(_AMOUNTS) < _AMOUNTS_KEPT:
        _AMOUNTS[text] = value
    return value


def _new_amount(seg: Segment, number: int, what: str, text: str, required: bool) -> Decimal:
    if not text:
        if required:
            raise SegmentIssue(f"{seg.id}{number:02d} ({what}) is empty")
        return Decimal("0.00")
    if not _NUMBER.match(text):
        raise SegmentIssue(f"{seg.id}{number:02d} ({what}) is not an amount")
    value = Decimal(text)
    if value != value.quantize(_CENT):
        raise SegmentIssue(f"{seg.id}{number:02d} ({what}) has a fraction of a cent")
    return value.quantize(_CENT)


def quantity(seg: Segment, number: int) -> Decimal | None:
    text = seg.element(number).strip()
    if not text or not _NUMBER.match(text):
        return None
    known = _AMOUNTS.get(f"q{text}")
    if known is None:
        known = Decimal(text)
        if len(_AMOUNTS) < _AMOUNTS_KEPT:
            _AMOUNTS[f"q{text}"] = known
    return known


def date(text: str) -> dt.date | None:
    """CCYYMMDD as a date; None when blank or not a real date."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


_MARKS = "\x1d\x1e"  # what the digest writes between elements and after a segment


class ContentDigest:
    """sha256 of the segments between ST and SE, written with fixed delimiters, so the same
    remittance sent again under another control number or other delimiters hashes the same.
    Fed one segment at a time, as a streaming reader sees them; the texts are handed to the
    hash a batch at a time (the same bytes in the same order: the same digest), not encoded
    and hashed per segment."""

    BATCH = 512  # segments per update

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._texts: list[str] = []

    def add(self, seg: Segment) -> None:
        component = seg.delimiters.component
        if component in _MARKS or component in seg.id:  # (never in practice) element by element
            elements = (e.replace(component, "\x1f") for e in seg.elements)
            text = "\x1d".join((seg.id, *elements))
        else:  # the same text, the component separator replaced once in the joined segment
            text = "\x1d".join((seg.id, *seg.elements)).replace(component, "\x1f")
        texts = self._texts
        texts.append(text)
        if len(texts) >= self.BATCH:
            self._update()

    def _update(self) -> None:
        if self._texts:
            self._texts.append("")  # the mark after the batch's last segment
            self._digest.update("\x1e".join(self._texts).encode("utf-8"))
            self._texts = []

    def hexdigest(self) -> str:
        self._update()
        return self._digest.hexdigest()

