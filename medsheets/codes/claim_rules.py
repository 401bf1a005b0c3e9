"""What the claim edits ask of a code's tabular entry, worked out once when the index is built.

The claim edits from the tabular (`edits_tabular`, and the 7th-character message of
`edits_diagnoses`) need, for each diagnosis on a claim: the Excludes1 notes that hold for it
(its own and every header's above it), the nearest "code first" and "use additional code"
notes, whether it is a manifestation, and, for a code that lacks its 7th character, the
characters to choose from. `tabular.entry` answers that from the whole tabular tree, which
takes a few tenths of a second to load: more than the rest of a small day's `check`. So the
index carries the answers themselves (the ``rules.txt`` and ``rule-values.txt`` members,
derived here from the tree in one pass down it) and a check reads only the lines of the
codes it meets. tests/test_icd10_index.py proves the answers equal `tabular.entry`'s for
every code of the release.

``rules.txt``: its first line the width of a rule set's number; its second the number of each
billable code's rule set, in the order of hot.txt's billable codes, each written in that many
digits (zero-padded, no separator: a code's number is read by slicing, without splitting the
line into 74,000 strings); its third the same for the headers; then the distinct rule sets
(some 4,400 for 98,000 codes), one JSON line each, ``[excludes1, code_first, use_additional,
seventh, manifestation]``: lists of value numbers, a value number or -1, the code's
description when it is a manifestation else "". ``rule-values.txt``: the notes (``[text,
under, coded]``) and 7th-character choices (``[[character, words], ...]``) the sets share,
one JSON line each.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from medsheets.codes import icd10
from medsheets.codes.icd10index import RULE_VALUES, RULES, Icd10Index, RuleTable, Tree
from medsheets.codes.tabular import (
    MANIFESTATION_WORDS,
    Note,
    code_ranges,
    note_lines,
    seventh_words,
    written_under,
)
from medsheets.identifiers import dotted_icd10, normalize_icd10

NO_SEVENTH = -1


@dataclass(frozen=True)
class ClaimRules:
    """A code's instructions as the claim edits apply them (see `tabular.Entry` for the whole)."""

    code: str  # dotted
    billable: bool
    excludes1: tuple[Note, ...]  # its own and every header's above it, nearest first
    code_first: tuple[Note, ...]  # the nearest header's (or its own) "code first"
    use_additional: tuple[Note, ...]  # the nearest "use additional code"
    seventh: tuple[tuple[str, str], ...]  # (character, tabular words) when it lacks its 7th
    manifestation: str  # its description when it is a manifestation (listed second), else ""


@lru_cache(maxsize=65536)
def rules(code: str) -> ClaimRules | None:
    """The claim rules of a code in the shipped release; None when the code is not in it
    (remembered per code as written: the claim edits ask for every code of every claim)."""
    return _rules(normalize_icd10(code))


@lru_cache(maxsize=8192)
def _rules(plain: str) -> ClaimRules | None:
    return rules_in(icd10.shipped(), plain)


def rules_in(index: Icd10Index, plain: str) -> ClaimRules | None:
    """The claim rules of a code (without the dot) as the index's rules members give them."""
    status = icd10.status(plain, index)
    if status is icd10.DxStatus.UNKNOWN:
        return None
    billable = status is icd10.DxStatus.BILLABLE
    table = index.rules
    if billable:
        chosen = table.billable_set(bisect_left(index.sorted_billable, plain))
    else:
        chosen = table.header_set(bisect_left(index.sorted_headers, plain))
    excludes1, code_first, use_additional, seventh, manifestation = json.loads(table.sets[chosen])
    return ClaimRules(
        code=dotted_icd10(plain),
        billable=billable,
        excludes1=tuple(_note(table, v) for v in excludes1),
        code_first=tuple(_note(table, v) for v in code_first),
        use_additional=tuple(_note(table, v) for v in use_additional),
        seventh=tuple((c, w) for c, w in _value(table, seventh)) if seventh != NO_SEVENTH else (),
        manifestation=manifestation,
    )


def _value(table: RuleTable, number: int) -> Any:
    return json.loads(table.values[number])


def _note(table: RuleTable, number: int) -> Note:
    text, under, coded = _value(table, number)
    return Note(text, under, code_ranges(text), coded)


def rules_members(tree: Tree, billable: Sequence[str], headers: Sequence[str]) -> dict[str, str]:
    """The rules members for the index being built, for its billable codes and headers (each
    sorted, as in hot.txt): each code's rules, from one pass down the tree (a parent comes
    before its children in the release's order)."""
    values: dict[str, int] = {}  # each distinct value (as its JSON line) -> its number
    sets: dict[str, int] = {}

    def own(position: int, name: str) -> list[int]:
        value = tree.notes.get(position, {}).get(name)
        if not value:
            return []
        under, coded = written_under(tree, position)
        return [numbered(values, [text, under, coded]) for text in note_lines(value)]

    excludes1: list[list[int]] = []
    nearest: dict[str, list[list[int]]] = {"code_first": [], "use_additional_code": []}
    seventh_at: list[int] = []  # the position whose 7th-character definitions hold, or -1
    for position, parent in enumerate(tree.parents):
        assert parent < position, "the release lists a parent before its children"
        excludes1.append(own(position, "excludes1") + (excludes1[parent] if parent >= 0 else []))
        for name, found in nearest.items():
            found.append(own(position, name) or (found[parent] if parent >= 0 else []))
        defined = bool(tree.notes.get(position, {}).get("seven_chr_def"))
        seventh_at.append(position if defined else (seventh_at[parent] if parent >= 0 else -1))

    def rule_set(plain: str, is_billable: bool) -> int:
        at = tree.index_of[plain]
        seventh = NO_SEVENTH if is_billable else _seventh(tree, at, seventh_at[at], values)
        return numbered(sets, [excludes1[at], nearest["code_first"][at],
                               nearest["use_additional_code"][at], seventh,
                               _manifestation(tree, at, nearest["code_first"][at])])

    billable_numbers = [rule_set(c, True) for c in billable]
    header_numbers = [rule_set(c, False) for c in headers]
    width = len(str(max(len(sets) - 1, 0)))
    numbers = ["".join(str(n).zfill(width) for n in billable_numbers),
               "".join(str(n).zfill(width) for n in header_numbers)]
    return {RULES: "\n".join([str(width), *numbers, *sets]), RULE_VALUES: "\n".join(values)}


def numbered(table: dict[str, int], value: Any) -> int:
    """The value's number in the table of distinct values, given it a new one if it is new."""
    return table.setdefault(json.dumps(value, separators=(",", ":")), len(table))


def _seventh(tree: Tree, at: int, defined_at: int, values: dict[str, int]) -> int:
    """The 7th-character choices of a header whose children are all its 7th-character codes."""
    children = tree.children(at)
    if defined_at < 0 or not children or any(tree.types[c] != "X" for c in children):
        return NO_SEVENTH
    definitions = tree.notes[defined_at]["seven_chr_def"]
    return numbered(values, [[tree.names[c][-1], seventh_words(definitions, tree.names[c][-1])]
                             for c in children])


def _manifestation(tree: Tree, at: int, code_first: list[int]) -> str:
    """The code's description when the tabular makes it a manifestation: a "code first" note
    and "... classified elsewhere" in its title or one of its three nearest headers'."""
    if not code_first:
        return ""
    titles = [tree.description(at), *(tree.description(p) for p in tree.ancestors(at)[:3])]
    named = any(word in title.lower() for title in titles for word in MANIFESTATION_WORDS)
    return titles[0] if named else ""
