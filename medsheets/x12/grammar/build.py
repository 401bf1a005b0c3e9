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
_PATTERNS = {"R": _DECIMAL, "N0": _WHOLE, "DT": _DATE, "TM": _TIME}
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
    """`compose.segment(segment_id, *elements)` after checking it against the grammar.

    The answer depends on nothing but the arguments, and a batch repeats most of its segments
    (the provider's NM1, the dates, a procedure at its fee), so segments that passed are
    remembered (`_Passed`): a repeat costs a look-up. One that fails is not remembered; it
    fails again, with the same error."""
    key = (id(transaction), loop_id, segment_id, elements)
    made = _PASSED.get(key)
    if made is None:
        definition = definition_for(transaction, loop_id, segment_id, elements)
        check_segment(f"{transaction.name} {loop_id}", definition, elements)
        made = segment(segment_id, *elements)
        _PASSED.keep(key, made, transaction)
    return made


class _Passed:
    """Segments that passed their check, the most recently used kept: two generations of at
    most `size` each; a segment found in the older one moves to the newer, and when the newer
    is full the older is dropped. Memory stays bounded; a batch's repeated segments stay."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.newer: dict[tuple[int, str, str, tuple[Element, ...]], str] = {}
        self.older: dict[tuple[int, str, str, tuple[Element, ...]], str] = {}
        self.transactions: dict[int, TransactionDef] = {}  # keeps each id(transaction) its own

    def get(self, key: tuple[int, str, str, tuple[Element, ...]]) -> str | None:
        made = self.newer.get(key)
        if made is None:
            made = self.older.get(key)
            if made is not None:
                self._put(key, made)
        return made

    def keep(self, key: tuple[int, str, str, tuple[Element, ...]], made: str,
             transaction: TransactionDef) -> None:
        self.transactions.setdefault(id(transaction), transaction)
        self._put(key, made)

    def _put(self, key: tuple[int, str, str, tuple[Element, ...]], made: str) -> None:
        if len(self.newer) >= self.size:
            self.older, self.newer = self.newer, {}
        self.newer[key] = made


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
    """Raise GrammarError for the first element of `elements` the definition refuses.

    `where` ("837P 2010AA") starts the error's place; the rest is named only when raising,
    since every segment of every batch passes through here.
    """
    values = list(elements)
    while values and _empty(values[-1]):
        values.pop()
    if len(values) > len(definition.elements):
        raise GrammarError(f"{where} {definition.id}",
                           f"has {len(values)} elements, the segment holds {len(definition.elements)}")
    given = len(values)
    for number, declared in enumerate(definition.elements[:max(given, definition.required_upto)], 1):
        value = values[number - 1] if number <= given else ""
        if _simple_fits(declared, value) if value.__class__ is str else _composite_fits(declared, value):
            continue  # the common case, decided without building a reason
        problem = _element_problem(declared, value)
        if problem is not None:
            wrong, why = problem
            raise GrammarError(f"{where} {wrong.ref} ({wrong.name})", why)


def _composite_fits(declared: ElementDef, value: Element) -> bool:
    """True when the components `value` certainly fit composite `declared` (else see above)."""
    if declared.kind != "C" or declared.usage == "N" or not isinstance(value, tuple):
        return False
    given = len(value)
    while given and value[given - 1] == "":
        given -= 1
    components = declared.components
    if not given or given > len(components):
        return False  # empty (required or not) or too long: let _element_problem decide
    for number in range(max(given, declared.required_upto)):
        if not _simple_fits(components[number], value[number] if number < given else ""):
            return False
    return True


def _simple_fits(declared: ElementDef, value: str) -> bool:
    """True when text `value` certainly fits `declared` (a simple element); False sends it to
    `_element_problem`, which says why not (or finds it fits after all: composites)."""
    if value == "":
        return declared.usage != "R"
    if declared.usage == "N":
        return False
    kind = declared.kind
    if kind == "AN" or kind == "ID":
        length = len(value)
    elif kind == "C":
        return False
    else:
        pattern = _PATTERNS[kind]
        if not pattern.fullmatch(value):
            return False
        length = sum(ch.isdigit() for ch in value) if kind in ("R", "N0") else len(value)
    if declared.max and not declared.min <= length <= declared.max:
        return False
    return declared.codes is None or value in declared.codes


def _element_problem(declared: ElementDef, value: Element) -> tuple[ElementDef, str] | None:
    """(the element or component at fault, why) or None when `value` fits `declared`."""
    if _empty(value):
        return (declared, "is required and empty") if declared.usage == "R" else None
    if declared.usage == "N":
        return declared, "is not used in this loop and must stay empty"
    if declared.kind == "C":
        parts = list(value) if isinstance(value, tuple) else [value]
        while parts and parts[-1] == "":
            parts.pop()
        if len(parts) > len(declared.components):
            return declared, f"has {len(parts)} components, it holds {len(declared.components)}"
        given = len(parts)
        for number, component in enumerate(declared.components[:max(given, declared.required_upto)], 1):
            problem = _element_problem(component, parts[number - 1] if number <= given else "")
            if problem is not None:
                return problem
        return None
    if isinstance(value, tuple):
        return declared, "is a simple element, given components"
    why = _simple_problem(declared, value)
    return None if why is None else (declared, why)


def _simple_problem(declared: ElementDef, value: str) -> str | None:
    kind = declared.kind
    if kind == "R" and not _DECIMAL.fullmatch(value):
        return "is not a decimal number"
    if kind == "N0" and not _WHOLE.fullmatch(value):
        return "is not a whole number"
    if kind == "DT" and not _DATE.fullmatch(value):
        return "is not a date CCYYMMDD"
    if kind == "TM" and not _TIME.fullmatch(value):
        return "is not a time HHMM"
    length = sum(ch.isdigit() for ch in value) if kind in ("R", "N0") else len(value)
    if declared.max and not declared.min <= length <= declared.max:
        return f"is {length} characters long; it takes {declared.min} to {declared.max}"
    if declared.codes is not None and value not in declared.codes:
        return f"is not one of the codes the guide allows here{_listed(declared.codes)}"
    return None


def _listed(codes: frozenset[str]) -> str:
    if len(codes) > MAX_LISTED_CODES:
        return ""
    return " (" + ", ".join(sorted(codes)) + ")"


def _empty(value: Element) -> bool:
    return value == "" or (isinstance(value, tuple) and all(part == "" for part in value))


_PASSED = _Passed(20_000)  # at most 40,000 segments remembered (a few MB)
