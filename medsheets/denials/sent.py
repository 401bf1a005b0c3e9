"""A claim as it was sent: what the ledger keeps only inside the 837 text of its batch.

The ledger has the claim, its lines and the patient, but not the diagnoses, the group number,
the subscriber of a dependant, the providers or the prior authorization: the workbook they
came from may be long gone, and the 837 the payer got is the faithful record anyway. So a
corrected or void claim takes them from the batch the claim was last sent in (`read_837p`
for the claim and its lines, plus the few 2000B/2310A details that reader leaves out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medsheets.model import Person
from medsheets.x12.read837 import ClaimRecord
from medsheets.x12.reader import read_x12
from medsheets.x12.tree import Segment

RELATIONSHIPS = {"18": "self", "01": "spouse", "19": "child", "G8": "other"}


@dataclass(frozen=True)
class SentClaim:
    """The 837's claim plus its subscriber loop: group number, relationship, subscriber, referrer."""

    record: ClaimRecord
    group_number: str | None
    relationship: str  # self, spouse, child, other
    subscriber: Person | None  # None when the patient is the subscriber
    referring_name: str | None  # "LAST, FIRST"


def sent_claim(block: list[Segment], record: ClaimRecord) -> SentClaim:
    """`record` (from read_837p) with what read_837p leaves out, read from its `block`."""
    details = _Details()
    for seg in block:
        details.read(seg)
    relationship = RELATIONSHIPS.get(record.relationship, "other")
    return SentClaim(
        record=record,
        group_number=details.group or None,
        relationship=relationship,
        subscriber=None if relationship == "self" else details.subscriber(),
        referring_name=details.referring or None,
    )


def subscriber_blocks(content: str, file_name: str) -> dict[str, list[Segment]]:
    """Each claim's segments by CLM01: its subscriber loop (and patient loop), then the claim
    up to the next subscriber HL or the end of the transaction."""
    blocks: dict[str, list[Segment]] = {}
    for interchange in read_x12(content, file_name):
        for transaction in interchange.transactions():
            subscriber: list[Segment] = []
            claim: list[Segment] | None = None
            for seg in transaction.body:
                if seg.id == "HL" and seg.element(3) == "22":
                    subscriber, claim = [seg], None
                elif seg.id == "CLM":
                    claim = blocks[seg.element(1)] = [*subscriber, seg]
                elif claim is not None:
                    claim.append(seg)
                else:
                    subscriber.append(seg)
    return blocks


class _Details:
    """The walk over one subscriber block: who the subscriber is, and the referring name."""

    def __init__(self) -> None:
        self.group = ""
        self.referring = ""
        self.entity = ""
        self.name: tuple[str, str] = ("", "")
        self.address: list[str] = []
        self.place: tuple[str, str, str] = ("", "", "")
        self.dob: dt.date | None = None
        self.sex: str | None = None

    def read(self, seg: Segment) -> None:
        if seg.id == "SBR":
            self.group = seg.element(3)
        elif seg.id == "NM1":
            self.entity = seg.element(1)
            if self.entity == "IL":
                self.name = (seg.element(3), seg.element(4))
            elif self.entity == "DN":
                last, first = seg.element(3), seg.element(4)
                self.referring = f"{last}, {first}" if first else last
        elif self.entity == "IL" and seg.id == "N3":
            self.address = [seg.element(1), seg.element(2)]
        elif self.entity == "IL" and seg.id == "N4":
            self.place = (seg.element(1), seg.element(2), seg.element(3))
        elif self.entity == "IL" and seg.id == "DMG" and seg.element(1) == "D8":
            self.dob = dt.datetime.strptime(seg.element(2), "%Y%m%d").date()
            self.sex = seg.element(3) or None

    def subscriber(self) -> Person:
        street = " ".join(part for part in self.address if part) or None
        city, state, zip_code = (value or None for value in self.place)
        return Person(self.name[0] or None, self.name[1] or None, self.dob, self.sex,
                      street, city, state, zip_code)
