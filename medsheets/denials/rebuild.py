"""Service lines rebuilt from the ledger, with the biller's corrections, for the edits and the 837.

A corrected claim must be judged by the same edits as a new one (medsheets.codes.scrub), and
written by the same 837 writer, so it is rebuilt as the `ServiceLine` records those expect:
the claim, its lines and the patient from the ledger, what the ledger does not keep from the
837 it was last sent in (sent.py), then the worklist's new codes on top. Each line's `Origin`
points at its worklist row, with the edits' field names mapped onto the worklist's columns
(dx1..dx4 -> diagnoses, modifier1..4 -> modifiers), so every problem lands on a worklist cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from medsheets.denials.sent import SentClaim
from medsheets.ledger import ClaimRow, LineRow
from medsheets.ledger.denials import PatientRecord
from medsheets.model import Encounter, Origin, Person, Provider, ServiceLine
from medsheets.x12.read837 import ClaimLineRecord

# The edits' field name -> the worklist column where a person fixes it.
FIELD_COLUMNS = {
    "encounter_id": "encounter_id", "date_of_service": "date_of_service", "patient_id": "account",
    "procedure_code": "procedure_code", "units": "units",
    **{f"modifier{n}": "modifiers" for n in range(1, 5)},
    **{f"dx{n}": "diagnoses" for n in range(1, 5)},
    **{name: name for name in ("member_id", "group_number", "subscriber_relationship",
                               "subscriber_last_name", "subscriber_first_name", "subscriber_dob",
                               "subscriber_sex", "patient_dob", "patient_sex", "patient_address",
                               "patient_city", "patient_state", "patient_zip", "rendering_npi",
                               "referring_npi")},
    "patient_last_name": "patient_last_name", "patient_first_name": "patient_first_name",
    "payer_id": "bill_payer", "charge": "new_charge",
}
# Where a worklist from before those columns points instead.
FALLBACK_COLUMNS = {"patient_last_name": "patient", "patient_first_name": "patient",
                    "payer_id": "payer", "charge": "charge"}


@dataclass(frozen=True)
class LineCorrection:
    """The worklist's values for a line, as typed: a blank code or diagnosis list stays blank
    (and the edits say so), a blank units cell keeps the units billed."""

    procedure_code: str | None
    modifiers: tuple[str, ...]
    diagnoses: tuple[str, ...]
    units: int | None
    charge: Decimal | None = None  # new_charge: the line's new charge, None to keep (or reprice)


def corrected_claim(encounter: Encounter, fields: Mapping[str, Any], sent: Mapping[str, Any],
                    providers: Mapping[str, Provider]) -> Encounter:
    """`encounter` with the claim columns the biller changed (any of CLAIM_FIELDS whose typed
    value differs from what was sent) applied to every line: the payer (bill_payer), member
    id, group, subscriber, patient demographics, rendering and referring provider."""
    changed = {name: value for name, value in fields.items()
               if value is not None and value != sent.get(name)}
    if not changed:
        return encounter
    lines = []
    for line in encounter.lines:
        patient = replace(line.patient, **{key[8:]: changed[key] for key in PATIENT_KEYS if key in changed})
        relationship = str(changed.get("subscriber_relationship", line.subscriber_relationship)).lower()
        subscriber = line.subscriber or Person(None, None, None, None)
        subscriber = replace(subscriber, **{key[11:]: changed[key] for key in SUBSCRIBER_KEYS if key in changed})
        referring = changed.get("referring_npi", line.referring_npi)
        lines.append(replace(
            line, patient=patient,
            payer_id=changed.get("bill_payer", line.payer_id),
            member_id=changed.get("member_id", line.member_id),
            group_number=changed.get("group_number", line.group_number),
            subscriber_relationship=relationship,
            subscriber=None if relationship == "self" else subscriber,
            rendering_npi=changed.get("rendering_npi", line.rendering_npi),
            referring_npi=referring,
            referring_name=(line.referring_name if referring == line.referring_npi
                            else _provider_name(providers.get(referring or ""))),
        ))
    return Encounter(encounter.encounter_id, tuple(lines))


PATIENT_KEYS = ("patient_last_name", "patient_first_name", "patient_dob", "patient_sex",
                "patient_address", "patient_city", "patient_state", "patient_zip")
SUBSCRIBER_KEYS = ("subscriber_last_name", "subscriber_first_name", "subscriber_dob",
                   "subscriber_sex")


def _provider_name(provider: Provider | None) -> str | None:
    if provider is None:
        return None
    return f"{provider.last_name}, {provider.first_name}" if provider.first_name else provider.last_name


def line_origin(row_origin: Origin) -> Origin:
    """The worklist row's origin with the edits' field names mapped to its column letters."""
    columns = {field: row_origin.columns[column] for field, column in FIELD_COLUMNS.items()
               if column in row_origin.columns}
    for field, column in FALLBACK_COLUMNS.items():
        if column in row_origin.columns:
            columns.setdefault(field, row_origin.columns[column])
    return Origin(row_origin.file, row_origin.sheet, row_origin.row, columns)


def rebuild_encounter(
    claim: ClaimRow,
    lines: Sequence[LineRow],
    patient: PatientRecord,
    sent: SentClaim,
    *,
    copays: Mapping[int, Decimal],
    origins: Mapping[int, Origin],
    corrections: Mapping[int, LineCorrection],
) -> Encounter:
    """The claim as ServiceLines: as billed, or with `corrections` (by line number) applied.

    A line whose procedure code or units change loses its charge, so the edits' pricing step
    charges the fee schedule's fee for the new code; the others keep what was billed.
    `origins` gives each line number its worklist row (a line without one gets the first).
    """
    sent_lines = {record.control_number: record for record in sent.record.lines}
    fallback = next(iter(origins.values()))
    rebuilt = []
    for index, line in enumerate(lines):
        record = sent_lines.get(line.line_control_number) or (
            sent.record.lines[index] if index < len(sent.record.lines) else None)
        origin = origins.get(line.line_number) or Origin(fallback.file, fallback.sheet, fallback.row, {})
        rebuilt.append(_service_line(claim, line, record, patient, sent, origin,
                                     copays.get(line.id), corrections.get(line.line_number),
                                     first=index == 0))
    return Encounter(claim.encounter_id, tuple(rebuilt))


def _service_line(
    claim: ClaimRow, line: LineRow, record: ClaimLineRecord | None, patient: PatientRecord,
    sent: SentClaim, origin: Origin, copay: Decimal | None, correction: LineCorrection | None,
    *, first: bool,
) -> ServiceLine:
    billed_dx = tuple(sent.record.diagnoses[p - 1] for p in line.diagnosis_pointers
                      if 0 < p <= len(sent.record.diagnoses))
    code: str | None = line.procedure_code
    modifiers, diagnoses, units = line.modifiers, billed_dx, line.units
    if correction is not None:
        code = correction.procedure_code
        modifiers, diagnoses = correction.modifiers, correction.diagnoses
        units = correction.units if correction.units is not None else line.units
    repriced = code != line.procedure_code or units != line.units
    charge = correction.charge if correction is not None and correction.charge is not None else (
        None if repriced else line.charge)
    record_place = record.place_of_service if record else ""
    record_rendering = record.rendering_npi if record else ""
    return ServiceLine(
        origin=origin,
        encounter_id=claim.encounter_id,
        date_of_service=line.date_of_service,
        patient_id=claim.patient_id,
        patient=patient.person,
        patient_email=patient.email,
        patient_phone=patient.phone,
        payer_id=claim.payer_id,
        member_id=claim.member_id or sent.record.member_id or None,
        group_number=sent.group_number,
        subscriber_relationship=sent.relationship,
        subscriber=sent.subscriber,
        procedure_code=code,
        modifiers=modifiers,
        units=units,
        charge=charge,
        diagnoses=diagnoses,
        place_of_service=record_place or sent.record.place_of_service or None,
        rendering_npi=record_rendering or sent.record.rendering_npi or None,
        referring_npi=sent.record.referring_npi or None,
        referring_name=sent.referring_name,
        prior_auth=(sent.record.prior_auth or None) if first else None,
        copay_collected=copay,
    )

