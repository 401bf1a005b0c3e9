"""Segments written many times in one shape: the shape checked once, each use only its values.

A batch of 30,000 claims writes some 700,000 segments, and most of them differ from the same
segment of the claim before only in a few values: `DTP*472*D8*<day>`, `REF*6R*<control>`,
`N4*<city>*<state>*<zip>`. Which loop they are in, their qualifiers and which elements they
carry are the same every time. A `SegmentTemplate` is declared once by the writer, with
`VALUE` where a value goes; the grammar (`build.check_segment`'s rules) is applied to the fixed
elements when the template is made, and each use checks only the values filled in: their
length, kind and codes, and that none holds a delimiter.

The quick check only ever says "certainly fits". Anything it does not pass for certain (an
empty required value, a name too long, a code not in the list, a delimiter) goes the long way,
through `build.checked` with the whole segment, which builds the text or raises the
`GrammarError` (or `DelimiterInDataError`) it always did: a template never lets through what
the grammar refuses, and the text it builds is `compose.segment`'s.
"""

from __future__ import annotations

import re

from medsheets.x12.compose import _ANY_FORBIDDEN, ELEMENT, DelimiterInDataError, Element, _components
from medsheets.x12.grammar.build import _PATTERNS, GrammarError, _element_problem, checked, definition_for
from medsheets.x12.grammar.schema import ElementDef, TransactionDef


class _Value:
    """The mark of an element filled in at each use (`VALUE`)."""

    def __repr__(self) -> str:
        return "VALUE"


VALUE = _Value()
MAX_REMEMBERED = 4096  # texts remembered per template (a few hundred KB at most)


class SegmentTemplate:
    """One segment of one loop with some elements fixed and the others (`VALUE`) filled by
    `fill`; `fill(*values)` returns exactly `checked(transaction, loop_id, segment_id, *the
    elements with the values in place)`, or raises what it raises.

    A fixed element the loop refuses, or a segment the loop does not hold, raises GrammarError
    when the template is made (a bug in the writer, found as the module loads). When the first
    element is a value, the loop must hold that segment once (its definition cannot then depend
    on a qualifier).
    """

    def __init__(self, transaction: TransactionDef, loop_id: str, segment_id: str,
                 *elements: Element | _Value) -> None:
        self.transaction, self.loop_id, self.segment_id = transaction, loop_id, segment_id
        self.elements = elements
        self.slots = tuple(n for n, element in enumerate(elements) if element is VALUE)
        if elements and elements[0] is VALUE:
            uses = [d for d in transaction.loop(loop_id).segments if d.id == segment_id]
            if len(uses) > 1:
                raise ValueError(f"{segment_id} of loop {loop_id}: a template whose first element is "
                                 f"a value needs the loop to hold the segment once, not {len(uses)} times")
            definition = uses[0] if uses else definition_for(transaction, loop_id, segment_id, ())
        else:
            definition = definition_for(transaction, loop_id, segment_id, elements)  # type: ignore[arg-type]
        where = f"{transaction.name} {loop_id} {segment_id}"
        if len(elements) > len(definition.elements):
            raise GrammarError(where, f"has {len(elements)} elements, the segment holds "
                                      f"{len(definition.elements)}")
        for number, declared in enumerate(definition.elements, 1):
            value = elements[number - 1] if number <= len(elements) else ""
            if value is VALUE:
                continue
            problem = _element_problem(declared, value)  # type: ignore[arg-type]
            if problem is not None:
                raise GrammarError(f"{transaction.name} {loop_id} {problem[0].ref} ({problem[0].name})",
                                   problem[1])
        fixed_text = "".join(e if isinstance(e, str) else "".join(e)
                             for e in elements if not isinstance(e, _Value))
        if _ANY_FORBIDDEN.search(fixed_text):
            raise DelimiterInDataError(f"{segment_id}: a fixed element holds an X12 delimiter")
        self.declared: tuple[ElementDef, ...] = tuple(definition.elements[n] for n in self.slots)
        # The text of each element, the segment id first; a value's place is filled by `fill`.
        self.texts = [segment_id] + ["" if e is VALUE else e if isinstance(e, str) else _components(e)
                                     for e in elements]  # type: ignore[arg-type]
        self.places = tuple(n + 1 for n in self.slots)
        self.rules = tuple(_CompositeRule(d) if d.kind == "C" else _rule(d) for d in self.declared)
        self.made: dict[tuple[Element, ...], str] = {}

    def fill(self, *values: Element) -> str:
        """The segment's text with `values` in the VALUE places, in order (see the class).

        A batch repeats values (the dates, a procedure at its fee, the payer), so texts made are
        remembered by their values, at most MAX_REMEMBERED per template (then forgotten and
        begun again); a refused segment is not remembered: it is refused again."""
        made = self.made.get(values)
        if made is None:
            made = self._make(values)
            if len(self.made) >= MAX_REMEMBERED:
                self.made.clear()
            self.made[values] = made
        return made

    def _make(self, values: tuple[Element, ...]) -> str:
        if len(values) != len(self.slots):
            raise TypeError(f"{self.segment_id} template takes {len(self.slots)} values, "
                            f"given {len(values)}")
        texts = self.texts.copy()
        given = []  # the values' own characters, for one delimiter scan (the fixed text has none,
        # nor has a composite's known text)
        for place, rule, value in zip(self.places, self.rules, values):
            if value.__class__ is str:
                if not (_fits(rule, value) if rule.__class__ is tuple else value == "" and rule.optional):
                    return self._long_way(values)
                texts[place] = value  # type: ignore[assignment]
                given.append(value)
            elif rule.__class__ is _CompositeRule:
                text = rule.known_text(value)  # type: ignore[union-attr, arg-type]
                if text is None:
                    return self._long_way(values)
                texts[place] = text
            else:
                return self._long_way(values)
        if _ANY_FORBIDDEN.search("".join(given)):
            return self._long_way(values)
        while texts[-1] == "":
            texts.pop()
        return ELEMENT.join(texts)

    def _long_way(self, values: tuple[Element, ...]) -> str:
        """The whole segment through `checked`: its text, or the error it gives."""
        filled = iter(values)
        elements = [next(filled) if e is VALUE else e for e in self.elements]
        return checked(self.transaction, self.loop_id, self.segment_id, *elements)  # type: ignore[arg-type]


_ANY_LENGTH = 1 << 30
_NOTHING_BUT_EMPTY = -1  # the longest value a rule lets through at once: none (so: checked)
# (shortest, longest, codes or None, pattern or None, required): what `_fits` needs of a simple
# element, worked out once per template.
_Rule = tuple[int, int, "frozenset[str] | None", "re.Pattern[str] | None", bool]


def _rule(declared: ElementDef) -> _Rule:
    """The quick check of simple element `declared`, never more lenient than the grammar's
    (`build._simple_fits`): a value it is unsure of goes the long way."""
    required = declared.usage == "R"
    if declared.usage == "N" or declared.kind == "C":
        return (0, _NOTHING_BUT_EMPTY, None, None, required)
    pattern = _PATTERNS.get(declared.kind)
    if not declared.max:
        return (0, _ANY_LENGTH, declared.codes, pattern, required)
    if declared.kind in ("R", "N0"):
        # Length counts digits there: the pattern guarantees one, the text is no shorter than
        # its digits, so "1 <= digits" and "len <= max" are certain; a longer minimum is not.
        if declared.min > 1:
            return (0, _NOTHING_BUT_EMPTY, None, None, required)
        return (0, declared.max, declared.codes, pattern, required)
    return (declared.min, declared.max, declared.codes, pattern, required)


def _fits(rule: _Rule, value: str) -> bool:
    if not value:
        return not rule[4]
    shortest, longest, codes, pattern, _ = rule
    return (shortest <= len(value) <= longest and (codes is None or value in codes)
            and (pattern is None or pattern.fullmatch(value) is not None))


class _CompositeRule:
    """The quick check of a composite (a tuple of component texts), as `build._composite_fits`."""

    __slots__ = ("components", "known", "optional", "required_upto", "used")

    def __init__(self, declared: ElementDef) -> None:
        self.components = tuple(_rule(component) for component in declared.components)
        self.required_upto = declared.required_upto
        self.optional = declared.usage != "R"  # an empty text may stand for it then
        self.used = declared.usage != "N"
        self.known: dict[tuple[str, ...], str] = {}

    def known_text(self, value: tuple[str, ...]) -> str | None:
        """The text of `value` when it certainly fits and holds no delimiter, else None.

        A batch repeats its composites far more than the segments holding them (HI pairs a
        qualifier with one of a few dozen codes, in ever other combinations), so each distinct
        composite is checked once and its text remembered, at most MAX_REMEMBERED per slot; one
        not certain is not remembered: it is checked again, and goes the long way again."""
        text = self.known.get(value)
        if text is None and self.fits(value) and not _ANY_FORBIDDEN.search("".join(value)):
            text = _components(value)
            if len(self.known) >= MAX_REMEMBERED:
                self.known.clear()
            self.known[value] = text
        return text

    def fits(self, value: tuple[str, ...]) -> bool:
        given = len(value)
        while given and value[given - 1] == "":
            given -= 1
        components = self.components
        if not self.used or not given or given > len(components):
            return False
        for number in range(max(given, self.required_upto)):
            if not _fits(components[number], value[number] if number < given else ""):
                return False
        return True
