"""What a line gets before it is checked: known demographics, defaults, clinicians, its price.

A returning patient's row may leave name, birth date and address blank when the ledger already
knows them; a blank place of service means the practice's default (medsheets.toml); a blank
charge means the fee schedule's fee for the code times the units; a blank rendering_npi means
`[practice] default_rendering_npi`, and a referring NPI without a typed name takes its name from
the Providers sheet. Filling these first lets the
edits judge the line exactly as it will be billed. Nothing typed on the row is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from medsheets.model import CodeSets, Person, ServiceLine

PERSON_FIELDS = tuple(f.name for f in fields(Person))


def prepare_line(
    line: ServiceLine,
    codesets: CodeSets,
    default_place_of_service: str,
    known_patients: Mapping[str, Person],
    default_rendering_npi: str | None = None,
) -> ServiceLine:
    """The line with blank demographics, place of service, clinicians and charge filled in
    (one copy at most)."""
    changes: dict[str, Any] = {}
    known = known_patients.get(line.patient_id) if line.patient_id is not None else None
    if known is not None:
        patient = fill_person(line.patient, known)
        if patient is not line.patient:
            changes["patient"] = patient
    if line.place_of_service is None:
        changes["place_of_service"] = default_place_of_service
    if line.rendering_npi is None and default_rendering_npi:
        changes["rendering_npi"] = default_rendering_npi
    if line.referring_npi and not line.referring_name:
        referring = codesets.providers.get(line.referring_npi)
        if referring is not None:
            changes["referring_name"] = referring.display_name
    if line.charge is None and line.procedure_code is not None:
        procedure = codesets.procedures.get(line.procedure_code)
        if procedure is not None:
            units = line.units if line.units is not None and line.units >= 1 else 1
            changes["charge"] = procedure.fee * units
            changes["charge_from_fee_schedule"] = True
    return replace(line, **changes) if changes else line


def fill_person(person: Person, known: Person) -> Person:
    """`person` with each blank field taken from `known`; the same object when nothing is blank."""
    filled = {
        name: getattr(known, name)
        for name in PERSON_FIELDS
        if getattr(person, name) is None and getattr(known, name) is not None
    }
    return replace(person, **filled) if filled else person
