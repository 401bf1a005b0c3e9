"""A claim as it was sent: what the ledger keeps only inside the 837 text of its batch.

The ledger has the claim, its lines and the patient, but not the diagnoses, the group number,
the subscriber of a dependant, the providers or the prior authorization: the workbook they
came from may be long gone, and the 837 the payer got is the faithful record anyway. So a
corrected or void claim takes them from the batch the claim was last sent in (`read_837p`
for the claim and its lines, plus the few 2000B/2310A details that reader leaves out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from medsheets.ledger import ClaimRow, Transaction
from medsheets.ledger.denials import diagnoses_since
from medsheets.ledger.runs import batch_by_id
from medsheets.model import Person
from medsheets.x12.errors import X12FileError
from medsheets.x12.read837 import ClaimRecord, read_837p
from medsheets.x12.reader import read_x12
from medsheets.x12.tree import Segment

T = TypeVar("T")
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
        self.in_claim = False

    def read(self, seg: Segment) -> None:
        if seg.id == "CLM":  # past 2000B: a later SBR / NM1*IL is another payer's (2320/2330A)
            self.in_claim = True
        elif seg.id == "SBR" and not self.in_claim:
            self.group = seg.element(3)
        elif seg.id == "NM1" and self.in_claim:
            self.entity = seg.element(1)
            if self.entity == "DN":
                last, first = seg.element(3), seg.element(4)
                self.referring = f"{last}, {first}" if first else last
        elif self.in_claim:
            return
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


class SentBatches:
    """The 837 batches claims were last sent in, each read once, looked up by batch id."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        self._claims: dict[int, dict[str, ClaimRecord]] = {}
        self._blocks: dict[int, dict[str, list[Segment]]] = {}

    def claim(self, batch_id: int | None, encounter_id: str) -> ClaimRecord | None:
        """The claim as it was sent in `batch_id`, or None when the ledger lacks it."""
        if batch_id is None:
            return None
        if batch_id not in self._claims:
            self._claims[batch_id] = self._read(batch_id, lambda text, name: {
                claim.claim_id: claim for claim in read_837p(text, name)})
        return self._claims[batch_id].get(encounter_id)

    def sent(self, batch_id: int | None, encounter_id: str) -> SentClaim | None:
        """The claim as sent, with its subscriber loop's details, or None."""
        record = self.claim(batch_id, encounter_id)
        if record is None or batch_id is None:
            return None
        if batch_id not in self._blocks:
            self._blocks[batch_id] = self._read(batch_id, subscriber_blocks)
        return sent_claim(self._blocks[batch_id].get(encounter_id, []), record)

    def of_claim(self, claim: ClaimRow) -> SentClaim | None:
        """The claim as it stands: as last sent, with the diagnoses a secondary's correction
        gave it since (ledger/denials.py `diagnoses_since`); None when the ledger lacks it."""
        found = self.sent(claim.batch_id, claim.encounter_id)
        diagnoses = diagnoses_since(self.tx, claim) if found is not None else None
        if found is None or diagnoses is None:
            return found
        return replace(found, record=replace(found.record, diagnoses=diagnoses))

    def _read(self, batch_id: int, reader: Callable[[str, str], dict[str, T]]) -> dict[str, T]:
        row = batch_by_id(self.tx, batch_id)
        if row is None:
            return {}
        try:
            return reader(row.content, row.file_name)
        except X12FileError:
            return {}
