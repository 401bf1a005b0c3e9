"""The 999 implementation acknowledgment (005010X231A1) read into plain records.

A 999 answers one of our 837 functional groups (AK1, by its GS06) and says, transaction set by
transaction set (AK2, by its ST02), whether the clearinghouse could read it (IK5), pointing at
the segment (IK3) and element (IK4) at fault. It says nothing about whether a payer will pay:
that is the 277CA's and the 835's business.

The copy of the bad data (IK404) is deliberately not kept: it may be a patient's name or ID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from medsheets.x12.grammar import X999, Located, locate
from medsheets.x12.tree import Interchange, Transaction

# IK501 / AK901 codes that mean the set (or group) was not accepted. E and W are accepted with
# notes; A accepted; P (AK9 only) some sets accepted, see each AK2.
REJECTING = frozenset({"R", "M", "X"})


@dataclass(frozen=True, slots=True)
class ElementError:
    """An IK4: element (and component) position in the segment, its data element number, the
    error code (IK403)."""

    position: str  # IK401 as "5" or "5:3" (component 3 of element 5)
    reference: str  # IK402, e.g. "1331"
    code: str  # IK403


@dataclass(frozen=True, slots=True)
class SegmentError:
    """An IK3: the segment at fault, its position in the transaction (ST = 1), its loop, the
    error code (IK304), the claim named by a business-unit CTX (CLM01), and its IK4s."""

    segment_id: str
    position: int | None
    loop: str
    code: str
    claim_id: str = ""  # CTX*CLM01:<our encounter id>, when the clearinghouse gives it
    elements: tuple[ElementError, ...] = ()


@dataclass(frozen=True, slots=True)
class SetAck:
    """An AK2..IK5: one of our transaction sets (type and ST02) and what was said about it."""

    transaction_type: str  # AK201, "837"
    control_number: str  # AK202: our ST02
    code: str  # IK501: A, E, R, M, W, X
    set_errors: tuple[str, ...] = ()  # IK502..IK506
    errors: tuple[SegmentError, ...] = ()

    @property
    def rejected(self) -> bool:
        return self.code in REJECTING


@dataclass(frozen=True, slots=True)
class GroupAck:
    """One 999 transaction: the functional group it answers (AK1) and every set's answer."""

    functional_id: str  # AK101, "HC" for claims
    group_control: str  # AK102: our GS06
    version: str  # AK103
    code: str  # AK901: A, E, P, R, M, W, X
    received: int | None  # AK903
    accepted: int | None  # AK904
    group_errors: tuple[str, ...]  # AK905..AK909
    sets: tuple[SetAck, ...]
    date: dt.date | None  # the 999's ISA09: the day the clearinghouse answered
    control_number: str = ""  # the 999's own ST02

    @property
    def rejected(self) -> bool:
        return self.code in REJECTING


def read_999(interchange: Interchange, transaction: Transaction) -> GroupAck:
    """The GroupAck of one 999 transaction of `interchange`, read loop by loop (grammar/x999.py)."""
    ak1 = ak9 = None
    sets: list[SetAck] = []
    ak2: Located | None = None
    errors: list[SegmentError] = []
    for found in locate(X999, transaction.body):
        if found.id == "AK1" and ak1 is None:
            ak1 = found
        elif found.id == "AK9" and ak9 is None:
            ak9 = found
        elif found.id == "AK2":
            ak2, errors = found, []
        elif found.id == "IK3":
            errors.append(SegmentError(found["segment_id"], _number(found["position"]), found["loop"],
                                       found["error_code"]))
        elif found.id == "CTX" and errors and found.component("context", "name") == "CLM01":
            errors[-1] = replace(errors[-1], claim_id=found.component("context", "reference"))
        elif found.id == "IK4" and errors:
            element = ElementError(":".join(found.parts("position")), found["reference"],
                                   found["error_code"])
            errors[-1] = replace(errors[-1], elements=errors[-1].elements + (element,))
        elif found.id == "IK5" and ak2 is not None:
            codes = tuple(found[f"error{n}"] for n in range(1, 6) if found[f"error{n}"])
            sets.append(SetAck(ak2["transaction_type"], ak2["control_number"], found["code"], codes,
                               tuple(errors)))
            ak2, errors = None, []
    return GroupAck(
        functional_id=ak1["functional_id"] if ak1 else "",
        group_control=ak1["group_control_number"] if ak1 else "",
        version=ak1["version"] if ak1 else "",
        code=ak9["code"] if ak9 else "",
        received=_number(ak9["received"]) if ak9 else None,
        accepted=_number(ak9["accepted"]) if ak9 else None,
        group_errors=tuple(ak9[f"error{n}"] for n in range(1, 6) if ak9 and ak9[f"error{n}"]),
        sets=tuple(sets),
        date=interchange_date(interchange),
        control_number=transaction.control_number,
    )


def interchange_date(interchange: Interchange) -> dt.date | None:
    """The day the interchange was sent (ISA09, YYMMDD), if readable."""
    return parse_date("20" + interchange.date) if len(interchange.date) == 6 else None


def parse_date(text: str) -> dt.date | None:
    """A CCYYMMDD date, or None when absent or not a date."""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date() if len(text) == 8 else None
    except ValueError:
        return None


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None
