"""The 277CA claim acknowledgment (005010X214) read into plain records.

After a file passes the 999, the clearinghouse (or the payer's front end) checks each claim and
answers claim by claim: a 2200D loop per claim, identified by our patient control number (TRN02,
our encounter_id), with one or more STC statuses, and maybe the payer's claim number (REF*1K).
The STC category says what happened (A1/A2 accepted, A3/A4/A6/A7/A8 rejected); the status code
and entity say why and about whom. Service lines (2220D) may carry their own statuses.

Patient names (NM1*QC) are read past, never kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from medsheets.acks.ack999 import parse_date
from medsheets.x12.tree import Segment, Transaction
from medsheets.x12.walk import ClaimWalk

ACCEPTING = frozenset({"A1", "A2"})
REJECTING = frozenset({"A3", "A4", "A6", "A7", "A8"})


@dataclass(frozen=True, slots=True)
class Status:
    """One STC01 / STC10 / STC11 composite: category, status code, entity (may be blank)."""

    category: str
    code: str
    entity: str = ""

    @property
    def token(self) -> str:
        """How the ledger writes it in claim_events.reason_codes: A7-562-85."""
        return "-".join(part for part in (self.category, self.code, self.entity) if part)


@dataclass(frozen=True, slots=True)
class LineAck:
    """A 2220D service line: procedure, charge, our line control number (REF*FJ), statuses."""

    procedure_code: str
    charge: Decimal | None
    control_number: str = ""
    statuses: tuple[Status, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimAck:
    """A 2200D claim: our encounter id, its statuses, the date they took effect, the total
    charge the clearinghouse saw, the payer's and the clearinghouse's claim numbers, lines."""

    patient_control_number: str
    statuses: tuple[Status, ...] = ()
    effective_date: dt.date | None = None
    charge: Decimal | None = None
    payer_claim_number: str = ""
    clearinghouse_number: str = ""
    lines: tuple[LineAck, ...] = ()

    @property
    def all_statuses(self) -> tuple[Status, ...]:
        return self.statuses + tuple(s for line in self.lines for s in line.statuses)

    @property
    def outcome(self) -> str:
        """"rejected" if any status rejects, else "accepted" if one accepts, else "other"."""
        categories = {s.category for s in self.all_statuses}
        if categories & REJECTING:
            return "rejected"
        if categories & ACCEPTING:
            return "accepted"
        return "other"


@dataclass(frozen=True, slots=True)
class StatusReport:
    """One 277CA transaction: who answers (2100A), for which of our batches (2200B TRN02, our
    BHT03), the batch-level statuses, and every claim."""

    source_id: str
    source_kind: str  # NM101 of 2100A: PR payer, AY clearinghouse
    batch_reference: str
    receipt_date: dt.date | None
    batch_statuses: tuple[Status, ...]
    claims: tuple[ClaimAck, ...]
    control_number: str = ""


class _Walk(ClaimWalk[ClaimAck, LineAck]):
    """Loop state while the 277CA's segments stream past: the HL level, the claim, the line."""

    def __init__(self) -> None:
        super().__init__()
        self.level = ""
        self.header: dict[str, object] = {"batch_statuses": ()}

    def _hl(self, seg: Segment) -> None:
        self.close_claim()
        self.level = seg.element(3)

    def _nm1(self, seg: Segment) -> None:
        if self.level == "20":
            self.header.update(source_kind=seg.element(1), source_id=seg.element(9))

    def _trn(self, seg: Segment) -> None:
        if self.level == "21":
            self.header["batch_reference"] = seg.element(2)
        elif self.level == "PT":
            self.close_claim()
            self.claim = ClaimAck(seg.element(2))

    def _stc(self, seg: Segment) -> None:
        statuses = statuses_of(seg)
        if self.level == "21":
            self.header["batch_statuses"] += statuses  # type: ignore[operator]
        elif self.claim is not None and self.lines:
            self.lines[-1] = replace(self.lines[-1], statuses=self.lines[-1].statuses + statuses)
        elif self.claim is not None:
            self.claim = replace(
                self.claim, statuses=self.claim.statuses + statuses,
                effective_date=self.claim.effective_date or parse_date(seg.element(2)),
                charge=self.claim.charge if self.claim.charge is not None else _money(seg.element(4)),
            )

    def _ref(self, seg: Segment) -> None:
        qualifier, value = seg.element(1), seg.element(2)
        if self.claim is None:
            return
        if self.lines and qualifier == "FJ":
            self.lines[-1] = replace(self.lines[-1], control_number=value)
        elif not self.lines and qualifier == "1K":
            self.claim = replace(self.claim, payer_claim_number=value)
        elif not self.lines and qualifier == "D9":
            self.claim = replace(self.claim, clearinghouse_number=value)

    def _dtp(self, seg: Segment) -> None:
        if self.level == "20" and seg.element(1) == "050":
            self.header["receipt_date"] = parse_date(seg.element(3))

    def _svc(self, seg: Segment) -> None:
        if self.claim is not None:
            code = seg.components(1)
            self.lines.append(LineAck(code[1] if len(code) > 1 else "", _money(seg.element(2))))


def statuses_of(seg: Segment) -> tuple[Status, ...]:
    """The statuses of one STC: STC01, then STC10 and STC11 when present."""
    found = []
    for number in (1, 10, 11):
        parts = seg.components(number)
        if len(parts) >= 2 and parts[0]:
            found.append(Status(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return tuple(found)


def read_277ca(transaction: Transaction) -> StatusReport:
    """The StatusReport of one 277CA transaction."""
    walk = _Walk()
    for seg in transaction.body:
        walk.segment(seg)
    walk.close_claim()
    header = walk.header
    return StatusReport(
        source_id=str(header.get("source_id", "")),
        source_kind=str(header.get("source_kind", "")),
        batch_reference=str(header.get("batch_reference", "")),
        receipt_date=header.get("receipt_date"),  # type: ignore[arg-type]
        batch_statuses=header["batch_statuses"],  # type: ignore[arg-type]
        claims=tuple(walk.claims),
        control_number=transaction.control_number,
    )


def _money(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None
