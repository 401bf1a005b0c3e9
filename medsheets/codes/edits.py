"""What every edit (claim-scrubber check) shares: its inputs, its result, its shape.

An edit is a small pure function. A line edit looks at one priced `ServiceLine` and returns the
problems it finds (an empty tuple when the line is clean, which costs nothing to build); a claim
edit looks at one `Encounter`; a same-day edit looks at all lines of one patient on one day.
`medsheets.codes.scrub` runs them all and sorts what they find.

Problem codes are stable (``MS-DX-HEADER``); messages say what to change and never carry a
patient's name or birth date (codes, IDs and dates of service are fine).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from medsheets.codes.releases import SHIPPED_ONLY, Releases
from medsheets.model import CodeSets, Encounter, Problem, ServiceLine

NO_PROBLEMS: tuple[Problem, ...] = ()

# The modifiers CMS's NCCI policy lets a PTP pair through with when the services were really
# distinct: 59 and its X{EPSU} subsets, the global-surgery modifiers (24, 25, 57, 58, 78, 79),
# 27, 91, and the anatomic ones (sides, eyelids, fingers, toes, coronary arteries).
NCCI_BYPASS_MODIFIERS = frozenset(
    "59 XE XS XP XU 24 25 57 58 78 79 27 91 LT RT E1 E2 E3 E4 FA F1 F2 F3 F4 F5 F6 F7 F8 F9 "
    "TA T1 T2 T3 T4 T5 T6 T7 T8 T9 LC LD LM RC RI".split()
)

RELATIONSHIPS = frozenset({"self", "spouse", "child", "other"})


@dataclass(frozen=True)
class EditContext:
    """What a line edit may consult besides the line: the code sets, the day of the run
    (`as_of` is given, never read from the clock, so that a check is reproducible) and the
    ICD-10-CM releases by fiscal year (the one in force on each line's date is used)."""

    codesets: CodeSets
    as_of: dt.date
    releases: Releases = SHIPPED_ONLY


Found = Sequence[Problem]  # what an edit returns: NO_PROBLEMS when all is well
LineEdit = Callable[[ServiceLine, EditContext], Found]
ClaimEdit = Callable[[Encounter], Found]
