"""Interpret one 835 transaction (ST..SE) as a `Remittance`, or say which segment is wrong.

The X12 reader (medsheets/x12/reader.py) has already split the file with the delimiters its
ISA declares and checked every envelope count; this module only gives the 835's segments their
meaning: BPR (the payment), TRN (its trace number), N1 (payer and payee), CLP (a claim), CAS
(adjustments), SVC (a service line), REF/DTM/AMT/LQ (line details), PLB (provider level).

Segments it has no use for (TS3, MIA amounts, QTY, NM1 names...) are passed over: posting must
not depend on them, and patient names are deliberately never read. A value posting depends on
that cannot be read (an amount that is not a number) is an error naming the segment, and the
whole transaction is then refused: a remittance is posted completely or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from medsheets.model import Problem, error
from medsheets.remit.records import (
    ADJUSTMENT_GROUPS,
    STATUS_CODES,
    Adjustment,
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)
from medsheets.remit.values import (
    SegmentIssue,
    amount,
    content_sha256,
    date,
    quantity,
    segment_source,
)
from medsheets.x12.tree import Segment, Transaction


@dataclass
class _Header:
    """What the segments before the first claim say (and PLB's position after the last)."""

    payment: Decimal | None = None
    bpr_position: int = 0
    handling: str = ""
    method: str = ""
    bpr16: str = ""
    payment_date: dt.date | None = None
    production_date: dt.date | None = None
    trace: str = ""
    trn03: str = ""
    payer_name: str = ""
    payer_id: str = ""
    payee_name: str = ""
    payee_npi: str = ""


class _Walk:
    """The state while reading one transaction: header values, the open claim and line."""

    def __init__(self, file: str, transaction: Transaction) -> None:
        self.file = file
        self.transaction = transaction
        self.header = _Header()
        self.party = ""  # N101 of the last N1: PR payer, PE payee
        self.claims: list[ClaimPayment] = []
        # The open claim and line, as the keyword arguments of their records: updated in place
        # as their segments arrive (cheaper than a new frozen record per segment), then frozen.
        self.claim: dict[str, Any] | None = None
        self.line: dict[str, Any] | None = None
        self.plbs: list[ProviderAdjustment] = []
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.odd_separators: set[str] = set()

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def fail(self, seg: Segment, message: str, code: str = "MS-REMIT-SEGMENT") -> None:
        self.problems.append(error(segment_source(self.file, seg.position), code,
                                   f"{seg.id}: {message}; the payer must send a corrected 835, "
                                   "nothing of this remittance was posted"))

    # composites: some payers write them with '>' while ISA16 declares ':'
    def parts(self, seg: Segment, number: int) -> tuple[str, ...]:
        value = seg.element(number)
        declared = seg.delimiters.component
        if declared in value or len(value) <= 2 or value[2].isalnum():
            return tuple(value.split(declared)) if value else ()
        if value[2] not in self.odd_separators:
            self.odd_separators.add(value[2])
            self.note(f"composites such as {seg.id}{number:02d} at segment {seg.position} separate "
                      f"their parts with '{value[2]}' although the ISA declares '{declared}'; "
                      f"read with '{value[2]}'")
        return tuple(value.split(value[2]))

    def close_line(self) -> None:
        if self.line is not None and self.claim is not None:
            line = self.line
            self.claim["services"].append(ServicePayment(**{
                **line, "adjustments": tuple(line["adjustments"]),
                "remarks": tuple(line["remarks"])}))
        self.line = None

    def close_claim(self) -> None:
        self.close_line()
        if self.claim is not None:
            claim = self.claim
            self.claims.append(ClaimPayment(**{
                **claim, "adjustments": tuple(claim["adjustments"]),
                "services": tuple(claim["services"]), "remarks": tuple(claim["remarks"])}))
        self.claim = None


def parse_remittance(transaction: Transaction,
                     file: str) -> tuple[Remittance | None, list[Problem]]:
    """The remittance in one 835 transaction, or None with the errors that refuse it."""
    walk = _Walk(file, transaction)
    for seg in transaction.body:
        try:
            _HANDLERS.get(seg.id, _ignore)(walk, seg)
        except SegmentIssue as issue:
            walk.fail(seg, str(issue))
    walk.close_claim()
    st = transaction.segments[0]
    for needed, present in (("BPR", walk.header.payment is not None), ("TRN", walk.header.trace)):
        if not present:
            walk.problems.append(error(segment_source(file, st.position), "MS-REMIT-SEGMENT",
                                       f"the 835 transaction has no {needed} segment; it cannot "
                                       "be posted, ask the payer for a complete 835"))
    if walk.problems:
        return None, walk.problems
    return _remittance(walk, st), []


def _remittance(walk: _Walk, st: Segment) -> Remittance:
    h = walk.header
    assert h.payment is not None  # checked by parse_remittance
    if h.bpr16 and h.payment_date is None:
        walk.note("BPR16 (payment date) is not a real date; the production date is used")
    return Remittance(
        file=walk.file, position=st.position, control_number=walk.transaction.control_number,
        payment=h.payment, handling=h.handling, method=h.method, payment_date=h.payment_date,
        production_date=h.production_date, trace_number=h.trace,
        payer_key=(h.trn03 or h.payer_id or h.payer_name or "unknown")[:80],
        payer_name=h.payer_name, payer_id=h.payer_id, payee_name=h.payee_name,
        payee_npi=h.payee_npi, content_sha256=content_sha256(walk.transaction),
        bpr_position=h.bpr_position, claims=tuple(walk.claims),
        provider_adjustments=tuple(walk.plbs), warnings=tuple(walk.notes),
    )


def _ignore(walk: _Walk, seg: Segment) -> None:
    """Segments posting does not need (TS3, TS2, MIA amounts, QTY, PER, RDM, names...)."""


def _bpr(walk: _Walk, seg: Segment) -> None:
    value = amount(seg, 2, "payment amount")
    if seg.element(3) == "D":
        value = -value
    h = walk.header
    h.payment, h.bpr_position = value, seg.position
    h.handling, h.method = seg.element(1), seg.element(4)
    h.bpr16, h.payment_date = seg.element(16), date(seg.element(16))


def _trn(walk: _Walk, seg: Segment) -> None:
    if not seg.element(2):
        raise SegmentIssue("TRN02 (the trace number that identifies the payment) is empty")
    walk.header.trace, walk.header.trn03 = seg.element(2)[:80], seg.element(3)


def _dtm(walk: _Walk, seg: Segment) -> None:
    qualifier, value = seg.element(1), date(seg.element(2))
    if walk.line is not None:
        if qualifier == "472" or (qualifier == "150" and walk.line["service_date"] is None):
            walk.line["service_date"] = value
    elif walk.claim is not None:
        if qualifier == "232":
            walk.claim["statement_date"] = value
    elif qualifier == "405":
        walk.header.production_date = value


def _n1(walk: _Walk, seg: Segment) -> None:
    walk.party = seg.element(1)
    if walk.party == "PR":
        walk.header.payer_name = seg.element(2)[:120]
        walk.header.payer_id = seg.element(4) or walk.header.payer_id
    elif walk.party == "PE":
        walk.header.payee_name = seg.element(2)[:120]
        if seg.element(3) == "XX":
            walk.header.payee_npi = seg.element(4)


def _ref(walk: _Walk, seg: Segment) -> None:
    if walk.line is not None:
        if seg.element(1) == "6R":
            walk.line["control_number"] = seg.element(2)
    elif walk.claim is None and walk.party == "PR" and seg.element(1) == "2U":
        walk.header.payer_id = walk.header.payer_id or seg.element(2)


def _amt(walk: _Walk, seg: Segment) -> None:
    if walk.line is not None and seg.element(1) == "B6":
        walk.line["allowed"] = amount(seg, 2, "allowed amount")


def _lq(walk: _Walk, seg: Segment) -> None:
    if walk.line is not None and seg.element(2):
        walk.line["remarks"].append(seg.element(2))


Handler = Callable[[_Walk, Segment], None]


def _remark_segment(numbers: tuple[int, ...]) -> Handler:
    """MOA / MIA: the claim's remark codes (RARC) in the given elements."""

    def handle(walk: _Walk, seg: Segment) -> None:
        if walk.claim is not None:
            walk.claim["remarks"].extend(seg.element(n) for n in numbers if seg.element(n))

    return handle


def _nm1(walk: _Walk, seg: Segment) -> None:
    if walk.claim is not None and walk.line is None and seg.element(1) == "TT":
        walk.claim["forwarded_to"] = seg.element(3)[:60]


def _clp(walk: _Walk, seg: Segment) -> None:
    walk.close_claim()
    status = seg.element(2)
    if status not in STATUS_CODES:
        raise SegmentIssue(f"CLP02 claim status '{status}' is not one an 835 may use")
    if not seg.element(1):
        raise SegmentIssue("CLP01 (our claim's encounter id) is empty")
    responsibility = seg.element(5).strip()
    walk.claim = {
        "position": seg.position, "patient_control_number": seg.element(1), "status": status,
        "charge": amount(seg, 3, "charge"), "paid": amount(seg, 4, "payment"),
        "patient_responsibility": (amount(seg, 5, "patient responsibility")
                                   if responsibility else None),
        "filing_indicator": seg.element(6), "payer_claim_number": seg.element(7)[:50],
        "adjustments": [], "services": [], "remarks": [], "forwarded_to": "",
        "statement_date": None,
    }


def _cas(walk: _Walk, seg: Segment) -> None:
    group = seg.element(1)
    if group not in ADJUSTMENT_GROUPS:
        raise SegmentIssue(f"CAS01 group '{group}' is not CO, OA, PI or PR")
    found = []
    for first in range(2, 20, 3):
        reason = seg.element(first)
        if not reason:
            continue
        value = amount(seg, first + 1, f"amount for reason {reason}")
        found.append(Adjustment(group, reason[:5], value, seg.position, quantity(seg, first + 2)))
    if not found:
        raise SegmentIssue("CAS has a group but no reason code")
    if walk.line is not None:
        walk.line["adjustments"].extend(found)
    elif walk.claim is not None:
        walk.claim["adjustments"].extend(found)
    else:
        raise SegmentIssue("CAS outside a claim")


def _svc(walk: _Walk, seg: Segment) -> None:
    if walk.claim is None:
        raise SegmentIssue("SVC outside a claim (no CLP before it)")
    walk.close_line()
    billed = walk.parts(seg, 1)
    original = walk.parts(seg, 6)
    units = quantity(seg, 5)
    walk.line = {
        "position": seg.position, "qualifier": billed[0] if billed else "",
        "code": billed[1] if len(billed) > 1 else "",
        "modifiers": tuple(m for m in billed[2:6] if m),
        "charge": amount(seg, 2, "line charge"), "paid": amount(seg, 3, "line payment"),
        "units": units, "original_code": original[1] if len(original) > 1 else "",
        "original_modifiers": tuple(m for m in original[2:6] if m), "service_date": None,
        "control_number": "", "allowed": None, "adjustments": [], "remarks": [],
    }


def _plb(walk: _Walk, seg: Segment) -> None:
    walk.close_claim()
    fiscal = date(seg.element(2))
    for first in range(3, 15, 2):
        if not seg.element(first):
            continue
        reason, *rest = walk.parts(seg, first)
        value = amount(seg, first + 1, f"amount for {reason}")
        reference = (rest[0] if rest else "")[:80]
        walk.plbs.append(ProviderAdjustment(seg.position, reason[:2], reference, value, fiscal))


def _lx(walk: _Walk, seg: Segment) -> None:
    walk.close_claim()


_HANDLERS: dict[str, Handler] = {
    "BPR": _bpr, "TRN": _trn, "DTM": _dtm, "N1": _n1, "REF": _ref, "AMT": _amt, "LQ": _lq,
    "MOA": _remark_segment((3, 4, 5, 6, 7)), "MIA": _remark_segment((5, 20, 21, 22, 23, 24)),
    "NM1": _nm1, "CLP": _clp, "CAS": _cas, "SVC": _svc, "PLB": _plb, "LX": _lx,
}
