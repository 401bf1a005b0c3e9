"""The appointment workbooks (docs/before-the-visit.md) read into visits, with what a 270 or an
estimate needs.

An appointment is read exactly like an encounter (`workbook.encounters.read_appointment_workbook`)
and grouped the same way: the rows sharing an appointment_id are one visit, held here as an
`Encounter` whose encounter_id is the appointment id. Blank demographics are filled from the
Patients sheet and from the ledger's known patients, blank charges from the fee schedule
(`codes.prepare.prepare_line`), so a returning patient's row may carry only the account number.

The checks are the few a question to a payer and a price need: who (name, birth date), when,
which payer and member id, who the subscriber is, and codes the practice knows. A visit with an
error is held back (no inquiry, no estimate) and its problems point at their cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.codes.prepare import prepare_line
from medsheets.identifiers import id_problem, text_problem
from medsheets.model import (
    CodeSets, Encounter, PatientProfile, Person, Problem, ServiceLine, error, warning,
)
from medsheets.workbook.encounters import read_appointment_workbook
from medsheets.workbook.headers import in_users_words

ELEMENTS = {"last_name": "NM103", "first_name": "NM104"}  # where a 270 carries the names


@dataclass
class AppointmentBook:
    """The visits of the appointment workbooks read, the problems, and the visits held back."""

    visits: list[Encounter] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    held: set[str] = field(default_factory=set)

    @property
    def ready(self) -> list[Encounter]:
        return [v for v in self.visits if v.encounter_id not in self.held]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def read_appointments(
    paths: Sequence[Path], codesets: CodeSets, *, aliases: Mapping[str, str] | None = None,
    default_place_of_service: str = "11", profiles: Mapping[str, PatientProfile] | None = None,
) -> AppointmentBook:
    """Every appointment of `paths`, checked; the same appointment_id twice is an error.
    `profiles` (the ledger's) fill what a returning patient's rows leave blank."""
    book = AppointmentBook()
    seen: dict[str, str] = {}
    for path in paths:
        read = read_appointment_workbook(path, aliases)
        book.problems.extend(read.problems)
        bad_rows = {p.source.row for p in read.problems if p.is_error and p.source.row}
        lines = [prepare_line(line, codesets, default_place_of_service, profiles or {})
                 for line in read.lines]
        for visit in group_visits(lines):
            if visit.encounter_id in seen:
                book.problems.append(error(
                    visit.first.origin.at("encounter_id"), "MS-APPT-ID-REUSED",
                    f"appointment {visit.encounter_id} is also in {seen[visit.encounter_id]}; give "
                    "each visit its own appointment_id"))
                continue
            seen[visit.encounter_id] = read.file
            found = in_users_words(check_visit(visit, codesets), read.headers)
            book.problems.extend(found)
            if any(p.is_error for p in found) or any(l.origin.row in bad_rows for l in visit.lines):
                book.held.add(visit.encounter_id)
            book.visits.append(visit)
    return book


def group_visits(lines: Sequence[ServiceLine]) -> list[Encounter]:
    """Lines with the same appointment id, in first-seen order (rows without an id are skipped:
    the reader already reported the blank required cell)."""
    grouped: dict[str, list[ServiceLine]] = {}
    for line in lines:
        if line.encounter_id:
            grouped.setdefault(line.encounter_id, []).append(line)
    return [Encounter(key, tuple(group)) for key, group in grouped.items()]


def check_visit(visit: Encounter, codesets: CodeSets) -> list[Problem]:
    """What stops an inquiry or an estimate for this visit, at its cells."""
    found: list[Problem] = []
    first = visit.first
    if (problem := id_problem(visit.encounter_id)) is not None or len(visit.encounter_id) > 30:
        found.append(error(first.origin.at("encounter_id"), "MS-APPT-ID",
                           f"the appointment_id {problem or 'is longer than 30 characters'}"))
    for name, fix in (("date_of_service", "type the date of the appointment as YYYY-MM-DD"),
                      ("patient_id", "type the patient's account number")):
        if getattr(first, name) is None:
            found.append(error(first.origin.at(name), "MS-REQUIRED", f"{name} is blank; {fix}"))
    for name in ("last_name", "first_name", "dob"):
        if getattr(first.patient, name) is None:
            found.append(error(first.origin.at(f"patient_{name}"), "MS-REQUIRED",
                               f"patient_{name} is blank; fill it, or list the patient in the "
                               "Patients sheet"))
    if first.payer_id:
        found.extend(_insurance_problems(first, codesets))
    for line in visit.lines:
        code = line.procedure_code
        if code is not None and code not in codesets.procedures:
            found.append(error(line.origin.at("procedure_code"), "MS-PROC-UNKNOWN",
                               f"{code} is not in the Procedures sheet; add it with its fee or "
                               "correct the code"))
        if line.date_of_service != first.date_of_service or line.payer_id != first.payer_id:
            found.append(error(line.origin.at("date_of_service"), "MS-APPT-MIXED",
                               f"the rows of appointment {visit.encounter_id} differ in date or "
                               "payer; one appointment is one visit to one payer"))
    if not any(line.procedure_code for line in visit.lines):
        found.append(warning(first.origin.at("procedure_code"), "MS-APPT-NO-SERVICE",
                             f"appointment {visit.encounter_id} names no service; coverage is asked "
                             "about, but nothing can be estimated"))
    return found


def _insurance_problems(first: ServiceLine, codesets: CodeSets) -> list[Problem]:
    found = []
    if first.payer_id not in codesets.payers:
        found.append(error(first.origin.at("payer_id"), "MS-PAYER-UNKNOWN",
                           f"payer {first.payer_id} is not in the Payers sheet; add it or correct "
                           "the payer_id"))
    if not first.member_id:
        found.append(error(first.origin.at("member_id"), "MS-REQUIRED",
                           "member_id is blank; copy it from the patient's insurance card"))
    elif (problem := id_problem(first.member_id)) is not None:
        found.append(error(first.origin.at("member_id"), "MS-MEMBER-ID",
                           f"the member_id {problem}"))
    if first.subscriber_relationship != "self":
        subscriber = first.subscriber or Person(None, None, None, None)
        for name in ("last_name", "first_name"):
            if getattr(subscriber, name) is None:
                found.append(error(first.origin.at(f"subscriber_{name}"), "MS-REQUIRED",
                                   f"subscriber_{name} is blank; the payer finds a dependent "
                                   "through the subscriber named on the card"))
            elif (problem := text_problem(getattr(subscriber, name), ELEMENTS[name])) is not None:
                found.append(error(first.origin.at(f"subscriber_{name}"), "MS-NAME-X12",
                                   f"subscriber_{name} {problem}"))
    for name in ("last_name", "first_name"):
        value = getattr(first.patient, name)
        if value is not None and (problem := text_problem(value, ELEMENTS[name])) is not None:
            found.append(error(first.origin.at(f"patient_{name}"), "MS-NAME-X12",
                               f"patient_{name} {problem}"))
    return found
