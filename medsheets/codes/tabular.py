"""The tabular list's instructions for one code, as they apply to it (own notes and inherited).

The ICD-10-CM tabular attaches instructions to a code or to a header above it: Excludes1 ("not
coded here": never together with the code above the note), Excludes2, "code first" (the code
is a manifestation: the underlying disease is listed before it), "use additional code", and the
7th characters of injury and other chapters. A note on a header holds for every code beneath.
This module gathers them for one code and reads the code references inside the note text
("gestational diabetes (O24.4-)", "(E00-E07, E15-E16)") so that the claim edits can match them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from medsheets.codes import icd10
from medsheets.codes.icd10index import Tree
from medsheets.identifiers import dotted_icd10, normalize_icd10

CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?"
RANGE = re.compile(rf"^({CODE})\s*-\s*({CODE})$")
SINGLE = re.compile(rf"^({CODE})(?:\.?-)?$")
PARENTHESES = re.compile(r"\(([^()]*)\)")
CODED_HEADERS = frozenset("CSX")  # categories, subcategories, codes with a 7th character
MANIFESTATION_WORDS = ("classified elsewhere",)
# Words that make a "use additional code" note depend on what the record documents (an agent,
# an exposure, a history, a drug therapy), so that the absence of the code alone says nothing.
# "control using" is diabetes' note: no Z79 code when diet alone controls it (guideline
# I.C.4.a.3).
OPTIONAL_WORDS = ("if applicable", "if known", "if desired", "when specified", "any ",
                  "associated", "exposure", "history of", "infectious agent", "control using")
SEVENTH_MEANINGS = {
    "A": "initial encounter: the patient is receiving active treatment",
    "D": "subsequent encounter: routine care during healing or recovery, after active treatment",
    "S": "sequela: a complication or condition that arises as a direct result of the injury",
}


class CodeRange(NamedTuple):
    """Codes from `low` to `high` (without the dot); a single reference has low == high and
    includes every code beneath it (E08 covers E08.00 ... E08.9)."""

    low: str
    high: str

    def holds(self, code: str) -> bool:
        return self.low <= code[:len(self.low)] and code[:len(self.high)] <= self.high

    def __str__(self) -> str:
        if self.low == self.high:
            return dotted_icd10(self.low)
        return f"{dotted_icd10(self.low)}-{dotted_icd10(self.high)}"


class Note(NamedTuple):
    """One instruction, the header it is written under (dotted), the codes it names, and
    whether that header is a code (a category or below) rather than a chapter or block."""

    text: str
    under: str
    codes: tuple[CodeRange, ...]
    coded: bool


@dataclass(frozen=True)
class Entry:
    """A code's tabular entry in plain terms (codes dotted, notes with the header they sit on)."""

    code: str
    description: str
    billable: bool
    path: tuple[tuple[str, str], ...]  # (name, description) from the chapter down to the parent
    excludes1: tuple[Note, ...]
    excludes2: tuple[Note, ...]
    code_first: tuple[Note, ...]
    use_additional: tuple[Note, ...]
    code_also: tuple[Note, ...]
    inclusion_terms: tuple[str, ...]
    seventh: tuple[tuple[str, str], ...]  # (character, meaning) when the code needs a 7th
    seventh_note: str

    @property
    def manifestation(self) -> bool:
        """A code the tabular says to list after its underlying disease ("code first")."""
        titles = (self.description, *(d for _, d in self.path[-3:]))
        named = any(w in t.lower() for t in titles for w in MANIFESTATION_WORDS)
        return bool(self.code_first) and named


@lru_cache(maxsize=16384)  # a note is read for every code beneath its header
def code_ranges(text: str) -> tuple[CodeRange, ...]:
    """The codes a note names in parentheses: '(E08.-)', '(O24.4-)', '(E00-E07, E15-E16)'."""
    found: list[CodeRange] = []
    for group in PARENTHESES.findall(text):
        for token in group.split(","):
            token = token.strip()
            pair = RANGE.match(token)
            if pair:
                found.append(CodeRange(normalize_icd10(pair[1]), normalize_icd10(pair[2])))
                continue
            single = SINGLE.match(token)
            if single:
                plain = normalize_icd10(single[1])
                found.append(CodeRange(plain, plain))
    return tuple(found)


@lru_cache(maxsize=8192)
def entry(code: str) -> Entry | None:
    """The tabular entry of a code in the shipped release, None when the code is not in it."""
    plain = normalize_icd10(code)
    if icd10.status(plain) is icd10.DxStatus.UNKNOWN:
        return None
    tree = icd10.shipped().tree
    at = tree.index_of[plain]
    chain = (at, *tree.ancestors(at))

    def notes(name: str, nearest_only: bool) -> tuple[Note, ...]:
        gathered: list[Note] = []
        for position in chain:
            value = tree.notes.get(position, {}).get(name)
            if not value:
                continue
            under, coded = written_under(tree, position)
            gathered.extend(Note(t, under, code_ranges(t), coded) for t in note_lines(value))
            if nearest_only:
                break
        return tuple(gathered)

    seventh = tree.inherited(at, "seven_chr_def") if not icd10.shipped().is_billable(plain) \
        else {}
    needs_seventh = bool(seventh) and all(tree.types[c] == "X" for c in tree.children(at)) \
        and bool(tree.children(at))
    return Entry(
        code=dotted_icd10(plain),
        description=tree.description(at),
        billable=icd10.shipped().is_billable(plain),
        path=tuple((tree.names[p], tree.description(p)) for p in reversed(chain[1:])),
        excludes1=notes("excludes1", nearest_only=False),
        excludes2=notes("excludes2", nearest_only=False),
        code_first=notes("code_first", nearest_only=True),
        use_additional=notes("use_additional_code", nearest_only=True),
        code_also=notes("code_also", nearest_only=True),
        inclusion_terms=tuple(tree.notes.get(at, {}).get("inclusion_term", ())),
        seventh=tuple((tree.names[c][-1], seventh_words(seventh, tree.names[c][-1]))
                      for c in tree.children(at)) if needs_seventh else (),
        seventh_note=tree.inherited(at, "seven_chr_note") if needs_seventh else "",
    )


def note_lines(value: str | list[str]) -> list[str]:
    """A note's instructions: the release gives one as a string, several as a list."""
    return value if isinstance(value, list) else [value]


def written_under(tree: Tree, position: int) -> tuple[str, bool]:
    """The header a note is written under, as people read it (E11.6, or a block's A00-A09),
    and whether that header is a code (a category or below) rather than a chapter or block."""
    coded = tree.types[position] in CODED_HEADERS
    return (dotted_icd10(tree.names[position]) if coded else tree.names[position]), coded


def seventh_words(definitions: dict[str, str], character: str) -> str:
    """The tabular's words for a 7th character on one line ("initial encounter for closed
    fracture"), from the inherited 7th-character definitions."""
    return " / ".join(" ".join(part.split()) for part in definitions.get(character, "").split("/"))


def seventh_meaning(character: str, tabular_words: str) -> str:
    """The tabular's words for a 7th character, with what A, D and S mean in practice."""
    explained = SEVENTH_MEANINGS.get(character)
    return f"{tabular_words} ({explained.split(': ', 1)[1]})" if explained else tabular_words


def is_optional(note: Note) -> bool:
    """A "use additional code" note the tabular itself makes conditional ("if applicable")."""
    lowered = note.text.lower()
    return any(word in lowered for word in OPTIONAL_WORDS)
