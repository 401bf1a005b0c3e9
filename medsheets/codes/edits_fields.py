"""Line edits on the fields themselves: what must be filled, and the shape of what is.

These need no code set: a blank date of service, a sex of 'X', an NPI with a wrong check
digit or a future date of birth are wrong whatever the practice bills. Cells the reader could
not read at all (a bad date, bad money) arrive here as None and were already reported by it;
`scrub` keeps those from being reported a second time as blank.
"""

from __future__ import annotations

from operator import attrgetter

from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.lookups import npi_ok, procedure_shape_ok
from medsheets.codes.sieve import Sieve
from medsheets.identifiers import MODIFIER, PLACE_OF_SERVICE, US_STATES, ZIP
from medsheets.model import Problem, ServiceLine, error

SEX_OR_BLANK = frozenset({"M", "F", "U", None})  # M, F, U (unknown); blank is checked as required
STATE_OR_BLANK: frozenset[str | None] = frozenset({*US_STATES, None})

LINE_REQUIRED: tuple[tuple[str, str], ...] = (
    ("encounter_id", "give every row the encounter (claim) it belongs to"),
    ("date_of_service", "type the date of the visit as YYYY-MM-DD"),
    ("patient_id", "type the patient's account number"),
    ("procedure_code", "type the CPT or HCPCS code of the service"),
)
PATIENT_REQUIRED = ("last_name", "first_name", "dob", "sex", "address", "city", "state", "zip")
_line_required = attrgetter(*(name for name, _ in LINE_REQUIRED))
_patient_required = attrgetter(*PATIENT_REQUIRED)


def check_required(line: ServiceLine, ctx: EditContext) -> Found:
    """Each required cell that is blank (demographics after filling from known patients)."""
    if line.diagnoses and None not in _line_required(line) and None not in _patient_required(
            line.patient):
        return NO_PROBLEMS
    found: list[Problem] = []
    for name, fix in LINE_REQUIRED:
        if getattr(line, name) is None:
            found.append(_blank(line, name, fix))
    if not line.diagnoses:
        found.append(_blank(line, "dx1", "every line needs at least one ICD-10-CM diagnosis"))
    where = f"patient {line.patient_id}" if line.patient_id is not None else "the patient"
    for name in PATIENT_REQUIRED:
        if getattr(line.patient, name) is None:
            fix = f"fill it, or list {where} in the Patients sheet"
            found.append(_blank(line, f"patient_{name}", fix))
    return found


def _blank(line: ServiceLine, field: str, fix: str) -> Problem:
    return error(line.origin.at(field), "MS-REQUIRED", f"{field} is blank; {fix}")


def check_person_formats(line: ServiceLine, ctx: EditContext) -> Found:
    """Sex M/F/U, a US state code and a 5- or 9-digit ZIP for the patient; sex for the subscriber."""
    patient, subscriber = line.patient, line.subscriber
    found: list[Problem] = []
    if patient.sex not in SEX_OR_BLANK:
        found.append(_bad_sex(line, "patient_sex", patient.sex))
    if subscriber is not None and subscriber.sex not in SEX_OR_BLANK:
        found.append(_bad_sex(line, "subscriber_sex", subscriber.sex))
    if patient.state not in STATE_OR_BLANK:
        found.append(error(line.origin.at("patient_state"), "MS-STATE",
                           f"patient_state '{patient.state}' is not a US state; use the "
                           "2-letter postal code, such as IL"))
    if patient.zip is not None and not ZIP.match(patient.zip):
        found.append(error(line.origin.at("patient_zip"), "MS-ZIP",
                           "patient_zip must be 5 or 9 digits (ZIP or ZIP+4)"))
    return found or NO_PROBLEMS


def _bad_sex(line: ServiceLine, field: str, sex: str | None) -> Problem:
    return error(line.origin.at(field), "MS-SEX",
                 f"{field} '{sex}' is not a sex code; use M, F or U (unknown)")


def check_code_formats(line: ServiceLine, ctx: EditContext) -> Found:
    """The procedure code's shape (CPT I/II/III or HCPCS II), modifiers, NPIs, place of service."""
    found: list[Problem] = []
    code = line.procedure_code
    if not _procedure_shape_ok(code):
        found.append(error(line.origin.at("procedure_code"), "MS-PROC-FORMAT",
                           f"'{code}' is not a CPT or HCPCS code; CPT is 5 characters (99213, "
                           "0001U, 3074F, 0042T), HCPCS a letter and 4 digits (G0439)"))
    for index, modifier in enumerate(line.modifiers, start=1):
        if not _modifier_ok(modifier):
            found.append(error(line.origin.at(f"modifier{index}"), "MS-MOD-FORMAT",
                               f"modifier '{modifier}' must be 2 letters or digits, such as 25"))
    for field in ("rendering_npi", "referring_npi"):
        npi = getattr(line, field)
        if not _npi_ok(npi):
            found.append(error(line.origin.at(field), "MS-NPI",
                               f"{field} {npi} is not a valid NPI (10 digits with a check digit); "
                               "copy it from the NPI registry"))
    pos = line.place_of_service
    if not _pos_ok(pos):
        found.append(error(line.origin.at("place_of_service"), "MS-POS",
                           f"place_of_service '{pos}' must be a 2-digit CMS code, such as 11 (office)"))
    return found or NO_PROBLEMS


def _procedure_shape_ok(code: str | None) -> bool:
    return code is None or procedure_shape_ok(code)


def _modifier_ok(modifier: str) -> bool:
    return MODIFIER.match(modifier) is not None


def _modifiers_ok(modifiers: tuple[str, ...]) -> bool:
    return all(map(_modifier_ok, modifiers))


def _npi_ok(npi: str | None) -> bool:
    return npi is None or npi_ok(npi)


def _pos_ok(pos: str | None) -> bool:
    return pos is None or PLACE_OF_SERVICE.match(pos) is not None


CODE_FORMATS_SIEVE = Sieve(values=(
    (attrgetter("procedure_code"), _procedure_shape_ok), (attrgetter("modifiers"), _modifiers_ok),
    (attrgetter("rendering_npi"), _npi_ok), (attrgetter("referring_npi"), _npi_ok),
    (attrgetter("place_of_service"), _pos_ok),
))


def check_dates(line: ServiceLine, ctx: EditContext) -> Found:
    """Nothing in the future; no date of birth after the date of service."""
    service, born, as_of = line.date_of_service, line.patient.dob, ctx.as_of
    subscriber_born = line.subscriber.dob if line.subscriber is not None else None
    found: list[Problem] = []
    if service is not None and service > as_of:
        found.append(error(line.origin.at("date_of_service"), "MS-DOS-FUTURE",
                           f"date_of_service {service.isoformat()} is in the future; bill a visit "
                           "once it has happened"))
    if born is not None and born > as_of:
        found.append(error(line.origin.at("patient_dob"), "MS-DOB-FUTURE",
                           "patient_dob is in the future; check the year"))
    elif born is not None and service is not None and born > service:
        found.append(error(line.origin.at("patient_dob"), "MS-DOB-AFTER-DOS",
                           f"patient_dob is after the date of service {service.isoformat()}; "
                           "check both dates"))
    if subscriber_born is not None and subscriber_born > as_of:
        found.append(error(line.origin.at("subscriber_dob"), "MS-DOB-FUTURE",
                           "subscriber_dob is in the future; check the year"))
    return found or NO_PROBLEMS
