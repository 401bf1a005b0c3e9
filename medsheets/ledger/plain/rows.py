"""Ledger rows turned into the objects features use, shared by both read paths.

The SQLAlchemy path (profiles.py, eligibility.py) and the plain one (read.py) hand these the
rows of the same statements, so a returning patient looks the same whichever read them.
Rows are anything with the columns as attributes (SQLAlchemy's Row, or a namedtuple).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from medsheets.model import BilledLine, Coverage, Guarantor, PatientProfile, Person

PERSON_COLUMNS = tuple(f.name for f in fields(Person))
GUARANTOR_COLUMNS = tuple(f"guarantor_{f.name}" for f in fields(Guarantor))


@dataclass(frozen=True, slots=True)
class BenefitsRow:
    """A payer's answer about one person, as recorded (detail: see benefits.records)."""

    id: int
    patient_id: str | None
    payer_id: str | None
    member_id: str | None
    status: str
    plan_begin: dt.date | None
    plan_end: dt.date | None
    date_of_service: dt.date | None
    received_on: dt.date
    detail: Mapping[str, Any]


def profile_of(row: Any, covers: Mapping[str, Coverage]) -> PatientProfile:
    """A `patients` row and that patient's coverages (by payer) as a PatientProfile."""
    guarantor_values = [getattr(row, name) for name in GUARANTOR_COLUMNS]
    guarantor = Guarantor(*guarantor_values) if any(guarantor_values) else None
    return PatientProfile(Person(*(getattr(row, name) for name in PERSON_COLUMNS)),
                          row.email, row.phone, dict(covers), guarantor)


def coverage_of(row: Any) -> Coverage:
    """A `coverages` row as a Coverage (the subscriber only when not the patient)."""
    subscriber = None
    if row.subscriber_relationship != "self" or row.subscriber_last_name:
        subscriber = Person(row.subscriber_last_name, row.subscriber_first_name, row.subscriber_dob,
                            row.subscriber_sex)
    return Coverage(row.payer_id, row.member_id, row.group_number, row.subscriber_relationship,
                    subscriber, row.rank)


def billed_line_of(row: Any) -> BilledLine:
    """A row of profiles.billed_lines_statement() as a BilledLine."""
    return BilledLine(row.encounter_id, row.patient_id, row.date_of_service, row.procedure_code,
                      frozenset(m for m in row.modifiers.split(",") if m))


def benefits_row_of(row: Any) -> BenefitsRow:
    """A `benefit_responses` row as a BenefitsRow."""
    return BenefitsRow(row.id, row.patient_id, row.payer_id, row.member_id, row.status,
                       row.plan_begin, row.plan_end, row.date_of_service, row.received_on,
                       row.detail or {})


def profiles_of(patient_rows: Iterable[Any], coverage_rows: Iterable[Any]) -> dict[str, PatientProfile]:
    """The profiles of these `patients` rows, each with its `coverages` rows, by patient_id."""
    covers: dict[str, dict[str, Coverage]] = {}
    for row in coverage_rows:
        covers.setdefault(row.patient_id, {})[row.payer_id] = coverage_of(row)
    return {row.patient_id: profile_of(row, covers.get(row.patient_id, {})) for row in patient_rows}


def billed_on_days(days: Iterable[tuple[str, dt.date]], fetch: Callable[[list[str]], Iterable[Any]],
                   chunk: int) -> dict[tuple[str, dt.date], list[BilledLine]]:
    """The billed lines of each (patient_id, date_of_service) of `days`: `fetch` gives the
    billed-lines rows of a list of (at most `chunk`) patients."""
    wanted = set(days)
    patients_wanted = sorted({patient_id for patient_id, _ in wanted})
    found: dict[tuple[str, dt.date], list[BilledLine]] = {}
    for start in range(0, len(patients_wanted), chunk):
        for row in fetch(patients_wanted[start:start + chunk]):
            key = (row.patient_id, row.date_of_service)
            if key in wanted:
                found.setdefault(key, []).append(billed_line_of(row))
    return found


def latest_answers(rows: Iterable[Any]) -> dict[tuple[str, str], BenefitsRow]:
    """The last of these `benefit_responses` rows (in the order given) per (patient, payer)."""
    return {(row.patient_id, row.payer_id): benefits_row_of(row) for row in rows}
