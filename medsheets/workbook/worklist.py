"""The denial worklist workbook: written by `medsheets denials`, edited by the biller, read
back by `medsheets resubmit`.

One row per line of every claim on the worklist. The first columns say what happened (who,
which payer, how much is open, the reason codes and what to do about them, the days left);
the yellow columns at the right are the biller's: the line's procedure code, modifiers,
diagnoses and units (filled with what was billed: change what is wrong), the action (a
dropdown: correct, void, write off, bill patient) and the reason code a write-off or transfer
is booked under. Nothing is locked. The `encounter_id`, `line` and `ref` columns tie a row to
the ledger; `ref` names the denial the row answers, so a stale worklist cannot act twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from medsheets.errors import BadFileError
from medsheets.files import atomic_path
from medsheets.identifiers import dotted_icd10, normalize_icd10
from medsheets.model import Origin, Problem, error
from medsheets.workbook.encounters import ENCOUNTER_COLUMNS
from medsheets.workbook.table import Column, Workbook
from medsheets.workbook.writing import append_row, as_text_cell

SHEET = "Denials"
ACTIONS = ("correct", "void", "write off", "bill patient", "rebill")
# The claim's own values, on every row of the claim, filled with what was sent: change any of
# them (and choose correct, or rebill for another payer) to send the claim with the new value.
CLAIM_FIELDS = ("bill_payer", *(c.name for c in ENCOUNTER_COLUMNS if c.name in (
    "member_id", "group_number", "subscriber_relationship", "subscriber_last_name",
    "subscriber_first_name", "subscriber_dob", "subscriber_sex", "patient_last_name",
    "patient_first_name", "patient_dob", "patient_sex", "patient_address", "patient_city",
    "patient_state", "patient_zip", "rendering_npi", "referring_npi")))
CLAIM_COLUMNS = (Column("bill_payer", "code"),
                 *(c for c in ENCOUNTER_COLUMNS if c.name in CLAIM_FIELDS))
MONEY_FORMAT = "#,##0.00"
EDITABLE_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
_SEPARATORS = re.compile(r"[,;/\s]+")
MAX_CODES = 4  # a line carries modifier1..4 and points to at most 4 diagnoses

# (header, width); the last six are the biller's.
LAYOUT = (
    ("encounter_id", 16), ("line", 6), ("ref", 8), ("account", 11), ("patient", 24),
    ("rendering", 22), ("payer", 9), ("payer_claim_number", 18), ("date_of_service", 12),
    ("denied_on", 12),
    ("status", 12), ("charge", 10), ("paid", 10), ("balance", 10), ("insurance_balance", 10),
    ("reason_codes", 16), ("explanation", 40), ("suggested_action", 60), ("deadline", 12),
    ("days_left", 9), ("procedure_code", 10), ("modifiers", 10), ("diagnoses", 18), ("units", 7),
    ("new_charge", 10), ("action", 13), ("reason", 9), ("note", 40),
    *((name, 14) for name in CLAIM_FIELDS),
)
EDITABLE = frozenset({"procedure_code", "modifiers", "diagnoses", "units", "new_charge", "action",
                      "reason", "note", *CLAIM_FIELDS})
MONEY_COLUMNS = frozenset({"charge", "paid", "balance", "insurance_balance", "new_charge"})
DATE_COLUMNS = frozenset({"date_of_service", "denied_on", "deadline", "patient_dob",
                          "subscriber_dob"})

READ_COLUMNS = (
    Column("encounter_id", "text", required=True), Column("line", "int", required=True),
    Column("ref", "int", required=True), Column("action", "text", required=True),
    Column("procedure_code", "procedure"), Column("modifiers", "text"), Column("diagnoses", "text"),
    Column("units", "int"), Column("reason", "code"), Column("new_charge", "money"),
    Column("note", "text"), *CLAIM_COLUMNS,
    # Read only to know their letters, so a problem can point at them.
    *(Column(name, "text") for name in ("account", "patient", "payer", "date_of_service", "charge")),
)


@dataclass(frozen=True)
class WorklistRow:
    """One line of a claim on the worklist, as `medsheets denials` writes it."""

    encounter_id: str
    line_number: int
    ref: int
    account: str
    patient: str
    payer_id: str
    payer_claim_number: str | None
    date_of_service: dt.date
    denied_on: dt.date
    status: str  # rejected, denied, line denied, not denied
    charge: Decimal
    paid: Decimal
    balance: Decimal
    insurance_balance: Decimal
    reason_codes: str
    explanation: str
    suggested_action: str
    deadline: dt.date | None
    days_left: int | None
    procedure_code: str
    modifiers: tuple[str, ...]
    diagnoses: tuple[str, ...]  # as stored: upper case, no dot
    units: int
    reason: str  # the reason a write-off or transfer is booked under, e.g. CO-29
    claim_fields: Mapping[str, Any] = field(default_factory=dict)  # CLAIM_FIELDS as sent
    note: str = ""  # the biller's last note on this line, kept in the ledger
    rendering: str = ""  # the claim's doctor: Providers sheet name, else the NPI


@dataclass(frozen=True)
class WorklistEdit:
    """One row of an edited worklist: which line, what the biller wants done, the new codes."""

    origin: Origin
    encounter_id: str
    line_number: int
    ref: int
    action: str | None  # one of ACTIONS, None when blank (or unreadable: see the problems)
    procedure_code: str | None
    modifiers: tuple[str, ...]
    diagnoses: tuple[str, ...]  # upper case, no dot
    units: int | None
    reason: str | None
    charge: Decimal | None = None  # new_charge: blank keeps the charge (or the new code's fee)
    note: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)  # CLAIM_FIELDS as typed


@dataclass
class EditedWorklist:
    file: str
    edits: list[WorklistEdit]
    problems: list[Problem]


def write_worklist(target: Path, rows: Sequence[WorklistRow]) -> Path:
    """Write the worklist atomically (owner-only); text cells stay text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = [name for name, _ in LAYOUT]
    append_row(sheet, headers)
    for index, (name, width) in enumerate(LAYOUT, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        if name in EDITABLE:
            cell.fill = EDITABLE_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, row in enumerate(rows, start=2):
        _append(sheet, number, _cells(row))
        _format_row(sheet, number, headers)
    _action_dropdown(sheet, headers.index("action") + 1, max(len(rows), 1) + 1)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(LAYOUT))}{len(rows) + 1}"
    _help_sheet(book)
    with atomic_path(target) as temp:
        book.save(temp)
    return target


def _append(sheet: Any, number: int, values: list[Any]) -> None:
    """`writing.append_row` for row `number`, known here: append_row asks the sheet for its
    last row, which openpyxl counts cell by cell, and a worklist can have thousands."""
    sheet.append(values)
    for column in range(1, len(values) + 1):
        as_text_cell(sheet.cell(number, column))


def _cells(row: WorklistRow) -> list[Any]:
    return [
        row.encounter_id, row.line_number, row.ref, row.account, row.patient, row.rendering,
        row.payer_id, row.payer_claim_number, row.date_of_service, row.denied_on, row.status, row.charge,
        row.paid, row.balance, row.insurance_balance, row.reason_codes, row.explanation,
        row.suggested_action, row.deadline, row.days_left, row.procedure_code,
        ", ".join(row.modifiers), ", ".join(dotted_icd10(code) for code in row.diagnoses),
        row.units, None, None, row.reason or None, row.note or None,
        *(row.claim_fields.get(name) for name in CLAIM_FIELDS),
    ]


def _format_row(sheet: Any, number: int, headers: list[str]) -> None:
    for index, name in enumerate(headers, start=1):
        cell = sheet.cell(number, index)
        if name in MONEY_COLUMNS:
            cell.number_format = MONEY_FORMAT
        elif name in DATE_COLUMNS:
            cell.number_format = "yyyy-mm-dd"
        elif name in ("procedure_code", "account", "encounter_id", "reason", "member_id",
                      "group_number", "patient_zip", "rendering_npi", "referring_npi"):
            cell.number_format = "@"  # typed codes keep leading zeros
        if name in EDITABLE:
            cell.fill = EDITABLE_FILL


def _action_dropdown(sheet: Any, column: int, last_row: int) -> None:
    letter = get_column_letter(column)
    choices = DataValidation(type="list", formula1='"' + ",".join(ACTIONS) + '"', allow_blank=True)
    choices.error = "Choose correct, void, write off, bill patient or rebill (or leave it blank)."
    choices.errorTitle = "Action"
    choices.showErrorMessage = True
    choices.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(choices)


def _help_sheet(book: Any) -> None:
    sheet = book.create_sheet("How to use")
    for text in (
        "Change the yellow cells only, then run: medsheets resubmit THIS-FILE.xlsx",
        "action = correct: send a corrected claim (frequency 7) with the yellow codes of all its rows.",
        "action = void: cancel the claim at the payer (frequency 8); its charges are reversed.",
        "action = write off: the insurance balance of the line is written off (reason: the code booked).",
        "action = bill patient: the insurance balance of the line moves to the patient.",
        ("action = rebill: bill the claim to the payer in bill_payer instead (wrong payer, coverage "
        "ended): the first claim is voided (in the ledger only when that payer never decided it) "
        "and an original claim goes to the new payer, with the member id and other yellow values."),
        ("member id, group, subscriber, patient, providers (bill_payer .. referring_npi): change "
        "any of them on one row of the claim with action correct (or rebill) to send them."),
        "new_charge: a new charge for the line (blank: as billed). note: kept with the row.",
        "correct, void and rebill act on the whole claim; write off and bill patient on their line.",
        "Denied by a secondary (the payer column names it): correct and void go to the secondary "
        "with the claim as billed; write off / bill patient act on what it was to pay.",
        "modifiers and diagnoses: up to 4 each, separated by commas. Blank action: nothing is done.",
    ):
        append_row(sheet, [text])
    sheet.column_dimensions["A"].width = 100


def read_worklist(path: Path) -> EditedWorklist:
    """The rows of an edited worklist, with a problem at every cell that cannot be used."""
    book = Workbook(path)
    sheet = book.find_sheet(SHEET, fallback_to_first=True)
    if sheet is None:
        raise BadFileError(f"{book.name}: has no sheet; give the worklist 'medsheets denials' wrote")
    table = book.read_table(sheet, READ_COLUMNS)
    if table.header_row is None:
        raise BadFileError(f"{book.name}: is not a denial worklist (no encounter_id, line, ref and "
                           "action columns); make one with 'medsheets denials'")
    result = EditedWorklist(book.name, [], list(table.problems))
    for origin, values in table.rows:
        edit = _edit(origin, values, result.problems)
        if edit is not None:
            result.edits.append(edit)
    return result


def _edit(origin: Origin, values: dict[str, Any], problems: list[Problem]) -> WorklistEdit | None:
    missing = [name for name in ("encounter_id", "line", "ref") if values.get(name) is None]
    if missing:
        if values.get("action"):
            problems.extend(error(origin.at(name), "MS-WL-KEY",
                                  f"{name} is blank; keep the worklist's first three columns as "
                                  "written, or make a new worklist with 'medsheets denials'")
                            for name in missing)
        return None
    return WorklistEdit(
        origin=origin, encounter_id=values["encounter_id"], line_number=values["line"],
        ref=values["ref"], action=_action(origin, values.get("action"), problems),
        procedure_code=values.get("procedure_code"),
        modifiers=_codes(origin, "modifiers", values.get("modifiers"), problems, str.upper),
        diagnoses=_codes(origin, "diagnoses", values.get("diagnoses"), problems, normalize_icd10),
        units=values.get("units"), reason=values.get("reason"), charge=values.get("new_charge"),
        note=values.get("note"), fields={name: values.get(name) for name in CLAIM_FIELDS},
    )


def _action(origin: Origin, text: str | None, problems: list[Problem]) -> str | None:
    if not text:
        return None
    key = " ".join(_SEPARATORS.split(text.replace("-", " ").replace("_", " ").lower())).strip()
    key = {"writeoff": "write off", "bill the patient": "bill patient"}.get(key, key)
    if key in ACTIONS:
        return key
    problems.append(error(origin.at("action"), "MS-WL-ACTION",
                          f"action '{text}' is not one of: {', '.join(ACTIONS)}; pick one from the "
                          "list or leave the cell blank"))
    return None


def _codes(origin: Origin, column: str, text: str | None, problems: list[Problem],
           normal: Any) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(normal(code) for code in _SEPARATORS.split(text or "") if code))
    if len(codes) > MAX_CODES:
        problems.append(error(origin.at(column), "MS-WL-TOO-MANY",
                              f"{column} lists {len(codes)} codes; a line takes at most {MAX_CODES}, "
                              "separated by commas"))
        return codes[:MAX_CODES]
    return codes
