"""The daily encounter workbook (docs/workbooks.md) read into ServiceLine records.

Reading only: each row becomes a ServiceLine with typed values and its origin, and every cell
that cannot be read becomes a Problem. Whether the codes are right is the edits' business
(`medsheets.codes.edits`); pricing from the fee schedule happens there too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from medsheets.identifiers import normalize_icd10
from medsheets.model import Coverage, Guarantor, Origin, Person, Problem, ServiceLine, Source, error
from medsheets.workbook.headers import FRONT_DESK_HEADERS, in_users_words
from medsheets.workbook.table import Column, Table, Workbook

GUARANTOR_FIELDS = ("last_name", "first_name", "address", "city", "state", "zip", "email")
GUARANTOR_COLUMNS: tuple[Column, ...] = tuple(
    Column(f"guarantor_{name}", {"state": "code", "zip": "zip"}.get(name, "text"))
    for name in GUARANTOR_FIELDS)
PERSON_FIELDS = ("last_name", "first_name", "dob", "sex", "address", "city", "state", "zip")
PATIENT_DEMOGRAPHICS = tuple(f"patient_{f}" for f in PERSON_FIELDS)

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
)
SECONDARY_COLUMNS = tuple(c.name for c in ENCOUNTER_COLUMNS if c.name.startswith("secondary_"))

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
    *(c for c in ENCOUNTER_COLUMNS if c.name in SECONDARY_COLUMNS),
)

# The most rows one encounter or appointment workbook may fill: about twice a billing
# company's month (docs/workbooks.md). Past it the sheet is refused before it is loaded,
# so that memory stays bounded; a bigger day is split into several workbooks.
MAX_ROWS = 200_000

RELATIONSHIPS = {"self": "self", "spouse": "spouse", "child": "child", "other": "other",
                 "18": "self", "01": "spouse", "19": "child", "g8": "other"}


@dataclass
class EncounterWorkbook:
    """What one encounter workbook holds: its lines, its Patients sheet, and the problems."""

    file: str
    lines: list[ServiceLine] = field(default_factory=list)
    patients: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # sheet -> medsheets' column -> the header typed: later messages use the user's words
    headers: dict[str, Mapping[str, str]] = field(default_factory=dict)


def read_encounter_workbook(path: Path, aliases: Mapping[str, str] | None = None) -> EncounterWorkbook:
    """Read the `Encounters` sheet (else the first visible sheet) and the optional `Patients` sheet."""
    return read_line_workbook(path, aliases, sheet_name="Encounters", columns=ENCOUNTER_COLUMNS)


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
) -> EncounterWorkbook:
    """One row per service line from `sheet_name` (else the first sheet), plus `Patients`.

    The Patients sheet is read first; the line sheet then a chunk of rows at a time, each
    chunk's rows becoming ServiceLines before the next is converted, so that the sheet's
    values are never all held as Python rows at once."""
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
    gaps: list[Problem] = []
    for rows in reading.chunks():
        if id_column != "encounter_id":
            rows = _with_id_column(rows, reading.table.columns, id_column)
        result.lines.extend(service_line(origin, merge_patient(values, result.patients))
                            for origin, values in rows)
        gaps.extend(diagnosis_gaps(rows))
    table = reading.finish()
    result.headers = {sheet: table.headers, **result.headers}
    result.problems.extend(table.problems)
    result.problems.extend(patient_problems)
    result.problems.extend(in_users_words(gaps, result.headers))
    return result


def _with_id_column(rows: list[tuple[Origin, dict[str, Any]]], letters: Mapping[str, str],
                    id_column: str) -> list[tuple[Origin, dict[str, Any]]]:
    """Give each row an `encounter_id` (value and cell) taken from `id_column`."""
    letters = dict(letters)
    if id_column in letters:
        letters["encounter_id"] = letters[id_column]
    shared = MappingProxyType(letters)
    return [(Origin(o.file, o.sheet, o.row, shared), {**v, "encounter_id": v.get(id_column)})
            for o, v in rows]


def diagnosis_gaps(rows: Iterable[tuple[Origin, Mapping[str, Any]]]) -> list[Problem]:
    """A blank dx cell before a filled one: pointers count dx1..dx4 in order, so a gap would
    point the line at the wrong diagnosis."""
    problems = []
    for origin, values in rows:
        filled = [values.get(f"dx{i}") is not None for i in range(1, 5)]
        for i in range(1, 3):  # a blank dx1 is already reported as a required field
            if not filled[i] and any(filled[i + 1:]):
                problems.append(error(origin.at(f"dx{i + 1}"), "MS-DX-GAP",
                                      f"dx{i + 1} is blank but a later dx column is filled; "
                                      "fill the diagnoses from dx1 without gaps"))
                break
    return problems


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


def merge_patient(values: dict[str, Any], patients: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Fill the row's blank demographics from the Patients sheet entry of its patient_id."""
    known = patients.get(values.get("patient_id") or "")
    if not known:
        return values
    merged = dict(values)
    for name, value in known.items():
        if merged.get(name) is None and value is not None:
            merged[name] = value
    return merged


def _subscriber(v: Mapping[str, Any], prefix: str) -> tuple[str, Person | None]:
    """(relationship, subscriber) from the `{prefix}subscriber_*` columns: no subscriber when
    the patient is the insured and no subscriber column is filled."""
    relationship_text = (v.get(f"{prefix}subscriber_relationship") or "self").strip().lower()
    relationship = RELATIONSHIPS.get(relationship_text, relationship_text)
    subscriber = None
    if relationship != "self" or any(v.get(f"{prefix}subscriber_{f}") for f in PERSON_FIELDS[:4]):
        subscriber = Person(*(v.get(f"{prefix}subscriber_{f}") for f in PERSON_FIELDS[:4]))
    return relationship, subscriber


def secondary_coverage(v: Mapping[str, Any]) -> Coverage | None:
    """The row's secondary insurance, or None when no secondary cell is filled. A row with
    secondary cells but no secondary_payer_id keeps them (payer_id None) for the edits to
    report: nothing typed is dropped silently."""
    payer_id = v.get("secondary_payer_id")
    if not payer_id and not any(v.get(name) is not None for name in SECONDARY_COLUMNS):
        return None
    relationship, subscriber = _subscriber(v, "secondary_")
    return Coverage(payer_id, v.get("secondary_member_id"), v.get("secondary_group_number"),
                    relationship, subscriber)


MODIFIER_KEYS = tuple(f"modifier{i}" for i in range(1, 5))
_diagnosis = lru_cache(maxsize=65536)(normalize_icd10)  # one string per code, not per cell
DX_KEYS = tuple(f"dx{i}" for i in range(1, 5))


def service_line(origin: Origin, v: Mapping[str, Any]) -> ServiceLine:
    """One row's values as a ServiceLine (no checking beyond what reading the cells did)."""
    relationship, subscriber = _subscriber(v, "")
    get = v.get
    units = get("units")
    return ServiceLine(
        origin=origin,
        encounter_id=get("encounter_id"),
        date_of_service=get("date_of_service"),
        patient_id=get("patient_id"),
        patient=Person(*[get(name) for name in PATIENT_DEMOGRAPHICS]),
        patient_email=get("patient_email"),
        patient_phone=get("patient_phone"),
        payer_id=get("payer_id"),
        member_id=get("member_id"),
        group_number=get("group_number"),
        subscriber_relationship=relationship,
        subscriber=subscriber,
        procedure_code=get("procedure_code"),
        modifiers=tuple([m for m in [get(key) for key in MODIFIER_KEYS] if m]),
        units=units if units is not None else 1,
        charge=get("charge"),
        diagnoses=tuple([_diagnosis(d) for d in [get(key) for key in DX_KEYS] if d]),
        place_of_service=get("place_of_service"),
        rendering_npi=get("rendering_npi"),
        referring_npi=get("referring_npi"),
        referring_name=get("referring_name"),
        prior_auth=get("prior_auth"),
        copay_collected=get("copay_collected"),
        dx_text=get("dx_text"),
        guarantor=guarantor(v),
        secondary=secondary_coverage(v),
    )


def guarantor(v: Mapping[str, Any]) -> Guarantor | None:
    """The row's guarantor columns, or None when all are blank (the default guarantor)."""
    values = [v.get(f"guarantor_{name}") for name in GUARANTOR_FIELDS]
    return Guarantor(*values) if any(value is not None for value in values) else None
