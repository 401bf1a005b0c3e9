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
from medsheets.x12.grammar import X277, X277CA, Located, locate
from medsheets.x12.grammar.schema import TransactionDef
from medsheets.x12.tree import Transaction
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
    free_text: str = ""  # STC12: the clearinghouse's or payer's own words


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
    free_text: str = ""  # STC12 of the claim's statuses, joined
    patient_account: str = ""  # REF*EJ (277 claim status): our encounter id as the payer has it

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
    """State while the 277CA's segments stream past, each with its loop (grammar/x277ca.py):
    the header values, the claim (2200D) and its lines (2220D)."""

    def __init__(self, claim_loops: frozenset[str], line_loops: frozenset[str]) -> None:
        super().__init__()
        self.claim_loops, self.line_loops = claim_loops, line_loops
        self.header: dict[str, object] = {"batch_statuses": ()}

    def _hl(self, found: Located) -> None:
        self.close_claim()

    def _nm1(self, found: Located) -> None:
        if found.loop == "2100A":
            self.header.update(source_kind=found["entity"], source_id=found["id"])

    def _trn(self, found: Located) -> None:
        if found.loop == "2200B":
            self.header["batch_reference"] = found["reference"]
        elif found.loop in self.claim_loops:
            self.close_claim()
            self.claim = ClaimAck(found["reference"])

    def _stc(self, found: Located) -> None:
        statuses = statuses_of(found)
        text = found["message"].strip()
        if found.loop == "2200B":
            self.header["batch_statuses"] += statuses  # type: ignore[operator]
        elif self.claim is not None and found.loop in self.line_loops and self.lines:
            self.lines[-1] = replace(self.lines[-1], statuses=self.lines[-1].statuses + statuses,
                                     free_text=_join(self.lines[-1].free_text, text))
        elif self.claim is not None and found.loop in self.claim_loops:
            self.claim = replace(
                self.claim, statuses=self.claim.statuses + statuses,
                free_text=_join(self.claim.free_text, text),
                effective_date=self.claim.effective_date or parse_date(found["date"]),
                charge=self.claim.charge if self.claim.charge is not None else _money(found["charge"]),
            )

    def _ref(self, found: Located) -> None:
        qualifier, value = found["qualifier"], found["value"]
        if self.claim is None:
            return
        if found.loop in self.line_loops and self.lines and qualifier == "FJ":
            self.lines[-1] = replace(self.lines[-1], control_number=value)
        elif found.loop in self.claim_loops and qualifier == "1K":
            self.claim = replace(self.claim, payer_claim_number=value)
        elif found.loop in self.claim_loops and qualifier == "D9":
            self.claim = replace(self.claim, clearinghouse_number=value)
        elif found.loop in self.claim_loops and qualifier == "EJ":
            self.claim = replace(self.claim, patient_account=value)

    def _dtp(self, found: Located) -> None:
        # 2200A, or the source's level when the sender left out the 2200A TRN
        if found.loop in ("2100A", "2200A") and found["qualifier"] == "050":
            self.header["receipt_date"] = parse_date(found["value"])

    def _svc(self, found: Located) -> None:
        if self.claim is not None and found.loop in self.line_loops:
            code = found.parts("procedure")
            self.lines.append(LineAck(code[1] if len(code) > 1 else "", _money(found["charge"])))


def statuses_of(found: Located) -> tuple[Status, ...]:
    """The statuses of one STC: STC01, then STC10 and STC11 when present."""
    result = []
    for name in ("status", "status2", "status3"):
        parts = found.parts(name)
        if len(parts) >= 2 and parts[0]:
            result.append(Status(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return tuple(result)


def read_277ca(transaction: Transaction) -> StatusReport:
    """The StatusReport of one 277CA transaction (claims in 2200D, lines in 2220D)."""
    return _read(transaction, X277CA, frozenset({"2200D"}), frozenset({"2220D"}))


def read_277_status(transaction: Transaction) -> StatusReport:
    """The StatusReport of one 277 claim-status response (005010X212): each claim follows the
    subscriber (2200D) or the dependent (2200E), its TRN02 the trace of our 276 (our encounter
    id); lines in 2220D/2220E."""
    return _read(transaction, X277, frozenset({"2200D", "2200E"}), frozenset({"2220D", "2220E"}))


def _join(before: str, text: str) -> str:
    return f"{before} / {text}" if before and text else before or text


def _read(transaction: Transaction, grammar: TransactionDef, claim_loops: frozenset[str],
          line_loops: frozenset[str]) -> StatusReport:
    walk = _Walk(claim_loops, line_loops)
    for found in locate(grammar, transaction.body):
        walk.segment(found)
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
