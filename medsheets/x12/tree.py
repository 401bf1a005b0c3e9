"""The records the X12 reader returns: interchange -> group -> transaction -> segment.

Kept apart from the reader so the 835, 999 and 277CA parsers can depend on these plain,
immutable records without caring how the bytes were split. A segment keeps its 1-based
position in the file (ISA is 1), the number a person or a clearinghouse report uses to find it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The separators an interchange declares in its ISA header.

    element: ISA's 4th character; component: ISA16; segment: the character after ISA16;
    repetition: ISA11 when it is a separator (5010), None when it is the 4010 'U'.
    """

    element: str
    component: str
    segment: str
    repetition: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its id (NM1), its elements after the id, and its position in the file.

    Elements are raw text; `element(1)` is NM101. Composites and repetitions are split only
    when asked, because only the parser for a given transaction knows which elements are.
    """

    id: str
    elements: tuple[str, ...]
    position: int
    delimiters: Delimiters

    def element(self, number: int) -> str:
        """Element `number` (1-based, as X12 names them: NM103 is element(3)); '' when absent."""
        if 1 <= number <= len(self.elements):
            return self.elements[number - 1]
        return ""

    def components(self, number: int) -> tuple[str, ...]:
        """Element `number` split at the component separator: SV101 'HC:99213:25' -> 3 parts."""
        value = self.element(number)
        return tuple(value.split(self.delimiters.component)) if value else ()

    def repeats(self, number: int) -> tuple[str, ...]:
        """Element `number` split at the repetition separator (one item when there is none)."""
        value = self.element(number)
        if not value:
            return ()
        if self.delimiters.repetition is None:
            return (value,)
        return tuple(value.split(self.delimiters.repetition))


def split_composite(value: str, component: str) -> tuple[str, ...]:
    """A composite's parts, for callers holding a value but not its segment."""
    return tuple(value.split(component)) if value else ()


@dataclass(frozen=True, slots=True)
class Transaction:
    """One ST..SE transaction set; `segments` runs from its ST to its SE, both included."""

    type: str  # ST01: "835", "837", "999", "277"
    control_number: str  # ST02
    version: str  # ST03 when present (005010X222A1), else the group's GS08
    segments: tuple[Segment, ...]

    @property
    def body(self) -> tuple[Segment, ...]:
        """The segments between ST and SE."""
        return self.segments[1:-1]


@dataclass(frozen=True, slots=True)
class Group:
    """One GS..GE functional group."""

    functional_id: str  # GS01: HC claims, HP remittances, FA acknowledgments
    sender: str  # GS02
    receiver: str  # GS03
    version: str  # GS08
    control_number: str  # GS06
    transactions: tuple[Transaction, ...]


@dataclass(frozen=True, slots=True)
class Interchange:
    """One ISA..IEA interchange. `warnings` lists tolerated defects (see reader.read_x12)."""

    control_number: str  # ISA13
    sender: str  # ISA06, without its padding
    receiver: str  # ISA08, without its padding
    usage: str  # ISA15: P production, T test
    date: str  # ISA09 YYMMDD
    time: str  # ISA10 HHMM
    delimiters: Delimiters
    groups: tuple[Group, ...]
    warnings: tuple[str, ...] = ()

    def transactions(self) -> Iterator[Transaction]:
        for group in self.groups:
            yield from group.transactions
