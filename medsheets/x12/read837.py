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
from medsheets.x12.grammar import X837P, Located, locate
from medsheets.x12.tree import Transaction
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
    """The state while walking one transaction's segments, each with its loop
    (grammar/x837p.py): the subscriber level read so far, the claim and its lines."""

    def __init__(self) -> None:
        super().__init__()
        self.subscriber: dict[str, object] = {}

    def _hl(self, found: Located) -> None:
        self.close_claim()
        if found.loop == "2000B":
            self.subscriber = {"relationship": ""}

    def _sbr(self, found: Located) -> None:
        if found.loop == "2000B":  # 2320 is another payer's subscriber (COB)
            self.subscriber["relationship"] = found["relationship"]
            self.subscriber["filing"] = found["claim_filing"]

    def _pat(self, found: Located) -> None:
        self.subscriber["relationship"] = found["relationship"]

    def _nm1(self, found: Located) -> None:
        name, npi = (found["last_name"], found["first_name"]), found["id"]
        if found.loop == "2010BA":
            self.subscriber.update(subscriber=name, member=npi)
            if self.subscriber.get("relationship") == "18":
                self.subscriber["patient"] = name
        elif found.loop == "2010CA":
            self.subscriber["patient"] = name
        elif found.loop == "2010BB":
            self.subscriber.update(payer_id=npi, payer_name=found["last_name"])
        elif found.loop == "2310A" and self.claim is not None:
            self.claim = replace(self.claim, referring_npi=npi)
        elif found.loop == "2420A" and self.lines:
            self.lines[-1] = replace(self.lines[-1], rendering_npi=npi)
        elif found.loop == "2310B" and self.claim is not None:
            self.claim = replace(self.claim, rendering_npi=npi)

    def _clm(self, found: Located) -> None:
        self.close_claim()
        s = self.subscriber
        facility = found.parts("facility")
        self.claim = ClaimRecord(
            claim_id=found["claim_id"], total=Decimal(found["total_charge"]),
            place_of_service=facility[0] if facility else "",
            payer_id=str(s.get("payer_id", "")), payer_name=str(s.get("payer_name", "")),
            claim_filing=str(s.get("filing", "")), member_id=str(s.get("member", "")),
            relationship=str(s.get("relationship", "")),
            subscriber_name=s.get("subscriber", ("", "")),  # type: ignore[arg-type]
            patient_name=s.get("patient", ("", "")),  # type: ignore[arg-type]
            diagnoses=(),
        )

    def _amt(self, found: Located) -> None:
        if found.loop == "2300" and self.claim is not None and found["qualifier"] == "F5":
            self.claim = replace(self.claim, patient_paid=Decimal(found["amount"]))

    def _hi(self, found: Located) -> None:
        if self.claim is not None:
            codes = tuple(found.component(f"diagnosis{n}", "code")
                          for n in range(1, len(found.segment.elements) + 1))
            self.claim = replace(self.claim, diagnoses=self.claim.diagnoses + codes)

    def _ref(self, found: Located) -> None:
        if found.loop == "2300" and found["qualifier"] == "G1" and self.claim is not None:
            self.claim = replace(self.claim, prior_auth=found["value"])
        elif found.loop == "2400" and found["qualifier"] == "6R" and self.lines:
            self.lines[-1] = replace(self.lines[-1], control_number=found["value"])

    def _lx(self, found: Located) -> None:
        self.lines.append(ClaimLineRecord(int(found["number"]), "", (), Decimal(0), 0, "", ()))

    def _sv1(self, found: Located) -> None:
        code = found.parts("procedure")
        self.lines[-1] = replace(
            self.lines[-1], procedure_code=code[1], modifiers=tuple(code[2:]),
            charge=Decimal(found["charge"]), units=int(Decimal(found["units"])),
            place_of_service=found["place_of_service"],
            pointers=tuple(int(p) for p in found.parts("pointers")),
        )

    def _dtp(self, found: Located) -> None:
        if found.loop == "2400" and found["qualifier"] == "472" and found["format"] == "D8" and self.lines:
            day = dt.datetime.strptime(found["value"], "%Y%m%d").date()
            self.lines[-1] = replace(self.lines[-1], date_of_service=day)


def _claims(transaction: Transaction) -> list[ClaimRecord]:
    walk = _Walk()
    for found in locate(X837P, transaction.body):
        walk.segment(found)
    walk.close_claim()
    return walk.claims
