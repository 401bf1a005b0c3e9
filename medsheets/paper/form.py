"""One encounter filled into CMS-1500 (02/12) forms, box by box, from the same claim as the 837.

A payer that takes paper gets the claim the 837 would have carried: the same cleaned names
and addresses, the same checked IDs and NPIs, the same diagnoses in the same order and the same
pointers, because every value comes through the 837 writer's own helpers (`claim_parts`,
`claim_loops`). What differs is only the notation the NUCC 1500 Reference Instruction Manual
asks for: dates as MM DD YY (birth dates MM DD YYYY), names "LAST, FIRST", diagnosis pointers as
letters A-L, money without the dollar sign or the decimal point (dollars and cents in their own
columns), "SIGNATURE ON FILE" for items 12, 13 and 31.

A claim of more than six lines continues on further forms (item 24 holds six); each form is
complete in itself with its own total in item 28, as the manual asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from medsheets.config import Config
from medsheets.identifiers import address_lines, x12_text
from medsheets.model import Encounter, Payer, Person, ServiceLine
from medsheets.money import ZERO
from medsheets.paper.grid import FIRST_SERVICE_LINE, SERVICE_LINES, Field
from medsheets.quick_records import maker
from medsheets.x12 import claim_parts as part
from medsheets.x12.claim_loops import MAX_POINTERS, checked_diagnoses
from medsheets.x12.cob_loops import known_others

_field = maker(Field)  # some 95 a form: built without the frozen per-field setattr

LETTERS = "ABCDEFGHIJKL"
SIGNATURE = "SIGNATURE ON FILE"
# Item 1 check box column by SBR09 claim filing code; anything else is "Other".
PROGRAM_COLUMN = {"MB": 1, "MA": 1, "MC": 8, "CH": 15, "VA": 24, "CI": 31, "BL": 31, "HM": 31,
                  "12": 31, "13": 31, "14": 31, "15": 31, "16": 31, "FI": 39}
OTHER_PROGRAM_COLUMN = 45
RELATIONSHIP_COLUMN = {"self": 33, "spouse": 38, "child": 42, "other": 47}


@dataclass(frozen=True)
class ClaimForm:
    """One printed CMS-1500: which claim, which of its forms (1-based, of `pages`), the fields."""

    encounter_id: str
    page: int
    pages: int
    fields: tuple[Field, ...]

    def box(self, name: str) -> str:
        """The text of one box ("1a", "24J.1", ...) as printed; '' when left blank."""
        return " ".join(f.shown.strip() for f in self.fields if f.box == name)


def claim_forms(encounter: Encounter, payer: Payer, config: Config,
                payers: Mapping[str, Payer] | None = None) -> list[ClaimForm]:
    """The forms of one claim; ClaimInputError (naming the cell) for data a claim cannot carry.
    `payers` (the Payers sheet) names the patient's other insurance in items 9-9d and 11d."""
    diagnoses = checked_diagnoses(encounter)
    header = _header(encounter, payer, config) + _other_insurance(encounter, payers or {})
    chunks = [encounter.lines[i:i + SERVICE_LINES] for i in range(0, len(encounter.lines), SERVICE_LINES)]
    forms = []
    for number, chunk in enumerate(chunks, 1):
        fields = list(header)
        total = ZERO
        for index, item in enumerate(chunk):
            fields += _service_line(item, index, diagnoses, config)
            total += part.need(item, "charge", item.charge)
        fields += _money_fields("28", 56, 50, total)
        paid = sum((item.copay_collected or ZERO for item in chunk), ZERO)
        fields += _money_fields("29", 56, 62, paid)
        forms.append(ClaimForm(encounter.encounter_id, number, len(chunks), tuple(fields)))
    return forms


def _header(encounter: Encounter, payer: Payer, config: Config) -> list[Field]:
    """Every box above and below item 24: payer, patient, insured, diagnoses, provider."""
    line = encounter.first
    fields = _payer(payer)
    member = part.identifier(line, "member_id", line.member_id, 80, 2)
    fields.append(_field("1", 8, PROGRAM_COLUMN.get(payer.claim_filing, OTHER_PROGRAM_COLUMN), 1, "X"))
    fields.append(_field("1a", 8, 50, 29, member))
    fields += _person_fields(line, "patient", line.patient, name_box="2", address_box="5", column=1)
    dob, sex = part.demographics(line, "patient", line.patient)
    fields += _birth_date("3", 10, 31, dob)
    if sex in ("M", "F"):
        fields.append(_field("3", 10, 42 if sex == "M" else 47, 1, "X"))
    fields.append(_field("6", 12, RELATIONSHIP_COLUMN.get(line.subscriber_relationship, 47), 1, "X"))
    insured = line.patient if line.subscriber_relationship == "self" else line.subscriber
    if insured is None:
        raise part.fail(line, "subscriber_last_name", "is missing (the patient is not the subscriber)")
    prefix = "patient" if insured is line.patient else "subscriber"
    home = insured if part.has_address(insured) else line.patient
    fields += _person_fields(line, prefix, insured, name_box="4", address_box="7", column=50, home=home)
    fields.append(_field("11", 18, 50, 29, part.identifier(line, "group_number", line.group_number, 50)
                        if line.group_number else ""))
    if insured.dob is not None:
        fields += _birth_date("11a", 20, 53, insured.dob.strftime("%Y%m%d"))
    if (insured.sex or "").upper() in ("M", "F"):
        fields.append(_field("11a", 20, 68 if insured.sex.upper() == "M" else 75, 1, "X"))  # type: ignore[union-attr]
    fields.append(_field("11c", 24, 50, 29, x12_text(payer.name, "NM103")))
    for box, row in (("10a", 20), ("10b", 22), ("10c", 24)):
        fields.append(_field(box, row, 41, 1, "X"))  # NO: the workbook records no accident
    fields += [_field("12", 29, 7, 20, SIGNATURE), _field("13", 29, 56, 20, SIGNATURE)]
    fields += _referring(encounter)
    fields += _diagnoses(encounter)
    auth = next((item.prior_auth for item in encounter.lines if item.prior_auth), None)
    if auth:
        fields.append(_field("23", 40, 50, 29, auth))
    return fields + _provider(encounter, config)


def _other_insurance(encounter: Encounter, payers: Mapping[str, Payer]) -> list[Field]:
    """Items 9, 9a, 9d and 11d: the secondary insurance the 837 names in 2320/2330A/2330B
    (the same OtherPayer, cleaned the same way), or 11d NO when there is none. 9a is the other
    plan's group number, or its member id where it has none (the NUCC manual: "policy or group
    number"); 9b and 9c are reserved for NUCC use and stay blank."""
    coordination = known_others(encounter, payers)
    if not coordination.others:
        return [_field("11d", 26, 57, 1, "X")]  # NO other health benefit plan
    other = coordination.others[0]
    last = x12_text(other.subscriber.last_name, "NM103")
    first = x12_text(other.subscriber.first_name, "NM104")
    return [
        _field("9", 18, 1, 29, f"{last}, {first}" if first else last),
        _field("9a", 20, 1, 28, other.group_number or other.member_id),
        _field("9d", 26, 1, 29, x12_text(other.payer.name, "NM103")),
        _field("11d", 26, 52, 1, "X"),  # YES: items 9, 9a and 9d are completed
    ]


def _payer(payer: Payer) -> list[Field]:
    """The carrier block at the top right: where the form is mailed."""
    street, more = address_lines(payer.address)
    city = ", ".join(p for p in (x12_text(payer.city, "N401"), " ".join(
        p for p in (payer.state or "", _zip(payer.zip or "")) if p)) if p)
    rows = [x12_text(payer.name, "NM103"), street, more, city]
    return [_field("carrier", 2 + i, 41, 40, text) for i, text in enumerate(r for r in rows if r)]


def _person_fields(line: ServiceLine, prefix: str, person: Person, *, name_box: str,
                   address_box: str, column: int, home: Person | None = None) -> list[Field]:
    """Name (item 2 or 4) and address (5 or 7) of the patient or the insured."""
    last, first = part.person_name(line, prefix, person)
    fields = [_field(name_box, 10, column, 29, f"{last}, {first}" if first else last)]
    home = home or person
    if not part.has_address(home) and prefix == "subscriber":
        return fields
    (street, more), (city, state, zip_code) = part.address(
        line, "patient" if home is line.patient else prefix, home)
    state_column, phone_column = (26, 15) if column == 1 else (74, 65)
    fields += [
        _field(address_box, 12, column, 28, " ".join(p for p in (street, more) if p)),
        _field(address_box, 14, column, 23 if column == 1 else 22, city),
        _field(address_box, 14, state_column, 3, state),
        _field(address_box, 16, column, 12, _zip(zip_code)),
    ]
    phone = "".join(c for c in (line.patient_phone or "") if c.isdigit())
    if prefix == "patient" and len(phone) == 10:
        fields.append(_field(address_box, 16, phone_column, 14, f"({phone[:3]}) {phone[3:6]}-{phone[6:]}"))
    return fields


def _birth_date(box: str, row: int, column: int, ccyymmdd: str) -> list[Field]:
    """MM DD YYYY in the three printed sub-boxes."""
    return [_field(box, row, column, 2, ccyymmdd[4:6]), _field(box, row, column + 3, 2, ccyymmdd[6:8]),
            _field(box, row, column + 6, 4, ccyymmdd[:4])]


def _referring(encounter: Encounter) -> list[Field]:
    """Item 17 (qualifier DN, the name) and 17b (the NPI), as the 837's 2310A."""
    line = next((item for item in encounter.lines if item.referring_npi), None)
    if line is None:
        return []
    npi = part.npi(line, "referring_npi", line.referring_npi)
    last, first = part.split_name(line.referring_name)
    if not last:
        raise part.fail(line, "referring_name", "is needed with referring_npi")
    return [_field("17", 34, 1, 2, "DN"), _field("17", 34, 4, 25, f"{last}, {first}" if first else last),
            _field("17b", 34, 33, 17, npi)]


def _diagnoses(encounter: Encounter) -> list[Field]:
    """Item 21: the ICD indicator 0 (ICD-10-CM) and up to twelve codes A-L, with the dot."""
    fields = [_field("21", 37, 46, 1, "0")]
    for index, code in enumerate(encounter.diagnoses):
        shown = code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"
        fields.append(_field(f"21{LETTERS[index]}", 38 + index // 4, 3 + 13 * (index % 4), 8, shown))
    return fields


def _service_line(item: ServiceLine, index: int, diagnoses: tuple[str, ...],
                  config: Config) -> list[Field]:
    """One line of item 24: dates, place, code and modifiers, pointers, charge, units, NPI."""
    row = FIRST_SERVICE_LINE + 2 * index
    tag = f".{index + 1}"
    day = part.need(item, "date_of_service", item.date_of_service)
    code = part.identifier(item, "procedure_code", item.procedure_code, 48)
    units = part.need(item, "units", item.units)
    pointers = "".join(LETTERS[diagnoses.index(c)] for c in list(dict.fromkeys(item.diagnoses))[:MAX_POINTERS])
    place = item.place_of_service or config.practice.default_place_of_service
    fields = [
        *_service_date("24A" + tag, row, 1, day), *_service_date("24A" + tag, row, 10, day),
        _field("24B" + tag, row, 19, 2, place),
        _field("24D" + tag, row, 25, 6, code),
        *[_field("24D" + tag, row, 33 + 3 * i, 2, m) for i, m in enumerate(item.modifiers[:4])],
        _field("24E" + tag, row, 45, 4, pointers),
        *_money_fields("24F" + tag, row, 50, part.need(item, "charge", item.charge)),
        _field("24G" + tag, row, 59, 3, str(units), right=True),
    ]
    rendering = item.rendering_npi or config.practice.npi  # the 837's 2310B/2420A, else 2010AA
    fields.append(_field("24J" + tag, row, 68, 10, part.npi(item, "rendering_npi", rendering)))
    return fields


def _service_date(box: str, row: int, column: int, day: dt.date) -> list[Field]:
    month, day_of_month, year = _date_parts(day)
    return [_field(box, row, column, 2, month), _field(box, row, column + 3, 2, day_of_month),
            _field(box, row, column + 6, 2, year)]


@lru_cache(maxsize=1024)
def _date_parts(day: dt.date) -> tuple[str, str, str]:
    """MM, DD and YY of a date: once per date (a day's forms print the same few, twice a line)."""
    return f"{day:%m}", f"{day:%d}", f"{day:%y}"


def _money_fields(box: str, row: int, column: int, amount: Decimal) -> list[Field]:
    """Dollars right-aligned before the form's dividing line, cents after it."""
    dollars, cents = f"{amount:.2f}".split(".")
    return [_field(box, row, column, 6, dollars, right=True), _field(box, row, column + 7, 2, cents)]


def _provider(encounter: Encounter, config: Config) -> list[Field]:
    """Items 25-27 and 31-33: tax ID, account number, assignment, the practice as service
    facility (32) and billing provider (33) with their NPIs, and its phone."""
    practice = config.practice
    name = x12_text(practice.name, "NM103")
    street, more = address_lines(practice.address)
    city = f"{x12_text(practice.city, 'N401')} {practice.state} {_zip(practice.zip)}"
    fields = [
        _field("25", 56, 1, 15, practice.tax_id), _field("25", 56, 19, 1, "X"),
        _field("26", 56, 23, 14, encounter.encounter_id),
        _field("27", 56, 38, 1, "X"),
        _field("31", 60, 1, 20, SIGNATURE),
    ]
    phone = "".join(c for c in practice.phone if c.isdigit())
    if len(phone) == 10:
        fields.append(_field("33", 57, 66, 14, f"({phone[:3]}) {phone[3:6]}-{phone[6:]}"))
    for box, column in (("32", 23), ("33", 50)):
        width = 26 if column == 23 else 31
        fields += [_field(box, 58, column, width, name),
                   _field(box, 59, column, width, " ".join(p for p in (street, more) if p)),
                   _field(box, 60, column, width, city),
                   _field(f"{box}a", 61, column + 1, 10, practice.npi)]
    return fields


def _zip(value: str) -> str:
    return f"{value[:5]}-{value[5:]}" if len(value) == 9 else value
