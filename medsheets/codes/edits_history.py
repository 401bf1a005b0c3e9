"""The edit against what the ledger already billed: the same visit typed again on a later day.

Within one workbook a repeated line is caught by `edits_sameday.check_duplicates`. A visit
typed again under a new encounter id in another day's workbook would otherwise be billed a
second time, since the claims command recognises a re-run only by its encounter id. So every
line is compared with the lines already billed for the same patient on the same date: the same
code with the same modifiers under another encounter id is an error at its procedure_code cell
naming the earlier claim. A real second service says so with a modifier (76/77 repeat
procedure, 59 distinct service), which makes the line different.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from medsheets.codes.edits_sameday import DayKey
from medsheets.model import BilledLine, Problem, ServiceLine, error

BilledBefore = Callable[[Iterable[DayKey]], Mapping[DayKey, Sequence[BilledLine]]]


def check_billed_before(days: Mapping[DayKey, list[ServiceLine]], billed_before: BilledBefore | None) -> list[Problem]:
    """Each line that repeats a line billed under another encounter id, at its procedure_code."""
    if billed_before is None or not days:
        return []
    billed = billed_before(days.keys())
    found: list[Problem] = []
    for key, day_lines in days.items():
        earlier = billed.get(key)
        if not earlier:
            continue
        for line in day_lines:
            same = next((b for b in earlier if b.encounter_id != line.encounter_id
                         and b.procedure_code == line.procedure_code
                         and b.modifiers == frozenset(line.modifiers)), None)
            if same is not None:
                found.append(billed_again(line, same.encounter_id))
    return found


def billed_again(line: ServiceLine, earlier_claim: str) -> Problem:
    """The error for a line that repeats one of claim `earlier_claim`, at its procedure_code."""
    return error(line.origin.at("procedure_code"), "MS-DUPLICATE-BILLED",
                 f"{line.procedure_code} for this patient on {line.date_of_service} is already on "
                 f"claim {earlier_claim}; delete the line if it is the same visit typed again "
                 "(fine if it is a second service: add modifier 76/77 or 59)")
