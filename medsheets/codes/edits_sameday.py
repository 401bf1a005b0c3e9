"""Edits across the lines of one patient on one day, whatever encounter they are in.

NCCI procedure-to-procedure edits (the Edits sheet) say a column 2 code is paid as part of its
column 1 code when both are billed for the patient on the same day; it may be billed apart only
with a modifier that shows a distinct service (59, XE, XS, XP, XU), and not even then when the
pair's modifier_allowed is 0. A line repeated with the same code and modifiers is billed twice.

The Edits sheet may hold many thousands of pairs, so they are indexed by column 1 once, and
each day's distinct codes are looked up in the index, never the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from medsheets.codes.edits import NCCI_BYPASS_MODIFIERS
from medsheets.model import NcciEdit, Problem, ServiceLine, error

DayKey = tuple[str, dt.date]  # (patient_id, date_of_service)
NcciIndex = Mapping[str, tuple[NcciEdit, ...]]


def index_ncci(edits: Sequence[NcciEdit]) -> NcciIndex:
    """The pairs by their column 1 code (a pair of a code with itself means nothing: dropped)."""
    by_column1: dict[str, list[NcciEdit]] = defaultdict(list)
    for edit in edits:
        if edit.column1 != edit.column2:
            by_column1[edit.column1].append(edit)
    return {code: tuple(pairs) for code, pairs in by_column1.items()}


def lines_by_patient_day(lines: Sequence[ServiceLine]) -> dict[DayKey, list[ServiceLine]]:
    """Lines with a patient, a date and a code, grouped by patient and date of service."""
    days: dict[DayKey, list[ServiceLine]] = defaultdict(list)
    for line in lines:
        if line.patient_id is not None and line.date_of_service is not None and line.procedure_code:
            days[(line.patient_id, line.date_of_service)].append(line)
    return days


def check_ncci(days: Mapping[DayKey, list[ServiceLine]], index: NcciIndex) -> list[Problem]:
    """Each column 2 line billed with its column 1 code without an allowed modifier."""
    found: list[Problem] = []
    if not index:
        return found
    for (_, day), day_lines in days.items():
        if len(day_lines) < 2:
            continue
        codes = {line.procedure_code or "" for line in day_lines}
        for column1 in codes & index.keys():
            for edit in index[column1]:
                if edit.column2 in codes and edit.applies_on(day):
                    found.extend(_bundled(edit, day_lines))
    return found


def _bundled(edit: NcciEdit, day_lines: list[ServiceLine]) -> list[Problem]:
    found = []
    for line in day_lines:
        if line.procedure_code != edit.column2:
            continue
        if edit.modifier_allowed and NCCI_BYPASS_MODIFIERS.intersection(line.modifiers):
            continue
        if edit.modifier_allowed:
            fix = ("add modifier 59 (or XE, XS, XP, XU) if it was a distinct service, "
                   "or remove the line")
        else:
            fix = "no modifier allows it; remove the line"
        found.append(error(line.origin.at("procedure_code"), "MS-NCCI",
                           f"{edit.column2} is bundled into {edit.column1} billed for the same "
                           f"patient on {line.date_of_service}; {fix}"))
    return found


def check_duplicates(days: Mapping[DayKey, list[ServiceLine]]) -> list[Problem]:
    """A second line with the same patient, date, code and modifiers as an earlier one."""
    found: list[Problem] = []
    for day_lines in days.values():
        if len(day_lines) < 2:
            continue
        first_row: dict[tuple[str | None, frozenset[str]], ServiceLine] = {}
        for line in day_lines:
            key = (line.procedure_code, frozenset(line.modifiers))
            earlier = first_row.setdefault(key, line)
            if earlier is not line:
                found.append(error(line.origin.at("procedure_code"), "MS-DUPLICATE-LINE",
                                   f"{line.procedure_code} for the same patient on "
                                   f"{line.date_of_service} repeats {_where(earlier, line)}; "
                                   "delete it, put the count in units of the first, or add a "
                                   "repeat modifier (76, 91) if it was done again"))
    return found


def _where(earlier: ServiceLine, line: ServiceLine) -> str:
    if earlier.origin.file == line.origin.file:
        return f"row {earlier.origin.row}"
    return f"{earlier.origin.file} row {earlier.origin.row}"
