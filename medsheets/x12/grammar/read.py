"""Reading a transaction by loop and element name, as the grammar declares them.

`locate` walks a transaction's segments and says which loop each belongs to, from the loops'
triggers (CLP opens 2100, SVC opens 2110, HL*22 opens 2000B...), keeping a stack of open loops
the way the guide nests them. Each segment comes back as a `Located`, which answers
`located["status"]` instead of `seg.element(2)`: the reader names what it wants and the
grammar knows where it is.

Reading is lenient where writing is strict: a segment the grammar does not declare in its
loop is still returned (with the dictionary's definition when there is one), because payers
send segments medsheets has no use for, and refusing them is not the reader's business.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from medsheets.quick_records import maker
from medsheets.x12.grammar import segments as dictionary
from medsheets.x12.grammar.schema import HEADER, LoopDef, SegmentDef, TransactionDef
from medsheets.x12.tree import Segment

_BY_ID: dict[str, SegmentDef] = {
    value.id: value for value in vars(dictionary).values()
    if isinstance(value, SegmentDef) and value is not dictionary.SVC_STATUS
}


@dataclass(frozen=True, slots=True)
class Located:
    """One segment with the loop it belongs to and its definition there."""

    loop: str
    segment: Segment
    definition: SegmentDef | None

    @property
    def id(self) -> str:
        return self.segment.id

    @property
    def position(self) -> int:
        return self.segment.position

    def number(self, name: str) -> int:
        """The element position of `name` (for messages and value helpers that take one)."""
        if self.definition is None:
            raise KeyError(f"{self.segment.id} is not declared in the grammar")
        return self.definition.number(name)

    def __getitem__(self, name: str) -> str:
        """The raw text of the element called `name`; '' when absent."""
        number = self.number(name)
        elements = self.segment.elements
        return elements[number - 1] if number <= len(elements) else ""

    def parts(self, name: str) -> tuple[str, ...]:
        """A composite element's components, split at the declared component separator."""
        return self.segment.components(self.number(name))

    def component(self, name: str, part: str) -> str:
        """One named component of a composite element: `located.component("status", "category")`."""
        assert self.definition is not None
        declared = self.definition.element(name)
        parts = self.parts(name)
        for number, component in enumerate(declared.components):
            if component.name == part:
                return parts[number] if number < len(parts) else ""
        raise KeyError(f"{declared.ref} has no component named {part!r}")


# One per segment read (a month's 835: 100,000): built without the frozen per-field setattr
# (medsheets/quick_records.py), the same records.
_located = maker(Located)


def locate(transaction: TransactionDef, segments: Iterable[Segment]) -> Iterator[Located]:
    """Every segment of a transaction body (ST and SE excluded) with its loop."""
    locator = Locator(transaction)
    for seg in segments:
        yield locator.place(seg)


class Locator:
    """`locate` one segment at a time, for a reader that streams segments as they are split.

    Where a segment goes depends only on the open loops, its id, its first element (the
    qualifier `LoopDef.find` and most triggers look at) and the elements other triggers for
    that id look at. A transaction repeats a few such combinations (a month's 835: 100,000
    segments, a few hundred combinations), so each is worked out once and remembered: the
    same stacks and definitions `_place` and `find` give, without the search per segment.
    The stacks remembered are shared, which is safe as `_place` builds a new list each time.
    """

    def __init__(self, transaction: TransactionDef) -> None:
        self.transaction = transaction
        self.stack: list[LoopDef] = [transaction.loop(HEADER)]
        self._open: tuple[int, ...] = (id(self.stack[0]),)  # the open loops, by identity
        self._further = _further_elements(transaction)
        self._placed: dict[tuple[object, ...], tuple[list[LoopDef], tuple[int, ...], SegmentDef | None]] = {}

    def place(self, seg: Segment) -> Located:
        elements = seg.elements
        further = self._further.get(seg.id)
        key: tuple[object, ...] = (self._open, seg.id, elements[:1]) if further is None else (
            self._open, seg.id, elements[:1],
            tuple(elements[number - 1] if number <= len(elements) else "" for number in further))
        placed = self._placed.get(key)
        if placed is None:
            stack = _place(self.transaction, self.stack, seg)
            definition = stack[-1].find(seg.id, elements[:1]) or _BY_ID.get(seg.id)
            placed = self._placed[key] = (stack, tuple(map(id, stack)), definition)
        self.stack, self._open, definition = placed
        return _located(self.stack[-1].id, seg, definition)


def _further_elements(transaction: TransactionDef) -> dict[str, tuple[int, ...]]:
    """Segment id -> the element numbers past the first that a loop trigger of it compares."""
    further: dict[str, set[int]] = {}
    for candidate in transaction.loops:
        trigger = candidate.trigger
        if trigger is not None and trigger.codes is not None and trigger.element > 1:
            further.setdefault(trigger.segment, set()).add(trigger.element)
    return {segment: tuple(sorted(numbers)) for segment, numbers in further.items()}


def _place(transaction: TransactionDef, stack: list[LoopDef], seg: Segment) -> list[LoopDef]:
    """The loop stack once `seg` has been placed: a loop it opens is pushed, loops it ends popped.

    From the innermost loop outwards, the first level where `seg` opens a child loop or is one
    of the level's own segments wins. A segment that fits nowhere stays in the current loop,
    unless it opens a loop declared anywhere (a loop whose optional opener was left out, as an
    835 without LX): then that loop opens under the nearest open level.
    """
    for depth in range(len(stack) - 1, -1, -1):
        level = stack[depth]
        for child in transaction.children_of[level.id]:
            assert child.trigger is not None
            if child.trigger.matches(seg.id, seg.elements):
                return stack[:depth + 1] + [child]
        if level.find(seg.id, seg.elements[:1]) is not None and not _opens(level, seg):
            return stack[:depth + 1]
    for candidate in transaction.loops:
        if candidate.trigger is not None and candidate.trigger.matches(seg.id, seg.elements):
            ids = [level.id for level in stack]
            kept = ids.index(candidate.parent) + 1 if candidate.parent in ids else 1
            return stack[:kept] + [candidate]
    return stack


def _opens(level: LoopDef, seg: Segment) -> bool:
    """Whether `seg` is the trigger of `level` itself: a second one starts a new repetition."""
    return level.trigger is not None and level.trigger.matches(seg.id, seg.elements)
