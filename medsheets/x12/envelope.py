"""The ISA/GS/ST envelope around transactions medsheets writes, and its trailers.

Clearinghouses reject a batch for envelope faults before reading a single claim: an ISA that
is not fixed-width, counts that do not add up, a control number reused. Everything variable
comes in from the caller (the time as `now`, the control numbers from the ledger), so the same
input always gives the same bytes and a test can compare them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from medsheets.identifiers import id_problem
from medsheets.x12.compose import COMPONENT, ELEMENT, REPETITION, Element, serialize
from medsheets.x12.grammar.build import checked
from medsheets.x12.grammar.envelope import ENVELOPE
from medsheets.x12.grammar.schema import HEADER

MAX_CONTROL = 999_999_999  # ISA13, GS06 and ST02 hold at most 9 digits


@dataclass(frozen=True, slots=True)
class ControlNumbers:
    """Control numbers for one interchange: ISA13/IEA02, GS06/GE02, and the first ST02.

    Transactions are numbered first_transaction, first_transaction + 1, ... The ledger hands
    these out so that no number is reused within the window a clearinghouse checks.
    """

    interchange: int
    group: int
    first_transaction: int

    def __post_init__(self) -> None:
        for name in ("interchange", "group", "first_transaction"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONTROL:
                raise ValueError(f"control number {name} must be a whole number 1..{MAX_CONTROL}")


@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    """Who sends, who receives, and what kind of transactions the interchange carries."""

    sender_id: str  # ISA06 and GS02
    receiver_id: str  # ISA08 and GS03
    usage: str  # ISA15: T test, P production
    functional_id: str  # GS01: HC for claims
    transaction_type: str  # ST01: 837
    version: str  # GS08 and ST03: 005010X222A1
    sender_qualifier: str = "ZZ"  # ISA05: mutually defined
    receiver_qualifier: str = "ZZ"  # ISA07


def transaction_control_number(control: ControlNumbers, index: int) -> str:
    """ST02 of the `index`-th (0-based) transaction: at least 4 digits, as ST02 requires."""
    number = control.first_transaction + index
    if number > MAX_CONTROL:
        raise ValueError(f"transaction control number would exceed {MAX_CONTROL}")
    return f"{number:04d}"


def check_party_ids(header: EnvelopeHeader) -> list[str]:
    """Problems with the sender and receiver IDs, as messages naming the config key."""
    problems = []
    for key, value in (("[submitter] id", header.sender_id), ("[receiver] id", header.receiver_id)):
        problem = id_problem(value)
        if problem:
            problems.append(f"{key} {problem}")
        elif len(value) > 15:
            problems.append(f"{key} is longer than 15 characters, the most an ISA header holds")
        elif len(value) < 2:
            problems.append(f"{key} is shorter than 2 characters, the least a GS header holds")
    if header.usage not in ("T", "P"):
        problems.append('[x12] usage must be "T" or "P"')
    return problems


def write_interchange(
    bodies: Sequence[Sequence[str]], *, header: EnvelopeHeader, control: ControlNumbers, now: datetime
) -> str:
    """One interchange holding one functional group with a transaction per body.

    Each body is the segments between ST and SE; ST/SE are added here with the counts.
    Raises ValueError when there is nothing to send or an envelope ID cannot be sent.
    """
    if not bodies:
        raise ValueError("an interchange needs at least one transaction")
    problems = check_party_ids(header)
    if problems:
        raise ValueError("; ".join(problems))
    segments = [isa(header, control, now), gs(header, control, now)]
    for index, body in enumerate(bodies):
        segments.extend(wrap_transaction(body, header, transaction_control_number(control, index)))
    segments.append(_checked("GE", str(len(bodies)), str(control.group)))
    segments.append(_checked("IEA", "1", f"{control.interchange:09d}"))
    return serialize(segments)


def wrap_transaction(body: Sequence[str], header: EnvelopeHeader, st02: str) -> list[str]:
    """ST + body + SE, SE01 counting every segment from ST to SE."""
    st = _checked("ST", header.transaction_type, st02, header.version)
    return [st, *body, _checked("SE", str(len(body) + 2), st02)]


def isa(header: EnvelopeHeader, control: ControlNumbers, now: datetime) -> str:
    """The fixed-width ISA: every element padded to its exact length (106 characters with '~').

    Joined by hand rather than through `segment`, because ISA11 and ISA16 carry the repetition
    and component separators themselves; the IDs were checked by `check_party_ids`.
    """
    elements = [
        "ISA", "00", " " * 10, "00", " " * 10,
        header.sender_qualifier, header.sender_id.ljust(15),
        header.receiver_qualifier, header.receiver_id.ljust(15),
        now.strftime("%y%m%d"), now.strftime("%H%M"),
        REPETITION, "00501", f"{control.interchange:09d}", "0", header.usage, COMPONENT,
    ]
    return ELEMENT.join(elements)


def gs(header: EnvelopeHeader, control: ControlNumbers, now: datetime) -> str:
    return _checked(
        "GS", header.functional_id, header.sender_id, header.receiver_id,
        now.strftime("%Y%m%d"), now.strftime("%H%M"), str(control.group), "X", header.version,
    )



def _checked(segment_id: str, *elements: Element) -> str:
    """An envelope segment, checked against its declaration (grammar/envelope.py)."""
    return checked(ENVELOPE, HEADER, segment_id, *elements)
