"""X12 service type codes (EQ01 on a 270, EB03 on a 271): which ones a planned service asks about.

Every inquiry asks about 30 (the health benefit plan as a whole: is the patient covered at
all); each planned procedure adds the service type payers answer its benefits under, so that
the 271 carries the copay of an office visit (98) or the coinsurance of lab work (5) rather
than only the plan's general terms. The words are the code list's own, shortened, for the
estimate workbook and the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

PLAN_COVERAGE = "30"

NAMES = {
    "1": "medical care",
    "2": "surgical",
    "4": "diagnostic X-ray",
    "5": "diagnostic lab",
    "30": "health benefit plan coverage",
    "73": "diagnostic medical",
    "80": "immunizations",
    "81": "routine physical",
    "86": "emergency services",
    "98": "professional (physician) visit, office",
    "AL": "vision (optometry)",
    "BZ": "physician visit, office: well",
    "MH": "mental health",
    "UC": "urgent care",
}

# (first, last, service type) over five-digit numeric CPT codes; the first range that holds a
# code wins, so the narrow ranges come before the broad ones.
CPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (99202, 99215, "98"),  # office or other outpatient visits, new and established
    (99381, 99397, "BZ"),  # preventive medicine visits
    (90460, 90474, "80"),  # immunization administration
    (90476, 90759, "80"),  # vaccines and toxoids
    (90785, 90899, "MH"),  # psychiatry
    (93000, 93010, "73"),  # electrocardiograms
    (80000, 89999, "5"),  # pathology and laboratory
    (70000, 79999, "4"),  # radiology
    (10004, 69990, "2"),  # surgery
)


def service_type(procedure_code: str | None) -> str | None:
    """The service type payers answer `procedure_code`'s benefits under; None when only the
    plan's general terms (30) apply (HCPCS codes, codes outside the ranges above)."""
    if not procedure_code or len(procedure_code) != 5 or not procedure_code.isdigit():
        return None
    number = int(procedure_code)
    for first, last, code in CPT_RANGES:
        if first <= number <= last:
            return code
    return None


def service_types(procedure_codes: Iterable[str | None]) -> tuple[str, ...]:
    """30 first, then each planned service's type once, in the order the services are listed."""
    found: dict[str, None] = {PLAN_COVERAGE: None}
    for code in procedure_codes:
        kind = service_type(code)
        if kind is not None:
            found.setdefault(kind, None)
    return tuple(found)


def describe(code: str) -> str:
    return NAMES.get(code, f"service type {code}")
