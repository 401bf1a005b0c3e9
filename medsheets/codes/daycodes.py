"""Every diagnosis and procedure of a day with its description: the annotated workbook's Codes sheet.

A coder reviews a day at a glance: each distinct code once, what it means (the ICD-10-CM
release for diagnoses, the practice's Procedures sheet for procedures), whether it can be
billed as written, and on which lines and encounters it appears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from medsheets.codes import icd10
from medsheets.identifiers import dotted_icd10
from medsheets.model import Encounter, Procedure

DX_STATUS = {icd10.DxStatus.BILLABLE: "billable", icd10.DxStatus.HEADER: "not billable (a header)",
             icd10.DxStatus.UNKNOWN: "not in ICD-10-CM"}


class DayCode(NamedTuple):
    """One row of the Codes sheet."""

    kind: str  # "diagnosis" or "procedure"
    code: str
    description: str
    status: str
    lines: int
    encounters: str  # the encounter ids, comma separated


def day_codes(encounters: Iterable[Encounter], procedures: Mapping[str, Procedure]) -> list[DayCode]:
    """Diagnoses first, then procedures; each in the order the day first uses it."""
    dx: dict[str, list[str]] = {}
    px: dict[str, list[str]] = {}
    for encounter in encounters:
        for line in encounter.lines:
            for code in line.diagnoses:
                dx.setdefault(code, []).append(encounter.encounter_id)
            if line.procedure_code:
                px.setdefault(line.procedure_code, []).append(encounter.encounter_id)
    rows = [DayCode("diagnosis", dotted_icd10(code), icd10.description(code) or "",
                    DX_STATUS[icd10.status(code)], len(ids), ", ".join(dict.fromkeys(ids)))
            for code, ids in dx.items()]
    for code, ids in px.items():
        procedure = procedures.get(code)
        rows.append(DayCode("procedure", code, procedure.description if procedure else "",
                            "in the fee schedule" if procedure else "not in the Procedures sheet",
                            len(ids), ", ".join(dict.fromkeys(ids))))
    return rows
