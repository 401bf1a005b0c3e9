"""Claim edits from the ICD-10-CM tabular's own instructions: what payers and auditors apply.

- MS-DX-EXCLUDES1 (error): two codes on one claim where one sits in the other's Excludes1
  note ("NOT CODED HERE": the two conditions cannot be reported together).
- MS-DX-CODE-FIRST (error): a manifestation code ("code first underlying disease", titled
  "... in diseases classified elsewhere") as the claim's first-listed diagnosis.
- MS-DX-USE-ADDITIONAL (warning): a code whose "use additional code" note names codes of which
  none is on the claim (notes the tabular itself makes conditional, "if applicable", and notes
  on whole chapters and blocks are left to the coder).

The 7th-character rule is a line edit (`edits_diagnoses`): a code missing it is not billable.
Each problem sits at the cell of the diagnosis to change and quotes the note. The notes come
from the index's precomputed rules (`claim_rules`), not the whole tabular tree.
"""

from __future__ import annotations

from functools import lru_cache

from medsheets.codes import claim_rules, tabular
from medsheets.codes.claim_rules import ClaimRules
from medsheets.codes.edits import NO_PROBLEMS, Found
from medsheets.codes.edits_diagnoses import dx_field
from medsheets.identifiers import dotted_icd10
from medsheets.model import Encounter, Source, error, warning


def _entries(codes: tuple[str, ...]) -> list[tuple[str, ClaimRules]]:
    found = []
    for code in codes:
        entry = claim_rules.rules(code)
        if entry is not None:
            found.append((code, entry))
    return found


def _cell(encounter: Encounter, code: str) -> Source:
    """The first cell on the claim that carries the code."""
    for line in encounter.lines:
        if code in line.diagnoses:
            return line.origin.at(dx_field(line.diagnoses.index(code) + 1))
    return encounter.first.origin.at("dx1")


def check_excludes1(encounter: Encounter) -> Found:
    """No two codes of the claim where one is in the other's Excludes1 note."""
    findings = _excludes1_findings(encounter.diagnoses)
    if not findings:
        return NO_PROBLEMS
    return [error(_cell(encounter, code), "MS-DX-EXCLUDES1", message) for code, message in findings]


@lru_cache(maxsize=65536)
def _excludes1_findings(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(the code at whose cell, the message) for each excluded pair among `codes`: a claim's
    verdict depends on its diagnoses alone, and a day repeats the same few sets on many claims."""
    entries = _entries(codes)
    if len(entries) < 2:
        return ()
    found: list[tuple[str, str]] = []
    reported: set[frozenset[str]] = set()
    for code, entry in entries:
        if not entry.excludes1:
            continue  # excludes nothing (another code of the claim may still exclude it)
        for other, _ in entries:
            if other == code or (reported and frozenset((code, other)) in reported):
                continue
            note = _excluding(code, other)
            if note is None:
                continue
            reported.add(frozenset((code, other)))
            later = max(code, other, key=codes.index)
            message = (f"{dotted_icd10(code)} and {dotted_icd10(other)} cannot be on one claim: the "
                       f"Excludes1 note at {note.under} says \"{note.text}\" (NOT CODED HERE); keep "
                       "the code the record supports and remove the other")
            found.append((later, message))
    return tuple(found)


@lru_cache(maxsize=65536)
def _excluding(code: str, other: str) -> tabular.Note | None:
    """The Excludes1 note of `code` that names `other` (and not `code` itself), if any: once
    per pair of codes, since a day repeats the same pairs on many claims."""
    entry = claim_rules.rules(code)
    if entry is None:
        return None
    for note in entry.excludes1:
        for codes in note.codes:
            if codes.holds(other) and not codes.holds(code):
                return note
    return None


def check_code_first(encounter: Encounter) -> Found:
    """The first-listed diagnosis is not a manifestation code ("code first" the disease)."""
    if not encounter.diagnoses:
        return NO_PROBLEMS
    first = encounter.diagnoses[0]
    entry = claim_rules.rules(first)
    if entry is None or not entry.manifestation:
        return NO_PROBLEMS
    note = entry.code_first[0]
    instruction = " ".join(note.text.split())
    return [error(_cell(encounter, first), "MS-DX-CODE-FIRST",
                  f"{entry.code} ({entry.manifestation}) is a manifestation and cannot be listed "
                  f"first: the tabular says \"code first {instruction}\"; put the underlying "
                  f"condition in dx1 and {entry.code} after it")]


def check_use_additional(encounter: Encounter) -> Found:
    """Each "use additional code" note of a code is answered by a code it names on the claim."""
    findings = _use_additional_findings(encounter.diagnoses)
    if not findings:
        return NO_PROBLEMS
    return [warning(_cell(encounter, code), "MS-DX-USE-ADDITIONAL", message)
            for code, message in findings]


@lru_cache(maxsize=65536)
def _use_additional_findings(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(the code at whose cell, the message) for each unanswered note: once per set of codes."""
    found: list[tuple[str, str]] = []
    for code in codes:
        for note, message in _notes_to_answer(code):
            if any(named.holds(c) for named in note.codes for c in codes if c != code):
                continue
            found.append((code, message))
    return tuple(found)


@lru_cache(maxsize=65536)
def _notes_to_answer(code: str) -> tuple[tuple[tabular.Note, str], ...]:
    """The code's "use additional code" notes another code of the claim must answer, each with
    its message: once per code, since a day's sets of codes are many but its codes few."""
    entry = claim_rules.rules(code)
    if entry is None or not entry.billable:
        return ()  # unknown, or reported as not billable: its notes wait for the right code
    return tuple(
        (note, (f"{entry.code}: the tabular says \"use additional {_instruction(note)}\" and "
                f"no code of {', '.join(dict.fromkeys(str(r) for r in note.codes))} is on the "
                "claim; add the one the record supports"))
        for note in entry.use_additional
        if note.coded and note.codes and not tabular.is_optional(note))


def _instruction(note: tabular.Note) -> str:
    """The note's words on one line, after "use additional": "code to identify ..."."""
    text = " ".join(note.text.split())
    return text if text.lower().startswith("code") else f"code {text}"
