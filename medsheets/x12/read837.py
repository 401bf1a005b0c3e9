"""Read an 837P that medsheets wrote back into plain claim records.

For the property test (every batch written reads back to the same claims) and for later stages
that need what was actually sent: resubmitting, matching a 277CA rejection to its claim. It
understands the loops medsheets writes, not every 837P a clearinghouse might hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from medsheets.x12.reader import read_x12
from medsheets.x12.tree import Segment, Transaction
from medsheets.x12.walk import ClaimWalk


@dataclass(frozen=True)
class ClaimLineRecord:
    """One 2400 service line: LX number, SV1 code/modifiers/charge/units/pointers, date, REF*6R."""

    number: int
    procedure_code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: int
    place_of_service: str  # SV105, '' when the claim's applies
    pointers: tuple[int, ...]
    date_of_service: dt.date | None = None
    control_number: str = ""
    rendering_npi: str = ""  # 2420A, '' when the claim's applies


@dataclass(frozen=True)
class ClaimRecord:
    """One 2300 claim with who it is for and to whom it goes."""

    claim_id: str
    total: Decimal
    place_of_service: str
    payer_id: str
    payer_name: str
    claim_filing: str
    member_id: str
    relationship: str  # '18' self, else the PAT01 code
    subscriber_name: tuple[str, str]  # (last, first) as written
    patient_name: tuple[str, str]
    diagnoses: tuple[str, ...]
    prior_auth: str = ""
    patient_paid: Decimal = Decimal(0)
    referring_npi: str = ""
    rendering_npi: str = ""
    lines: tuple[ClaimLineRecord, ...] = field(default_factory=tuple)


def read_837p(data: bytes | str, name: str) -> list[ClaimRecord]:
    """Every claim in every 837 transaction of the file, in file order."""
    claims: list[ClaimRecord] = []
    for interchange in read_x12(data, name):
        for transaction in interchange.transactions():
            if transaction.type == "837":
                claims.extend(_claims(transaction))
    return claims


class _Walk(ClaimWalk[ClaimRecord, ClaimLineRecord]):
    """The loop state while walking one transaction's segments."""

    def __init__(self) -> None:
        super().__init__()
        self.subscriber: dict[str, object] = {}
        self.entity = ""  # NM101 of the last NM1: where N3/N4/DMG/REF belong

    def _hl(self, seg: Segment) -> None:
        self.close_claim()
        if seg.element(3) == "22":
            self.subscriber = {"relationship": ""}

    def _sbr(self, seg: Segment) -> None:
        self.subscriber["relationship"] = seg.element(2)
        self.subscriber["filing"] = seg.element(9)

    def _pat(self, seg: Segment) -> None:
        self.subscriber["relationship"] = seg.element(1)

    def _nm1(self, seg: Segment) -> None:
        self.entity = seg.element(1)
        name = (seg.element(3), seg.element(4))
        if self.entity == "IL":
            self.subscriber.update(subscriber=name, member=seg.element(9))
            if self.subscriber.get("relationship") == "18":
                self.subscriber["patient"] = name
        elif self.entity == "QC":
            self.subscriber["patient"] = name
        elif self.entity == "PR":
            self.subscriber.update(payer_id=seg.element(9), payer_name=seg.element(3))
        elif self.entity == "DN" and self.claim is not None:
            self.claim = replace(self.claim, referring_npi=seg.element(9))
        elif self.entity == "82" and self.lines:
            self.lines[-1] = replace(self.lines[-1], rendering_npi=seg.element(9))
        elif self.entity == "82" and self.claim is not None:
            self.claim = replace(self.claim, rendering_npi=seg.element(9))

    def _clm(self, seg: Segment) -> None:
        self.close_claim()
        s = self.subscriber
        self.claim = ClaimRecord(
            claim_id=seg.element(1), total=Decimal(seg.element(2)),
            place_of_service=seg.components(5)[0] if seg.element(5) else "",
            payer_id=str(s.get("payer_id", "")), payer_name=str(s.get("payer_name", "")),
            claim_filing=str(s.get("filing", "")), member_id=str(s.get("member", "")),
            relationship=str(s.get("relationship", "")),
            subscriber_name=s.get("subscriber", ("", "")),  # type: ignore[arg-type]
            patient_name=s.get("patient", ("", "")),  # type: ignore[arg-type]
            diagnoses=(),
        )

    def _amt(self, seg: Segment) -> None:
        if self.claim is not None and seg.element(1) == "F5":
            self.claim = replace(self.claim, patient_paid=Decimal(seg.element(2)))

    def _hi(self, seg: Segment) -> None:
        if self.claim is not None:
            codes = tuple(seg.components(n)[1] for n in range(1, len(seg.elements) + 1))
            self.claim = replace(self.claim, diagnoses=self.claim.diagnoses + codes)

    def _ref(self, seg: Segment) -> None:
        if seg.element(1) == "G1" and self.claim is not None:
            self.claim = replace(self.claim, prior_auth=seg.element(2))
        elif seg.element(1) == "6R" and self.lines:
            self.lines[-1] = replace(self.lines[-1], control_number=seg.element(2))

    def _lx(self, seg: Segment) -> None:
        self.entity = ""
        self.lines.append(ClaimLineRecord(int(seg.element(1)), "", (), Decimal(0), 0, "", ()))

    def _sv1(self, seg: Segment) -> None:
        code = seg.components(1)
        self.lines[-1] = replace(
            self.lines[-1], procedure_code=code[1], modifiers=tuple(code[2:]),
            charge=Decimal(seg.element(2)), units=int(Decimal(seg.element(4))),
            place_of_service=seg.element(5),
            pointers=tuple(int(p) for p in seg.components(7)),
        )

    def _dtp(self, seg: Segment) -> None:
        if seg.element(1) == "472" and seg.element(2) == "D8" and self.lines:
            day = dt.datetime.strptime(seg.element(3), "%Y%m%d").date()
            self.lines[-1] = replace(self.lines[-1], date_of_service=day)


def _claims(transaction: Transaction) -> list[ClaimRecord]:
    walk = _Walk()
    for seg in transaction.body:
        walk.segment(seg)
    walk.close_claim()
    return walk.claims
