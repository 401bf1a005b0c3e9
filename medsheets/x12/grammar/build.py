"""Writing segments against the grammar: each segment is checked the moment it is built.

A writer says which loop a segment belongs to and gives its elements in order, exactly as
`compose.segment` takes them; `TransactionBuilder.add` looks the segment up in the
transaction's declaration (`grammar/x837p.py` ...) and refuses, with a `GrammarError` naming
the transaction, loop, segment and element, anything the guide forbids: a segment the loop
does not hold, too many elements, a required element left empty, a not-used one filled, a
value too short or too long, a code not in the loop's list, a number or date that is not one.
So a slip in a writer fails in its own test instead of at the clearinghouse.

Messages never quote the value (it may be a name or a member ID); they quote only the codes
the guide allows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medsheets.x12.compose import Element, segment
from medsheets.x12.grammar.schema import ElementDef, SegmentDef, TransactionDef

_DECIMAL = re.compile(r"-?(\d+\.?\d*|\.\d+)")
_WHOLE = re.compile(r"-?\d+")
_DATE = re.compile(r"\d{8}")
_TIME = re.compile(r"\d{4}(\d{2}(\d{1,2})?)?")
MAX_LISTED_CODES = 12  # a longer code list is not spelled out in a message


class GrammarError(ValueError):
    """A segment that breaks the transaction's declared grammar: a bug in the writer.

    `where` is "837P 2010AA NM109" style: transaction, loop, element reference.
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class TransactionBuilder:
    """The segments of one transaction body (between ST and SE), each checked as it is added."""

    def __init__(self, transaction: TransactionDef) -> None:
        self.transaction = transaction
        self.segments: list[str] = []

    def add(self, loop_id: str, segment_id: str, *elements: Element) -> None:
        """Check the segment against loop `loop_id` and append it (text without terminator)."""
        self.segments.append(checked(self.transaction, loop_id, segment_id, *elements))

    def extend(self, segments: Sequence[str]) -> None:
        """Segments already checked by `checked` (a helper built them for this transaction)."""
        self.segments.extend(segments)


def checked(transaction: TransactionDef, loop_id: str, segment_id: str, *elements: Element) -> str:
    """`compose.segment(segment_id, *elements)` after checking it against the grammar."""
    definition = definition_for(transaction, loop_id, segment_id, elements)
    check_segment(f"{transaction.name} {loop_id}", definition, elements)
    return segment(segment_id, *elements)


def definition_for(transaction: TransactionDef, loop_id: str, segment_id: str,
                   elements: Sequence[Element]) -> SegmentDef:
    loop = transaction.loop(loop_id)
    first = elements[0] if elements else ""
    qualifier = (first if isinstance(first, str) else "",)
    definition = loop.find(segment_id, qualifier)
    if definition is None:
        raise GrammarError(f"{transaction.name} {loop_id} {segment_id}",
                           f"loop {loop_id} ({loop.name}) holds no {segment_id} segment")
    return definition


def check_segment(where: str, definition: SegmentDef, elements: Sequence[Element]) -> None:
    """Raise GrammarError for the first element of `elements` the definition refuses."""
    values = list(elements)
    while values and _empty(values[-1]):
        values.pop()
    if len(values) > len(definition.elements):
        raise GrammarError(f"{where} {definition.id}",
                           f"has {len(values)} elements, the segment holds {len(definition.elements)}")
    for number, declared in enumerate(definition.elements, start=1):
        value = values[number - 1] if number <= len(values) else ""
        _check_element(f"{where} {declared.ref}", declared, value)


def _check_element(where: str, declared: ElementDef, value: Element) -> None:
    place = f"{where} ({declared.name})"
    if _empty(value):
        if declared.usage == "R":
            raise GrammarError(place, "is required and empty")
        return
    if declared.usage == "N":
        raise GrammarError(place, "is not used in this loop and must stay empty")
    if declared.kind == "C":
        parts = list(value) if isinstance(value, tuple) else [value]
        while parts and parts[-1] == "":
            parts.pop()
        if len(parts) > len(declared.components):
            raise GrammarError(place, f"has {len(parts)} components, it holds "
                                      f"{len(declared.components)}")
        for number, component in enumerate(declared.components, start=1):
            part = parts[number - 1] if number <= len(parts) else ""
            _check_element(f"{where.rsplit(' ', 1)[0]} {component.ref}", component, part)
        return
    if isinstance(value, tuple):
        raise GrammarError(place, "is a simple element, given components")
    _check_simple(place, declared, value)


def _check_simple(where: str, declared: ElementDef, value: str) -> None:
    if declared.kind == "R" and not _DECIMAL.fullmatch(value):
        raise GrammarError(where, "is not a decimal number")
    if declared.kind == "N0" and not _WHOLE.fullmatch(value):
        raise GrammarError(where, "is not a whole number")
    if declared.kind == "DT" and not _DATE.fullmatch(value):
        raise GrammarError(where, "is not a date CCYYMMDD")
    if declared.kind == "TM" and not _TIME.fullmatch(value):
        raise GrammarError(where, "is not a time HHMM")
    length = sum(ch.isdigit() for ch in value) if declared.kind in ("R", "N0") else len(value)
    if declared.max and not declared.min <= length <= declared.max:
        raise GrammarError(where, f"is {length} characters long; it takes "
                                  f"{declared.min} to {declared.max}")
    if declared.codes is not None and value not in declared.codes:
        raise GrammarError(where, f"is not one of the codes the guide allows here"
                                  f"{_listed(declared.codes)}")


def _listed(codes: frozenset[str]) -> str:
    if len(codes) > MAX_LISTED_CODES:
        return ""
    return " (" + ", ".join(sorted(codes)) + ")"


def _empty(value: Element) -> bool:
    return value == "" or (isinstance(value, tuple) and all(part == "" for part in value))
