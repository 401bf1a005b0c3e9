"""The example visits laid out as encounter-workbook rows (docs/workbooks.md), for given calendar days.

Pure: visits and days in, row dictionaries keyed by medsheets' column names out. The dates
are the only input that varies, so `medsheets init` can date its example to the last two
weekdays while the committed example keeps fixed dates, and both come from the same code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from medsheets.example.fees import PROCEDURES
from medsheets.example.people import PATIENTS, SUBSCRIBERS, Patient, born
from medsheets.example.visits import DAYS, REFERRING, Visit
from medsheets.workbook.encounters import (
    APPOINTMENT_COLUMNS,
    ENCOUNTER_COLUMNS,
    PATIENT_COLUMNS,
    TERTIARY_COLUMNS,
)
from medsheets.workbook.table import Column


def _shown(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The example's (and `init`'s) workbooks leave out the tertiary columns: no example
    patient has three plans, and an office that has one adds them (docs/secondary-insurance.md)."""
    return tuple(c for c in columns if c.name not in TERTIARY_COLUMNS)


EXAMPLE_ENCOUNTER_COLUMNS = _shown(ENCOUNTER_COLUMNS)
EXAMPLE_PATIENT_COLUMNS = _shown(PATIENT_COLUMNS)
EXAMPLE_APPOINTMENT_COLUMNS = _shown(APPOINTMENT_COLUMNS)
ENCOUNTER_HEADERS: tuple[str, ...] = tuple(c.name for c in EXAMPLE_ENCOUNTER_COLUMNS)
PATIENT_HEADERS: tuple[str, ...] = tuple(c.name for c in EXAMPLE_PATIENT_COLUMNS)
FEES: dict[str, Decimal] = {fee.code: fee.fee for fee in PROCEDURES}

Row = dict[str, Any]


def encounter_id(day: dt.date, number: int) -> str:
    """The claim's patient control number: E, the date as yymmdd, the visit's number that day."""
    return f"E{day:%y%m%d}-{number:02d}"


def returning_patients() -> frozenset[str]:
    """Patients seen on both days: the second day's rows take their details from Patients."""
    first, second = ({v.patient_id for v in visits} for visits in DAYS)
    return frozenset(first & second)


def patient_fields(patient: Patient, first_day: dt.date) -> Row:
    """The patient's demographic and contact columns."""
    return {
        "patient_id": patient.patient_id,
        "patient_last_name": patient.last_name,
        "patient_first_name": patient.first_name,
        "patient_dob": born(first_day, patient.age, patient.days_past_birthday),
        "patient_sex": patient.sex,
        "patient_address": patient.address,
        "patient_city": patient.city,
        "patient_state": patient.state,
        "patient_zip": patient.zip,
        "patient_email": patient.email,
        "patient_phone": patient.phone,
    }


def insurance_fields(patient: Patient, first_day: dt.date) -> Row:
    """Payer, member and subscriber columns; all blank for a self-pay patient."""
    if not patient.payer_id:
        return {}
    fields: Row = {
        "payer_id": patient.payer_id,
        "member_id": patient.member_id,
        "group_number": patient.group_number,
        "subscriber_relationship": "child" if patient.subscriber else "self",
    }
    if patient.subscriber:
        holder = SUBSCRIBERS[patient.subscriber]
        fields.update(
            subscriber_last_name=holder.last_name,
            subscriber_first_name=holder.first_name,
            subscriber_dob=born(first_day, holder.age, holder.days_past_birthday),
            subscriber_sex=holder.sex,
        )
    if patient.secondary:
        fields["secondary_payer_id"], fields["secondary_member_id"] = patient.secondary
    return fields


def visit_rows(visit: Visit, eid: str, day: dt.date, first_day: dt.date,
               demographics: bool) -> list[Row]:
    """One row per service line of a visit; the copay goes on its first line only."""
    patient = PATIENTS[visit.patient_id]
    shared: Row = {"encounter_id": eid, "date_of_service": day}
    shared.update(patient_fields(patient, first_day) if demographics
                  else {"patient_id": patient.patient_id})
    shared.update(insurance_fields(patient, first_day))
    shared["rendering_npi"] = visit.rendering_npi
    if visit.referred:
        shared["referring_npi"], shared["referring_name"] = REFERRING
    rows = []
    for index, line in enumerate(visit.lines):
        row = dict(shared)
        row["procedure_code"] = line.code
        row.update({f"modifier{i}": m for i, m in enumerate(line.modifiers, start=1)})
        row.update({f"dx{i}": code for i, code in enumerate(line.dx, start=1)})
        row["units"] = line.units
        if line.charge_typed:
            row["charge"] = FEES[line.code] * line.units
        if index == 0:
            row["copay_collected"] = visit.copay
            row["prior_auth"] = visit.prior_auth
        rows.append(row)
    return rows


def day_rows(day_index: int, days: tuple[dt.date, dt.date]) -> list[Row]:
    """Every service line of the first (0) or second (1) example day, dated `days[day_index]`."""
    day, first_day = days[day_index], days[0]
    skip_details = returning_patients() if day_index == 1 else frozenset()
    rows: list[Row] = []
    for number, visit in enumerate(DAYS[day_index], start=1):
        eid = encounter_id(day, number)
        rows.extend(visit_rows(visit, eid, day, first_day, visit.patient_id not in skip_details))
    return rows


def patients_sheet_rows(first_day: dt.date) -> list[Row]:
    """The second day's Patients sheet: the returning patients' details, by account number."""
    returning = returning_patients()
    ordered = [v.patient_id for v in DAYS[1] if v.patient_id in returning]
    return [patient_fields(PATIENTS[pid], first_day) for pid in ordered]
