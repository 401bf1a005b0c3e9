"""Find what an acknowledgment is about: our 837 batch, its transaction sets, their claims.

A 999 names our functional group (GS06) and transaction set (ST02). The ledger keeps every batch's full text,
so the claims of a set are read back from what was actually sent, not guessed from today's
workbooks. Each claim also gets its span of segment positions, so a 999 error can be pinned
on the claim it lies in (or on the set's header, which concerns every claim in it).
"""

from __future__ import annotations

from dataclasses import dataclass

from medsheets.ledger import Transaction
from medsheets.ledger.runs import StoredBatch, batch_id_by_interchange
from medsheets.ledger.runs import batch_by_group as stored_batch
from medsheets.x12.reader import read_x12
from medsheets.x12.tree import Transaction as X12Transaction


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """A claim in a sent set: its CLM01, and the positions (ST = 1) of the segments that are
    its own: from its subscriber HL (or its CLM, when it shares the HL) to before the next."""

    encounter_id: str
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class SentSet:
    """One 837 transaction set we sent: its batch, its ST02, and its claims in file order."""

    batch_id: int
    batch_file: str
    control_number: str
    claims: tuple[ClaimSpan, ...]

    @property
    def encounter_ids(self) -> tuple[str, ...]:
        return tuple(span.encounter_id for span in self.claims)

    def claim_at(self, position: int | None) -> str | None:
        """The claim whose segments include `position`; None for the set's header."""
        for span in self.claims:
            if position is not None and span.first <= position <= span.last:
                return span.encounter_id
        return None


def batch_by_group(tx: Transaction, group_control: str) -> StoredBatch | None:
    """The batch sent with GS06 `group_control`, or None."""
    number = _number(group_control)
    return None if number is None else stored_batch(tx, number)


def batch_of_reference(tx: Transaction, reference: str) -> int | None:
    """The batch a 277CA answers: its 2200B TRN02 is our BHT03, the ISA13 (nine digits) of
    the interchange followed by the ST02 of the set. None when it names none of ours."""
    isa13 = reference.strip()[:9]
    return batch_id_by_interchange(tx, int(isa13)) if len(isa13) == 9 and isa13.isdigit() else None


def sent_sets(batch: StoredBatch) -> dict[int, SentSet]:
    """The 837 transaction sets of a stored batch, by their ST02 as a number."""
    found: dict[int, SentSet] = {}
    for interchange in read_x12(batch.content, batch.file_name):
        for transaction in interchange.transactions():
            number = _number(transaction.control_number)
            if transaction.type == "837" and number is not None:
                found[number] = SentSet(batch.id, batch.file_name, transaction.control_number,
                                        claim_spans(transaction))
    return found


def find_set(sets: dict[int, SentSet], control_number: str) -> SentSet | None:
    number = _number(control_number)
    return sets.get(number) if number is not None else None


def claim_spans(transaction: X12Transaction) -> tuple[ClaimSpan, ...]:
    """Each claim's segment positions; a subscriber HL holding one claim is all its own."""
    chunks: list[tuple[int, list[tuple[str, int]]]] = []  # (HL position, [(CLM01, position)])
    for position, seg in enumerate(transaction.segments, start=1):
        if seg.id == "HL" and seg.element(3) == "22":
            chunks.append((position, []))
        elif seg.id == "CLM" and chunks:
            chunks[-1][1].append((seg.element(1), position))
    spans: list[ClaimSpan] = []
    ends = [start - 1 for start, _ in chunks[1:]] + [len(transaction.segments) - 1]
    for (start, found), end in zip(chunks, ends):
        for index, (encounter_id, position) in enumerate(found):
            first = start if len(found) == 1 else position
            last = found[index + 1][1] - 1 if index + 1 < len(found) else end
            spans.append(ClaimSpan(encounter_id, first, last))
    return tuple(spans)


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None
