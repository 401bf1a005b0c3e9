"""The daily encounter workbook (docs/workbooks.md) read into ServiceLine records.

Reading only: each row becomes a ServiceLine with typed values and its origin (built from the
sheet's columns: `line_columns`), and every cell that cannot be read becomes a Problem. Whether the codes are right is the edits' business
(`medsheets.codes.edits`); pricing from the fee schedule happens there too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from medsheets.model import Origin, Problem, ServiceLine, Source, error
from medsheets.quick_records import maker
from medsheets.workbook.headers import FRONT_DESK_HEADERS, in_users_words
from medsheets.workbook.line_columns import (
    GUARANTOR_FIELDS,
    PATIENT_DEMOGRAPHICS,
    Parts,
    diagnosis_gaps,
    fill_from_patients,
    service_lines,
)
from medsheets.workbook.table import Column, Table, Workbook

GUARANTOR_COLUMNS: tuple[Column, ...] = tuple(
    Column(f"guarantor_{name}", {"state": "code", "zip": "zip"}.get(name, "text"))
    for name in GUARANTOR_FIELDS)

ENCOUNTER_COLUMNS: tuple[Column, ...] = (
    Column("encounter_id", "text", required=True),
    Column("date_of_service", "date", required=True),
    Column("patient_id", "account", required=True),
    Column("patient_last_name", "text"),
    Column("patient_first_name", "text"),
    Column("patient_dob", "date"),
    Column("patient_sex", "code"),
    Column("patient_address", "text"),
    Column("patient_city", "text"),
    Column("patient_state", "code"),
    Column("patient_zip", "zip"),
    Column("patient_email", "text"),
    Column("patient_phone", "text"),
    Column("payer_id", "code"),
    Column("member_id", "id"),
    Column("group_number", "id"),
    Column("subscriber_relationship", "text"),
    Column("subscriber_last_name", "text"),
    Column("subscriber_first_name", "text"),
    Column("subscriber_dob", "date"),
    Column("subscriber_sex", "code"),
    Column("procedure_code", "procedure", required=True),
    Column("modifier1", "code"),
    Column("modifier2", "code"),
    Column("modifier3", "code"),
    Column("modifier4", "code"),
    Column("units", "int"),
    Column("charge", "money"),
    Column("dx1", "code", required=True),
    Column("dx2", "code"),
    Column("dx3", "code"),
    Column("dx4", "code"),
    Column("place_of_service", "pos"),
    Column("rendering_npi", "account"),
    Column("referring_npi", "account"),
    Column("referring_name", "text"),
    Column("prior_auth", "id"),
    Column("copay_collected", "money"),
    Column("dx_text", "text"),  # the provider's words: only ever used to suggest codes
    *GUARANTOR_COLUMNS,
    Column("secondary_payer_id", "code"),
    Column("secondary_member_id", "id"),
    Column("secondary_group_number", "id"),
    Column("secondary_subscriber_relationship", "text"),
    Column("secondary_subscriber_last_name", "text"),
    Column("secondary_subscriber_first_name", "text"),
    Column("secondary_subscriber_dob", "date"),
    Column("secondary_subscriber_sex", "code"),
    # medsheets' extension beyond SPEC §3: a third insurance (docs/secondary-insurance.md)
    Column("tertiary_payer_id", "code"),
    Column("tertiary_member_id", "id"),
    Column("tertiary_group_number", "id"),
    Column("tertiary_subscriber_relationship", "text"),
    Column("tertiary_subscriber_last_name", "text"),
    Column("tertiary_subscriber_first_name", "text"),
    Column("tertiary_subscriber_dob", "date"),
    Column("tertiary_subscriber_sex", "code"),
)
SECONDARY_COLUMNS = tuple(c.name for c in ENCOUNTER_COLUMNS if c.name.startswith("secondary_"))
TERTIARY_COLUMNS = tuple(c.name for c in ENCOUNTER_COLUMNS if c.name.startswith("tertiary_"))

# The appointment workbook: appointment_id for encounter_id; dx and procedure may be blank (a
# row that only asks about coverage).
APPOINTMENT_COLUMNS: tuple[Column, ...] = (
    Column("appointment_id", "text", required=True),
    *(Column(c.name, c.kind) if c.name in ("procedure_code", "dx1") else c
      for c in ENCOUNTER_COLUMNS if c.name != "encounter_id"),
)

PATIENT_COLUMNS: tuple[Column, ...] = (
    Column("patient_id", "account", required=True),
    *(c for c in ENCOUNTER_COLUMNS if c.name in PATIENT_DEMOGRAPHICS),
    Column("patient_email", "text"),
    Column("patient_phone", "text"),
    *GUARANTOR_COLUMNS,
    *(c for c in ENCOUNTER_COLUMNS if c.name in SECONDARY_COLUMNS + TERTIARY_COLUMNS),
)

# The most rows one encounter or appointment workbook may fill: about twice a billing
# company's month (docs/workbooks.md). Past it the sheet is refused before it is loaded,
# so that memory stays bounded; a bigger day is split into several workbooks.
MAX_ROWS = 200_000

FillBlanks = Callable[[dict[str, list[Any]]], None]  # fills a chunk's columns in place
_origin = maker(Origin)  # one per row: built without the frozen per-field setattr


@dataclass
class EncounterWorkbook:
    """What one encounter workbook holds: its lines, its Patients sheet, and the problems."""

    file: str
    lines: list[ServiceLine] = field(default_factory=list)
    patients: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # sheet -> medsheets' column -> the header typed: later messages use the user's words
    headers: dict[str, Mapping[str, str]] = field(default_factory=dict)


def read_encounter_workbook(path: Path, aliases: Mapping[str, str] | None = None, *,
                            fill_blanks: FillBlanks | None = None) -> EncounterWorkbook:
    """Read the `Encounters` sheet (else the first visible sheet) and the optional `Patients` sheet.

    `fill_blanks` (the check's `prepare.LineDefaults.fill_columns`) fills a chunk's blank
    cells that have a default (place of service, charge from the fee schedule...) before its
    lines are built, so that they are built once as they will be checked."""
    return read_line_workbook(path, aliases, sheet_name="Encounters", columns=ENCOUNTER_COLUMNS,
                              fill_blanks=fill_blanks)


def read_appointment_workbook(path: Path, aliases: Mapping[str, str] | None = None) -> EncounterWorkbook:
    """Read an appointment workbook (docs/before-the-visit.md): the `Appointments` sheet, else
    the first one.

    Its rows are read exactly like encounter rows; each line's `encounter_id` holds the
    row's appointment_id (and points at that column), so one set of records serves both.
    """
    return read_line_workbook(path, aliases, sheet_name="Appointments",
                              columns=APPOINTMENT_COLUMNS, id_column="appointment_id")


def read_line_workbook(
    path: Path, aliases: Mapping[str, str] | None, *, sheet_name: str,
    columns: tuple[Column, ...], id_column: str = "encounter_id",
    fill_blanks: FillBlanks | None = None,
) -> EncounterWorkbook:
    """One row per service line from `sheet_name` (else the first sheet), plus `Patients`.

    The Patients sheet is read first; the line sheet then a chunk of rows at a time, as
    columns (`TableReading.column_chunks`), each chunk's rows becoming ServiceLines
    (`line_columns`) before the next is converted, so that the sheet's values are never all
    held as Python rows at once, and no row is ever a dict."""
    book = Workbook(path)
    result = EncounterWorkbook(book.name)
    sheet = book.find_sheet(sheet_name, fallback_to_first=True)
    if sheet is None:
        result.problems.append(error(Source(book.name), "MS-SHEET-MISSING",
                                     "the workbook has no visible sheet"))
        return result
    names = {**FRONT_DESK_HEADERS, **(aliases or {})}
    patients_sheet = book.find_sheet("Patients", fallback_to_first=False)
    patient_problems: list[Problem] = []
    if patients_sheet and patients_sheet != sheet:
        patients_table = book.read_table(patients_sheet, PATIENT_COLUMNS, names)
        patient_problems.extend(patients_table.problems)
        result.headers[patients_sheet] = patients_table.headers
        result.patients = patients_by_id(patients_table, patient_problems)
    reading = book.read_chunks(sheet, columns, names, note_unknown=True, max_rows=MAX_ROWS)
    letters = _with_id_letter(reading.table.columns, id_column)
    gaps: list[Problem] = []
    parts = Parts()
    for chunk in reading.column_chunks():
        values = chunk.values
        if id_column != "encounter_id":
            values["encounter_id"] = values[id_column]
        origins = [_origin(result.file, sheet, number, letters) for number in chunk.rows]
        gaps.extend(diagnosis_gaps(origins, values))
        fill_from_patients(values, result.patients)
        if fill_blanks is not None:
            fill_blanks(values)
        result.lines.extend(service_lines(origins, values, parts))
    if reading.refused:  # too many rows, found while reading: none of them is kept
        result.lines.clear()
        gaps.clear()
    table = reading.finish()
    result.headers = {sheet: table.headers, **result.headers}
    result.problems.extend(table.problems)
    result.problems.extend(patient_problems)
    result.problems.extend(in_users_words(gaps, result.headers))
    return result


def _with_id_letter(letters: Mapping[str, str], id_column: str) -> Mapping[str, str]:
    """The sheet's column letters, `encounter_id` pointing at `id_column`'s cell."""
    if id_column == "encounter_id" or id_column not in letters:
        return letters
    return MappingProxyType({**letters, "encounter_id": letters[id_column]})


def patients_by_id(table: Table, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    patients: dict[str, dict[str, Any]] = {}
    for origin, values in table.rows:
        patient_id = values.get("patient_id")
        if not patient_id:
            continue
        if patient_id in patients:
            problems.append(error(origin.at("patient_id"), "MS-PATIENT-DUPLICATE",
                                  f"patient {patient_id} is listed twice in the Patients sheet"))
            continue
        patients[patient_id] = values
    return patients
