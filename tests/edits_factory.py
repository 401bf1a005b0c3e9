"""Service lines and code sets for the edit tests, built in memory: clean unless told otherwise.

`line(**changes)` gives a line that passes every edit; each test changes the one thing it is
about. `cell(field, row)` is where a problem about that field must point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from medsheets.codes.scrub import ScrubResult, scrub
from medsheets.model import (
    CodeSets,
    NcciEdit,
    Origin,
    PatientProfile,
    Payer,
    Person,
    Problem,
    Procedure,
    Provider,
    ServiceLine,
    Severity,
    column_letter,
)
from medsheets.workbook.encounters import ENCOUNTER_COLUMNS

TODAY = dt.date(2026, 11, 27)
DAY = dt.date(2026, 11, 20)
FILE, SHEET = "day.xlsx", "Encounters"
COLUMNS = {column.name: column_letter(i) for i, column in enumerate(ENCOUNTER_COLUMNS)}
VALID_NPI = "1234567893"

PATIENT = Person("Doe", "Jane", dt.date(1980, 5, 1), "F", "1 Main St", "Springfield", "IL", "62701")
PERSON_FIELDS = ("last_name", "first_name", "dob", "sex", "address", "city", "state", "zip")


def cell(field: str, row: int = 2) -> str:
    return f"{COLUMNS[field]}{row}"


def line(row: int = 2, **changes: Any) -> ServiceLine:
    """A clean insured line on DAY; `patient_<field>=` changes the patient, others the line."""
    patient_changes = {k[len("patient_"):]: changes.pop(k) for k in list(changes)
                       if k.startswith("patient_") and k[len("patient_"):] in PERSON_FIELDS}
    base = ServiceLine(
        origin=Origin(FILE, SHEET, row, COLUMNS),
        encounter_id="E1", date_of_service=DAY, patient_id="P1",
        patient=replace(PATIENT, **patient_changes),
        patient_email=None, patient_phone=None,
        payer_id="AETNA", member_id="W123456789", group_number=None,
        subscriber_relationship="self", subscriber=None,
        procedure_code="99213", modifiers=(), units=1, charge=None, diagnoses=("I10",),
        place_of_service=None, rendering_npi=VALID_NPI, referring_npi=None, referring_name=None,
        prior_auth=None, copay_collected=None,
    )
    return replace(base, **changes)


def codesets(**changes: Any) -> CodeSets:
    """A small fee schedule with real codes and two real NCCI pairs."""
    procedures = {
        p.code: p for p in (
            Procedure("99213", "Office visit, established, low", Decimal("100.00"), "CPT",
                      max_units=1),
            Procedure("99214", "Office visit, established, moderate", Decimal("150.00"), "CPT"),
            Procedure("36415", "Venipuncture", Decimal("12.00"), "CPT", max_units=3),
            Procedure("93000", "ECG with interpretation", Decimal("40.00"), "CPT"),
            Procedure("93010", "ECG interpretation only", Decimal("15.00"), "CPT"),
            Procedure("97530", "Therapeutic activities", Decimal("45.00"), "CPT"),
            Procedure("97140", "Manual therapy", Decimal("40.00"), "CPT"),
            Procedure("3074F", "Systolic BP < 130", Decimal("0.00"), "CPT"),
            Procedure("G0102", "Prostate cancer screening, exam", Decimal("30.00"), "HCPCS",
                      sex="M"),
            Procedure("99381", "Preventive visit, new, infant", Decimal("120.00"), "CPT",
                      max_age=0),
            Procedure("99201", "Office visit, new (deleted 2021)", Decimal("60.00"), "CPT",
                      terminated=dt.date(2020, 12, 31)),
        )
    }
    base = CodeSets(
        procedures=procedures,
        modifiers={m: "" for m in ("25", "59", "XE", "XS", "XP", "XU", "76", "91", "LT", "RT")},
        payers={
            "AETNA": Payer("AETNA", "Aetna", "CI", timely_filing_days=90),
            "MCR": Payer("MCR", "Medicare", "MB", timely_filing_days=365),
        },
        edits=(
            NcciEdit("93000", "93010", modifier_allowed=False),
            NcciEdit("97530", "97140", modifier_allowed=True),
        ),
        providers={VALID_NPI: Provider(VALID_NPI, "Park", "Helen", "207Q00000X")},
    )
    return replace(base, **changes)


def run(lines: ServiceLine | Sequence[ServiceLine], sets: CodeSets | None = None,
        profiles: Mapping[str, PatientProfile] | None = None,
        read_problems: Sequence[Problem] = ()) -> ScrubResult:
    if isinstance(lines, ServiceLine):
        lines = [lines]
    return scrub(lines, sets or codesets(), as_of=TODAY, default_place_of_service="11",
                 profiles=profiles or {}, read_problems=read_problems)


def problems(lines: ServiceLine | Sequence[ServiceLine], sets: CodeSets | None = None,
             **kwargs: Any) -> list[Problem]:
    return list(run(lines, sets, **kwargs).problems)


def only(found: Sequence[Problem]) -> Problem:
    """The one problem found; fails with the list when there are none or several."""
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def assert_problem(found: Sequence[Problem], code: str, field: str, row: int = 2,
                   severity: Severity = Severity.ERROR) -> Problem:
    """Exactly one problem, with this code, severity and cell."""
    problem = only(found)
    assert (problem.code, problem.severity, problem.source.cell) == (code, severity,
                                                                      cell(field, row))
    return problem
