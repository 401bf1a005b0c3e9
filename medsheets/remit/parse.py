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
from sys import intern
from typing import Any

from medsheets.model import Problem, error
from medsheets.quick_records import maker
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
    ContentDigest,
    SegmentIssue,
    amount,
    date,
    quantity,
    segment_source,
)
from medsheets.x12.grammar import X835, Located
from medsheets.x12.grammar.read import Locator
from medsheets.x12.grammar.schema import HEADER
from medsheets.x12.tree import Segment, Transaction

# One per CAS reason, SVC and CLP of the file: built without the frozen per-field setattr
# (medsheets/quick_records.py), the same records.
_adjustment = maker(Adjustment)
_service_payment = maker(ServicePayment)
_claim_payment = maker(ClaimPayment)


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

    def __init__(self, file: str, st: Segment) -> None:
        self.file = file
        self.st = st
        self.header = _Header()
        self.claims: list[ClaimPayment] = []
        # The open claim and line, as the keyword arguments of their records: updated in place
        # as their segments arrive (cheaper than a new frozen record per segment), then frozen.
        self.claim: dict[str, Any] | None = None
        self.line: dict[str, Any] | None = None
        self.plbs: list[ProviderAdjustment] = []
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.odd_separators: set[str] = set()
        self.digest = ContentDigest()
        self.locator = Locator(X835)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def fail(self, seg: Segment, message: str, code: str = "MS-REMIT-SEGMENT") -> None:
        self.problems.append(error(segment_source(self.file, seg.position), code,
                                   f"{seg.id}: {message}; the payer must send a corrected 835, "
                                   "nothing of this remittance was posted"))

    # composites: some payers write them with '>' while ISA16 declares ':'
    def parts(self, found: Located, name: str) -> tuple[str, ...]:
        return self.parts_at(found.segment, found.number(name))

    def parts_at(self, seg: Segment, number: int) -> tuple[str, ...]:
        """`parts` of element `number` (known from the segment's definition)."""
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

    # The open line's and claim's dicts hold their record's fields in the record's order (see
    # _svc, _clp), so the record is made from the values by position: keyword arguments by
    # the dozen cost about twice as much, for every line and claim of the file.
    def close_line(self) -> None:
        if self.line is not None and self.claim is not None:
            line = self.line
            line["adjustments"], line["remarks"] = tuple(line["adjustments"]), tuple(line["remarks"])
            self.claim["services"].append(_service_payment(*line.values()))
        self.line = None

    def close_claim(self) -> None:
        self.close_line()
        if self.claim is not None:
            claim = self.claim
            claim["adjustments"], claim["services"], claim["remarks"] = (
                tuple(claim["adjustments"]), tuple(claim["services"]), tuple(claim["remarks"]))
            self.claims.append(_claim_payment(*claim.values()))
        self.claim = None


class RemittanceReader:
    """One 835 transaction read segment by segment as the file is split (nothing kept but
    the remittance being built): `add` each segment between ST and SE, then `finish`."""

    def __init__(self, file: str, st: Segment) -> None:
        self.walk = _Walk(file, st)

    def add(self, seg: Segment) -> None:
        walk = self.walk
        walk.digest.add(seg)
        found = walk.locator.place(seg)
        try:
            _HANDLERS.get(seg.id, _ignore)(walk, found)
        except SegmentIssue as issue:
            walk.fail(seg, str(issue))

    def finish(self, control_number: str) -> tuple[Remittance | None, list[Problem]]:
        """The remittance, or None with the errors that refuse it."""
        walk = self.walk
        walk.close_claim()
        for needed, present in (("BPR", walk.header.payment is not None), ("TRN", walk.header.trace)):
            if not present:
                walk.problems.append(error(segment_source(walk.file, walk.st.position),
                                           "MS-REMIT-SEGMENT",
                                           f"the 835 transaction has no {needed} segment; it "
                                           "cannot be posted, ask the payer for a complete 835"))
        if walk.problems:
            return None, walk.problems
        return _remittance(walk, control_number), []


def parse_remittance(transaction: Transaction,
                     file: str) -> tuple[Remittance | None, list[Problem]]:
    """The remittance in one 835 transaction held whole, or None with the errors that refuse it."""
    reader = RemittanceReader(file, transaction.segments[0])
    for seg in transaction.body:
        reader.add(seg)
    return reader.finish(transaction.control_number)


def _remittance(walk: _Walk, control_number: str) -> Remittance:
    h = walk.header
    assert h.payment is not None  # checked by parse_remittance
    if h.bpr16 and h.payment_date is None:
        walk.note("BPR16 (payment date) is not a real date; the production date is used")
    return Remittance(
        file=walk.file, position=walk.st.position, control_number=control_number,
        payment=h.payment, handling=h.handling, method=h.method, payment_date=h.payment_date,
        production_date=h.production_date, trace_number=h.trace,
        payer_key=(h.trn03 or h.payer_id or h.payer_name or "unknown")[:80],
        payer_name=h.payer_name, payer_id=h.payer_id, payee_name=h.payee_name,
        payee_npi=h.payee_npi, content_sha256=walk.digest.hexdigest(),
        bpr_position=h.bpr_position, claims=tuple(walk.claims),
        provider_adjustments=tuple(walk.plbs), warnings=tuple(walk.notes),
    )


def _ignore(walk: _Walk, found: Located) -> None:
    """Segments posting does not need (TS3, TS2, MIA amounts, QTY, PER, RDM, names...)."""


def _money(found: Located, name: str, what: str) -> Decimal:
    """The money element `name` of `found` (see values.amount), named in messages by position."""
    return amount(found.segment, found.number(name), what)


def _bpr(walk: _Walk, found: Located) -> None:
    value = _money(found, "amount", "payment amount")
    if found["credit_debit"] == "D":
        value = -value
    h = walk.header
    h.payment, h.bpr_position = value, found.position
    h.handling, h.method = found["handling"], found["method"]
    h.bpr16, h.payment_date = found["date"], date(found["date"])


def _trn(walk: _Walk, found: Located) -> None:
    if not found["reference"]:
        raise SegmentIssue("TRN02 (the trace number that identifies the payment) is empty")
    walk.header.trace, walk.header.trn03 = found["reference"][:80], found["originator"]


def _dtm(walk: _Walk, found: Located) -> None:
    qualifier, value = found["qualifier"], date(found["date"])
    if found.loop == "2110" and walk.line is not None:
        if qualifier == "472" or (qualifier == "150" and walk.line["service_date"] is None):
            walk.line["service_date"] = value
    elif found.loop == "2100" and walk.claim is not None:
        if qualifier == "232":
            walk.claim["statement_date"] = value
    elif found.loop == HEADER and qualifier == "405":
        walk.header.production_date = value


def _n1(walk: _Walk, found: Located) -> None:
    if found.loop == "1000A":
        walk.header.payer_name = found["name"][:120]
        walk.header.payer_id = found["id"] or walk.header.payer_id
    elif found.loop == "1000B":
        walk.header.payee_name = found["name"][:120]
        if found["id_qualifier"] == "XX":
            walk.header.payee_npi = found["id"]


def _ref(walk: _Walk, found: Located) -> None:
    if found.loop == "2110" and walk.line is not None:
        if found["qualifier"] == "6R":
            walk.line["control_number"] = found["value"]
    elif found.loop == "1000A" and found["qualifier"] == "2U":
        walk.header.payer_id = walk.header.payer_id or found["value"]


def _amt(walk: _Walk, found: Located) -> None:
    if found.loop == "2110" and walk.line is not None and found["qualifier"] == "B6":
        walk.line["allowed"] = _money(found, "amount", "allowed amount")


def _lq(walk: _Walk, found: Located) -> None:
    if found.loop == "2110" and walk.line is not None and found["remark"]:
        walk.line["remarks"].append(found["remark"])


Handler = Callable[[_Walk, Located], None]


def _remark_segment(names: tuple[str, ...]) -> Handler:
    """MOA / MIA: the claim's remark codes (RARC) in the named elements."""

    def handle(walk: _Walk, found: Located) -> None:
        if found.loop == "2100" and walk.claim is not None:
            walk.claim["remarks"].extend(found[name] for name in names if found[name])

    return handle


def _nm1(walk: _Walk, found: Located) -> None:
    if found.loop == "2100" and walk.claim is not None and found["entity"] == "TT":
        walk.claim["forwarded_to"] = found["last_name"][:60]


_NUMBERS: dict[tuple[int, tuple[str, ...]], tuple[int, ...]] = {}  # by definition and names


def _numbers(found: Located, names: tuple[str, ...]) -> tuple[int, ...]:
    """The element numbers of `names` in `found`'s definition, looked up once per definition
    (as `_cas_numbers`): a CLP or SVC per claim and line would otherwise ask for each by name."""
    key = (id(found.definition), names)
    numbers = _NUMBERS.get(key)
    if numbers is None:
        numbers = _NUMBERS[key] = tuple(found.number(name) for name in names)
    return numbers


_CLP_ELEMENTS = ("patient_control_number", "status", "total_charge", "paid",
                 "patient_responsibility", "claim_filing", "payer_claim_number")


def _clp(walk: _Walk, found: Located) -> None:
    walk.close_claim()
    seg = found.segment
    encounter_at, status_at, charge_at, paid_at, owed_at, filing_at, number_at = _numbers(
        found, _CLP_ELEMENTS)
    element = seg.element
    status, encounter_id = element(status_at), element(encounter_at)
    if status not in STATUS_CODES:
        raise SegmentIssue(f"CLP02 claim status '{status}' is not one an 835 may use")
    if not encounter_id:
        raise SegmentIssue("CLP01 (our claim's encounter id) is empty")
    responsibility = element(owed_at).strip()
    walk.claim = {  # ClaimPayment's fields, in its order (close_claim)
        "position": seg.position, "patient_control_number": encounter_id,
        "status": intern(status), "charge": amount(seg, charge_at, "charge"),
        "paid": amount(seg, paid_at, "payment"),
        "patient_responsibility": (amount(seg, owed_at, "patient responsibility")
                                   if responsibility else None),
        "filing_indicator": intern(element(filing_at)),
        "payer_claim_number": element(number_at)[:50],
        "adjustments": [], "services": [], "remarks": [], "forwarded_to": "",
        "statement_date": None,
    }


# CAS's reason/amount/quantity triples by their element names, and PLB's reason/amount pairs
_CAS_TRIPLES = tuple((f"reason{n}", f"amount{n}", f"quantity{n}") for n in range(1, 7))
_PLB_PAIRS = tuple((f"reason{n}", f"amount{n}") for n in range(1, 7))
_CAS_NUMBERS: dict[int, tuple[tuple[int, int, int], ...]] = {}  # by id of the CAS definition


def _cas_numbers(found: Located) -> tuple[tuple[int, int, int], ...]:
    """The element numbers of a CAS's reason/amount/quantity triples, looked up by name once
    per definition (the grammar's definitions live as long as the process), not per segment."""
    key = id(found.definition)
    numbers = _CAS_NUMBERS.get(key)
    if numbers is None:
        numbers = _CAS_NUMBERS[key] = tuple(
            (found.number(r), found.number(a), found.number(q)) for r, a, q in _CAS_TRIPLES)
    return numbers


def _cas(walk: _Walk, found: Located) -> None:
    group = found["group"]
    if group not in ADJUSTMENT_GROUPS:
        raise SegmentIssue(f"CAS01 group '{group}' is not CO, OA, PI or PR")
    adjustments = []
    seg = found.segment
    elements = seg.elements
    for reason_at, amount_at, quantity_at in _cas_numbers(found):
        if reason_at > len(elements):
            break  # the triples after the last element sent are empty too
        reason = elements[reason_at - 1]
        if not reason:
            continue
        value = amount(seg, amount_at, f"amount for reason {reason}")
        # a quantity is rare: most CAS end at the amount, and an absent one is None
        count = quantity(seg, quantity_at) if quantity_at <= len(elements) else None
        adjustments.append(_adjustment(intern(group), intern(reason[:5]), value, found.position,
                                       count))
    if not adjustments:
        raise SegmentIssue("CAS has a group but no reason code")
    if found.loop == "2110" and walk.line is not None:
        walk.line["adjustments"].extend(adjustments)
    elif found.loop == "2100" and walk.claim is not None:
        walk.claim["adjustments"].extend(adjustments)
    else:
        raise SegmentIssue("CAS outside a claim")


_SVC_ELEMENTS = ("procedure", "original_procedure", "charge", "paid", "units")


def _svc(walk: _Walk, found: Located) -> None:
    if walk.claim is None:
        raise SegmentIssue("SVC outside a claim (no CLP before it)")
    walk.close_line()
    seg = found.segment
    billed_at, original_at, charge_at, paid_at, units_at = _numbers(found, _SVC_ELEMENTS)
    billed = walk.parts_at(seg, billed_at)
    original = walk.parts_at(seg, original_at)
    walk.line = {  # ServicePayment's fields, in its order (close_line)
        "position": seg.position, "qualifier": intern(billed[0]) if billed else "",
        "code": intern(billed[1]) if len(billed) > 1 else "",
        "modifiers": tuple(intern(m) for m in billed[2:6] if m),
        "charge": amount(seg, charge_at, "line charge"),
        "paid": amount(seg, paid_at, "line payment"),
        "units": quantity(seg, units_at),
        "original_code": original[1] if len(original) > 1 else "",
        "original_modifiers": tuple(m for m in original[2:6] if m), "service_date": None,
        "control_number": "", "allowed": None, "adjustments": [], "remarks": [],
    }


def _plb(walk: _Walk, found: Located) -> None:
    walk.close_claim()
    fiscal = date(found["fiscal_period_end"])
    for reason_name, amount_name in _PLB_PAIRS:
        if not found[reason_name]:
            continue
        reason, *rest = walk.parts(found, reason_name)
        value = _money(found, amount_name, f"amount for {reason}")
        reference = (rest[0] if rest else "")[:80]
        walk.plbs.append(ProviderAdjustment(found.position, reason[:2], reference, value, fiscal))


def _lx(walk: _Walk, found: Located) -> None:
    walk.close_claim()


_HANDLERS: dict[str, Handler] = {
    "BPR": _bpr, "TRN": _trn, "DTM": _dtm, "N1": _n1, "REF": _ref, "AMT": _amt, "LQ": _lq,
    "MOA": _remark_segment(("remark1", "remark2", "remark3", "remark4", "remark5")),
    "MIA": _remark_segment(("remark1", "remark2", "remark3", "remark4", "remark5")),
    "NM1": _nm1, "CLP": _clp, "CAS": _cas, "SVC": _svc, "PLB": _plb, "LX": _lx,
}
