"""The shapes of an X12 grammar: elements, segments, loops and transactions, declared as data.

An implementation guide says, for every segment of a transaction, which elements it carries,
how long each may be, which codes it accepts and whether it is required; and it groups the
segments into loops (2010AA billing provider, 2100 claim payment...) that give them meaning.
medsheets declares that once, in `grammar/x837p.py`, `x835.py` and their siblings, with the
records below; the builder (`grammar/build.py`) checks each segment written against it, and the
readers ask for elements by loop and name (`grammar/read.py`) instead of counting positions.

A base segment (`segments.py`) is the X12 dictionary's view: every element, its type and its
lengths. A loop *uses* a base segment and narrows it (`SegmentDef.use`): which elements the
guide requires there, which codes it allows, how many elements may be sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

# Element types, as X12 names them: ID a code from a list, AN text, R a decimal number, N0 a
# whole number (N2 with two implied decimals is unused in 5010 health care), DT a date, TM a
# time, C a composite whose parts are components.
KINDS = frozenset({"ID", "AN", "R", "N0", "DT", "TM", "C"})
# Usage in a loop: R required, S situational (sent when it applies), N not used.
USAGES = frozenset({"R", "S", "N"})


@dataclass(frozen=True, slots=True)
class ElementDef:
    """One element (or one component of a composite).

    `ref` is the X12 reference ("NM103", "SV101-2" for a component), `name` the word readers
    ask by ("last_name"), `kind` one of KINDS, `min`/`max` the length bounds (for R and N0, in
    digits), `usage` R/S/N, `codes` the allowed values (None: any value of the kind), and
    `components` the parts of a composite (kind C).
    """

    ref: str
    name: str
    kind: str
    min: int
    max: int
    usage: str = "S"
    codes: frozenset[str] | None = None
    components: tuple[ElementDef, ...] = ()
    required_upto: int = field(init=False, repr=False, compare=False)  # last required component

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.usage not in USAGES or not 0 <= self.min <= self.max:
            raise ValueError(f"element {self.ref}: bad declaration")
        object.__setattr__(self, "required_upto", _last_required(self.components))


@dataclass(frozen=True, slots=True)
class SegmentDef:
    """A segment: its id, what it is, and its elements in order (element 1 first)."""

    id: str
    name: str
    elements: tuple[ElementDef, ...]
    numbers: dict[str, int] = field(init=False, repr=False, compare=False)

    required_upto: int = field(init=False, repr=False, compare=False)  # last required element

    def __post_init__(self) -> None:
        object.__setattr__(self, "numbers", {e.name: n for n, e in enumerate(self.elements, start=1)})
        object.__setattr__(self, "required_upto", _last_required(self.elements))

    def number(self, name: str) -> int:
        """The 1-based position of the element called `name` (KeyError naming it if none)."""
        try:
            return self.numbers[name]
        except KeyError:
            raise KeyError(f"{self.id} has no element named {name!r}") from None

    def element(self, name: str) -> ElementDef:
        return self.elements[self.number(name) - 1]

    def use(
        self,
        *,
        required: Iterable[str] = (),
        codes: Mapping[str, Iterable[str] | str] | None = None,
        upto: int | None = None,
        unused: Iterable[str] = (),
        name: str | None = None,
    ) -> SegmentDef:
        """This segment as one loop uses it.

        `required` names the elements the guide requires there (the others become situational),
        `codes` narrows elements to the codes allowed there (a space-separated string or any
        iterable), `upto` is the last element the guide lets a sender fill (those after it become
        not-used), `unused` names other elements the guide marks not used, and `name` says what
        the segment means in the loop ("billing provider name"). A component is named
        "composite.component" ("facility.frequency").
        """
        required, unused = set(required), set(unused)
        narrowed = {key: frozenset(value.split() if isinstance(value, str) else value)
                    for key, value in (codes or {}).items()}
        known = {e.name for e in self.elements} | {
            f"{e.name}.{part.name}" for e in self.elements for part in e.components}
        unknown = (required | unused | set(narrowed)) - known
        if unknown:
            raise KeyError(f"{self.id} has no element named {sorted(unknown)}")
        last = len(self.elements) if upto is None else upto
        elements = []
        for number, element in enumerate(self.elements, start=1):
            usage = ("N" if number > last or element.name in unused
                     else "R" if element.name in required else "S")
            parts = tuple(
                replace(part, usage="R" if f"{element.name}.{part.name}" in required else "S",
                        codes=narrowed.get(f"{element.name}.{part.name}", part.codes))
                for part in element.components)
            elements.append(replace(element, usage=usage, components=parts,
                                    codes=narrowed.get(element.name, element.codes)))
        return SegmentDef(self.id, name or self.name, tuple(elements))


@dataclass(frozen=True, slots=True)
class Trigger:
    """What starts a loop: its first segment, with element 1 (or `element`) among `codes`."""

    segment: str
    codes: frozenset[str] | None = None
    element: int = 1

    def matches(self, segment_id: str, elements: tuple[str, ...]) -> bool:
        if segment_id != self.segment:
            return False
        if self.codes is None:
            return True
        value = elements[self.element - 1] if len(elements) >= self.element else ""
        return value in self.codes


@dataclass(frozen=True, slots=True)
class LoopDef:
    """A loop: its id ("2010AA"), meaning, parent loop id, trigger and the segments it holds.

    The header of a transaction (the segments after ST before any loop) is the loop "HEADER";
    its parent is None.
    """

    id: str
    name: str
    parent: str | None
    trigger: Trigger | None
    segments: tuple[SegmentDef, ...]

    def find(self, segment_id: str, elements: tuple[str, ...] = ()) -> SegmentDef | None:
        """The use of `segment_id` in this loop that fits `elements`' qualifier, if any.

        A loop may use one segment several times with different qualifiers (REF*G1, REF*F8):
        the one whose element-1 codes hold the qualifier wins, else one with no code list.
        """
        fallback = None
        for definition in self.segments:
            if definition.id != segment_id:
                continue
            codes = definition.elements[0].codes if definition.elements else None
            if codes is None:
                fallback = fallback or definition
            elif elements and elements[0] in codes:
                return definition
            elif not elements:
                fallback = fallback or definition
        return fallback


@dataclass(frozen=True)
class TransactionDef:
    """One implementation guide: ST01, the version (GS08/ST03), its name, its loops in order."""

    code: str
    version: str
    name: str
    loops: tuple[LoopDef, ...]
    by_id: dict[str, LoopDef] = field(init=False, repr=False, compare=False)
    children_of: dict[str, tuple[LoopDef, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {loop.id: loop for loop in self.loops})
        object.__setattr__(self, "children_of", {
            loop.id: tuple(c for c in self.loops if c.parent == loop.id and c.trigger)
            for loop in self.loops})
        for loop in self.loops:
            if loop.parent is not None and loop.parent not in self.by_id:
                raise ValueError(f"{self.code} loop {loop.id}: parent {loop.parent} is not declared")

    def loop(self, loop_id: str) -> LoopDef:
        try:
            return self.by_id[loop_id]
        except KeyError:
            raise KeyError(f"{self.name} has no loop {loop_id}") from None

    def children(self, loop_id: str) -> tuple[LoopDef, ...]:
        """The loops directly inside `loop_id` that a segment opens."""
        return self.children_of[loop_id]


HEADER = "HEADER"


def _last_required(elements: tuple[ElementDef, ...]) -> int:
    """The 1-based position of the last required element (0: none), so a check of a short
    segment can stop once the values given and the required elements are behind it."""
    return max((n for n, e in enumerate(elements, start=1) if e.usage == "R"), default=0)


def loop(loop_id: str, name: str, parent: str | None, trigger: Trigger | None,
         *segments: SegmentDef) -> LoopDef:
    """A LoopDef, written as the declarations read: id, meaning, parent, trigger, segments."""
    return LoopDef(loop_id, name, parent, trigger, segments)


def starts(segment_id: str, codes: str | None = None, element: int = 1) -> Trigger:
    """The trigger of a loop: `starts("NM1", "85")`, `starts("HL", "22", element=3)`."""
    return Trigger(segment_id, frozenset(codes.split()) if codes else None, element)
