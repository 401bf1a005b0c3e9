"""Same-day visit edits: an office visit billed on the day of a procedure or a preventive visit.

A procedure's fee includes the usual visit that goes with it for its global period (the
Procedures sheet's `global_days`: 0 or 10 for a minor procedure, 90 for a major one). A visit
billed for the same patient on the same day is paid apart only with a modifier that says it
was something more: 25 (a significant, separately identifiable visit) beside a minor
procedure, 57 (the visit where the decision to operate was made) before a major one. Payers
deny the visit without it (CO-97, N20: "paid as part of another service"), the most common
denial a family practice sees, so these are errors at the visit's modifier cell.

A preventive visit (99381–99397, or Medicare's G0438/G0439) billed with a problem-oriented
visit the same day works the same way: the problem visit needs modifier 25.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from medsheets.codes.edits_sameday import DayKey
from medsheets.model import Problem, Procedure, ServiceLine, error

MINOR_GLOBALS = frozenset({0, 10})
MAJOR_GLOBAL = 90
PREVENTIVE_CODES = frozenset({*(str(c) for c in range(99381, 99388)),
                              *(str(c) for c in range(99391, 99398)), "G0438", "G0439"})


@lru_cache(maxsize=4096)  # asked of every line; a day bills a few hundred codes
def is_visit(code: str | None) -> bool:
    """An evaluation and management service (99202–99499) that is not a preventive visit."""
    return (code is not None and code.isdigit() and 99202 <= int(code) <= 99499
            and code not in PREVENTIVE_CODES)


def check_same_day_visits(days: Mapping[DayKey, list[ServiceLine]],
                          procedures: Mapping[str, Procedure]) -> list[Problem]:
    """Every visit billed beside a procedure or a preventive visit without the modifier."""
    found: list[Problem] = []
    for day_lines in days.values():
        visits = [line for line in day_lines if is_visit(line.procedure_code)]
        if not visits or len(day_lines) < 2:
            continue
        major, minor = _procedures_of_the_day(day_lines, procedures)
        preventive = next((line.procedure_code for line in day_lines
                           if line.procedure_code in PREVENTIVE_CODES), None)
        for visit in visits:
            problem = (_needs(visit, "57", major, "a 90-day global procedure", "MS-EM-MOD57",
                              "the visit where the decision to operate was made")
                       or _needs(visit, "25", minor, "a procedure with a 0 or 10-day global "
                                 "period", "MS-EM-MOD25", "a significant, separately "
                                 "identifiable visit beyond the procedure")
                       or _needs(visit, "25", preventive, "the preventive visit",
                                 "MS-EM-PREVENTIVE-MOD25", "a problem treated apart from the "
                                 "preventive care"))
            if problem is not None:
                found.append(problem)
    return found


def _procedures_of_the_day(day_lines: list[ServiceLine],
                           procedures: Mapping[str, Procedure]) -> tuple[str | None, str | None]:
    """The first major and the first minor global-period procedure billed that day."""
    major = minor = None
    for line in day_lines:
        known = procedures.get(line.procedure_code or "")
        if known is None or known.global_days is None:
            continue
        if known.global_days == MAJOR_GLOBAL and major is None:
            major = known.code
        elif known.global_days in MINOR_GLOBALS and minor is None:
            minor = known.code
    return major, minor


def _needs(visit: ServiceLine, modifier: str, beside: str | None, what: str, code: str,
           meaning: str) -> Problem | None:
    if beside is None or modifier in visit.modifiers:
        return None
    return error(visit.origin.at("modifier1"), code,
                 f"{visit.procedure_code} is billed on {visit.date_of_service} beside {beside} "
                 f"({what}) for the same patient, without modifier {modifier}; the payer pays "
                 f"the visit as part of {beside} (CO-97). Add modifier {modifier} if it was "
                 f"{meaning}, or remove the visit")
