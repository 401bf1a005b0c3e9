"""Building segments for the files medsheets writes, with the delimiters fixed here.

Every segment written passes through `segment`, which refuses an element holding a delimiter
or a line break. Values should already be cleaned (`identifiers.x12_text`) or checked
(`text.id_problem`); this is the last guard, so a slip shows up as an exception in a test
instead of a corrupt batch at the clearinghouse.
"""

from __future__ import annotations

import re

ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"
TERMINATOR = "~"
LINE_END = "\n"  # one segment per line; pyx12 and clearinghouses accept it after '~'

_FORBIDDEN = frozenset(ELEMENT + COMPONENT + REPETITION + TERMINATOR + "\r\n")
_ANY_FORBIDDEN = re.compile("[" + re.escape("".join(sorted(_FORBIDDEN))) + "]")

# An element is text, or a composite given as a tuple of its component texts.
Element = str | tuple[str, ...]


class DelimiterInDataError(ValueError):
    """A value reached a segment with an X12 delimiter in it: a bug in the caller's cleaning."""


def segment(segment_id: str, *elements: Element) -> str:
    """`NM1*85*2*NAME...` without its terminator; trailing empty elements are dropped."""
    if _ANY_FORBIDDEN.search("".join(e if e.__class__ is str else "".join(e) for e in elements)):
        texts = [_element(segment_id, n, e) for n, e in enumerate(elements, start=1)]  # raises
    else:  # no delimiter anywhere (the rule, checked in one scan): only components to join
        texts = [e if isinstance(e, str) else _components(e) for e in elements]
    while texts and texts[-1] == "":
        texts.pop()
    return ELEMENT.join([segment_id, *texts])


def _components(value: tuple[str, ...]) -> str:
    parts = list(value)
    while parts and parts[-1] == "":
        parts.pop()
    return COMPONENT.join(parts)


def _element(segment_id: str, number: int, value: Element) -> str:
    parts = list(value) if isinstance(value, tuple) else [value]
    for part in parts:
        if _FORBIDDEN.intersection(part):
            raise DelimiterInDataError(
                f"{segment_id}{number:02d} holds an X12 delimiter or line break; clean it first"
            )
    while parts and parts[-1] == "":
        parts.pop()
    return COMPONENT.join(parts)


def serialize(segments: list[str]) -> str:
    """Segments as file text: each ended by the terminator and a line break."""
    if not segments:
        return ""
    between = TERMINATOR + LINE_END
    return between.join(segments) + between
