"""The segments of one claim in an 837P: subscriber, payer, patient, claim and service lines.

One encounter becomes one 2000B subscriber loop (and a 2000C patient loop when the patient is
not the subscriber) holding one 2300 claim. Claim-level values come from the encounter's first
line, as `Encounter` documents. Loop and element choices follow 005010X222A1; where the
workbook lacks something the guide wants, the choice made is written next to the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from medsheets.identifiers import PLACE_OF_SERVICE, id_problem, x12_text
from medsheets.model import Encounter, Payer, Person, Provider, ServiceLine
from medsheets.money import ZERO, x12_amount
from medsheets.x12 import claim_parts as part
from medsheets.x12.cob_loops import Coordination, line_adjudication_loops, other_payer_loops
from medsheets.x12.errors import ClaimInputError

MAX_DIAGNOSES = 12  # HI holds 12 codes
MAX_POINTERS = 4  # SV107 points at 4 of them
MAX_LINES = 50  # 2400 repeats at most 50 times
ORIGINAL = "1"  # CLM05-3 of a first submission
RESUBMISSION_CODES = {"7": "replacement (corrected claim)", "8": "void"}
MAX_PAYER_CLAIM_NUMBER = 50  # REF02 of REF*F8

# The segments every claim writes, their shape checked once (claim_parts.template).
V = part.VALUE
_SUBSCRIBER_HL = part.template("2000B", "HL", V, "1", "22", V)
_SUBSCRIBER_SBR = part.template("2000B", "SBR", V, V, V, "", "", "", "", "", V)
_PAYER_NAME = part.template("2010BB", "NM1", "PR", "2", V, "", "", "", "", "PI", V)
_PERSON = {loop: (part.template(loop, "NM1", entity, "1", V, V, "", "", "", V, V),
                  part.template(loop, "N3", V, V), part.template(loop, "N4", V, V, V),
                  part.template(loop, "DMG", "D8", V, V))
           for loop, entity in (("2010BA", "IL"), ("2010CA", "QC"))}
_CLAIM = part.template("2300", "CLM", V, V, "", "", V, "Y", "A", "Y", "Y")
_PATIENT_PAID = part.template("2300", "AMT", "F5", V)
_PRIOR_AUTH = part.template("2300", "REF", "G1", V)
_ORIGINAL_NUMBER = part.template("2300", "REF", "F8", V)
_DIAGNOSES = {count: part.template("2300", "HI", *(V,) * count) for count in range(1, MAX_DIAGNOSES + 1)}
_LINE_NUMBER = part.template("2400", "LX", V)
_SERVICE = part.template("2400", "SV1", V, V, "UN", V, V, "", V)
_SERVICE_DATE = part.template("2400", "DTP", "472", "D8", V)
_LINE_CONTROL = part.template("2400", "REF", "6R", V)


@dataclass(frozen=True)
class Resubmission:
    """A claim that replaces (frequency 7) or cancels (8) one the payer already has.

    The guide requires the payer's own number for the claim being replaced (its ICN/DCN, from
    the 835's CLP07) in REF*F8, so the payer can find it; without one there is nothing on file
    to replace, and the claim must go out again as an original (frequency 1) instead.
    """

    frequency_code: str
    payer_claim_number: str
    payer_id: str | None = None  # only the claim to this payer (None: to any payer)


@dataclass(frozen=True)
class ClaimContext:
    """What every claim in a transaction shares: the billing provider and look-ups.

    `resubmissions` maps an encounter id to how its claim replaces or voids an earlier one;
    an encounter not in it is an original claim (CLM05-3 = 1).
    """

    billing_npi: str
    practice_name: str  # cleaned, for a rendering provider whose name is not known
    default_place_of_service: str
    line_control_numbers: Mapping[tuple[str, int], str]
    providers: Mapping[str, Provider]  # the Providers sheet, by NPI
    resubmissions: Mapping[str, Resubmission] = field(default_factory=dict)
    # The 2310B/2420A segments of each rendering NPI, made once per batch (see _rendering).
    rendered: dict[tuple[str, str], list[str]] = field(default_factory=dict, compare=False, repr=False)
    # SV101 of each (procedure code, modifiers), checked once per batch (see _procedure).
    procedures: dict[tuple[str | None, tuple[str, ...]], tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False)


def subscriber_loops(encounter: Encounter, payer: Payer, hl: int, responsibility: str = "P") -> list[str]:
    """2000B (HL, SBR), 2010BA subscriber, 2010BB payer, and 2000C/2010CA when needed.

    `hl` is this subscriber's HL number; the patient's, if any, is hl + 1 (parent hl).
    `responsibility` is SBR01: P to the primary, S to a secondary (a COB claim), T tertiary.
    """
    line = encounter.first
    is_self = line.subscriber_relationship == "self"
    if not is_self and line.subscriber_relationship not in part.PATIENT_RELATIONSHIP:
        raise part.fail(line, "subscriber_relationship", "must be self, spouse, child or other")
    if payer.claim_filing not in part.CLAIM_FILING_CODES:
        raise ClaimInputError(f"Payers sheet: claim_filing of payer {payer.payer_id} is not an "
                                   "SBR09 code (CI, MB, MC, HM, BL...); fix the Payers sheet")
    member = part.identifier(line, "member_id", line.member_id, 80, 2)
    group = part.identifier(line, "group_number", line.group_number, 50) if line.group_number else ""
    segments = [
        _SUBSCRIBER_HL.fill(str(hl), "0" if is_self else "1"),
        _SUBSCRIBER_SBR.fill(responsibility, "18" if is_self else "", group, payer.claim_filing),
    ]
    if is_self:
        segments += _person(line, "2010BA", "IL", line.patient, member)
    else:
        segments += _other_subscriber(line, member)
    payer_id = part.identifier(line, "payer_id", payer.payer_id, 80, 2)
    payer_name = x12_text(payer.name, "NM103") or payer_id
    segments.append(_PAYER_NAME.fill(payer_name, payer_id))
    if not is_self:
        segments.append(part.seg("2000C", "HL", str(hl + 1), str(hl), "23", "0"))
        segments.append(part.seg("2000C", "PAT", part.PATIENT_RELATIONSHIP[line.subscriber_relationship]))
        segments += _person(line, "2010CA", "QC", line.patient, None)
    return segments


def _person(line: ServiceLine, loop: str, entity: str, person: Person, member: str | None) -> list[str]:
    """NM1 + N3 + N4 + DMG for a subscriber who is the patient (IL, 2010BA) or a patient (QC,
    2010CA); the cells named are the patient's either way."""
    prefix = "patient"
    last, first = part.person_name(line, prefix, person)
    (n301, n302), (city, state, zip_code) = part.address(line, prefix, person)
    dob, sex = part.demographics(line, prefix, person)
    name, street, place, demographics = _PERSON[loop]
    return [
        name.fill(last, first, "MI" if member else "", member or ""),
        street.fill(n301, n302),
        place.fill(city, state, zip_code),
        demographics.fill(dob, sex),
    ]


def _other_subscriber(line: ServiceLine, member: str) -> list[str]:
    """2010BA for a subscriber who is not the patient: name and member ID; address and DMG
    when known (the guide requires them only when the subscriber is the patient). With no
    subscriber address in the workbook, the patient's is used: they share a household."""
    subscriber = line.subscriber
    if subscriber is None:
        raise part.fail(line, "subscriber_last_name", "is missing (the patient is not the subscriber)")
    last, first = part.person_name(line, "subscriber", subscriber)
    segments = [part.seg("2010BA", "NM1", "IL", "1", last, first, "", "", "", "MI", member)]
    home = subscriber if part.has_address(subscriber) else line.patient
    if part.has_address(home):
        (n301, n302), (city, state, zip_code) = part.address(line, "patient", home)
        segments += [part.seg("2010BA", "N3", n301, n302), part.seg("2010BA", "N4", city, state, zip_code)]
    if subscriber.dob is not None:
        sex = (subscriber.sex or "U").strip().upper()
        sex = sex if sex in ("M", "F", "U") else "U"
        segments.append(part.seg("2010BA", "DMG", "D8", subscriber.dob.strftime("%Y%m%d"), sex))
    return segments


def claim_segments(encounter: Encounter, ctx: ClaimContext,
                   coordination: Coordination = Coordination()) -> list[str]:
    """2300 CLM, AMT, REF, HI; 2310A referring, 2310B rendering; 2320/2330 for each other
    payer (cob_loops); then every 2400 line, with its 2430 when another payer adjudicated it."""
    line = encounter.first
    claim_id = part.identifier(line, "encounter_id", encounter.encounter_id, 20)
    if len(encounter.lines) > MAX_LINES:
        raise part.fail(line, "encounter_id", f"has more than {MAX_LINES} lines; split the visit")
    diagnoses = checked_diagnoses(encounter)
    place = _place(line, ctx)
    charges = [_charge(item) for item in encounter.lines]
    total = sum(charges, ZERO)
    resubmission = ctx.resubmissions.get(encounter.encounter_id)
    if resubmission and resubmission.payer_id not in (None, line.payer_id):
        resubmission = None  # a rebill: the void goes to the first payer, the original here
    frequency, original_number = _frequency(encounter, resubmission)
    segments = [_CLAIM.fill(claim_id, part.amount(total), (place, "B", frequency))]
    paid = sum((item.copay_collected or ZERO for item in encounter.lines), ZERO)
    if paid > 0:
        segments.append(_PATIENT_PAID.fill(x12_amount(paid)))
    auth_line = next((item for item in encounter.lines if item.prior_auth), None)
    if auth_line is not None:
        segments.append(_PRIOR_AUTH.fill(part.identifier(auth_line, "prior_auth", auth_line.prior_auth, 50)))
    if original_number:  # the guide orders the 2300 REFs: ... G1 (prior auth), then F8
        segments.append(_ORIGINAL_NUMBER.fill(original_number))
    segments.append(_DIAGNOSES[len(diagnoses)].fill(*(("ABK" if i == 0 else "ABF", code) for i, code in enumerate(diagnoses))))
    segments += _referring(encounter, ctx)
    rendering = line.rendering_npi if line.rendering_npi and line.rendering_npi != ctx.billing_npi else None
    if rendering:
        segments += _rendering("2310B", line, rendering, ctx)
    for other in coordination.others:
        segments += other_payer_loops(encounter, other)
    for index, item in enumerate(encounter.lines):
        segments += _service_line(encounter, index, item, charges[index], diagnoses, place, ctx, rendering)
        if coordination.others:  # most claims go to their only payer: no 2430 to look for
            segments += line_adjudication_loops(coordination.others, index)
    return segments


def _frequency(encounter: Encounter, resubmission: Resubmission | None) -> tuple[str, str]:
    """(CLM05-3, the payer claim number for REF*F8 or ''). A 7 or 8 needs the payer's number."""
    if resubmission is None:
        return ORIGINAL, ""
    if resubmission.frequency_code not in RESUBMISSION_CODES:
        raise ValueError(f"claim frequency {resubmission.frequency_code!r} is not 7 (replacement) "
                         "or 8 (void)")
    number = resubmission.payer_claim_number
    problem = id_problem(number) or (f"is longer than {MAX_PAYER_CLAIM_NUMBER} characters"
                                     if len(number) > MAX_PAYER_CLAIM_NUMBER else None)
    if problem:
        raise ClaimInputError(f"{encounter.first.origin.at('encounter_id')}: the payer claim number "
                              f"of claim {encounter.encounter_id} {problem}; a corrected or void "
                              "claim needs the number from the payer's remittance")
    return resubmission.frequency_code, number


def checked_diagnoses(encounter: Encounter) -> tuple[str, ...]:
    """The claim's diagnoses (HI, box 21), each one a claim can carry; else ClaimInputError."""
    codes = encounter.diagnoses
    line = encounter.first
    if not codes:
        raise part.fail(line, "dx1", "is missing")
    if len(codes) > MAX_DIAGNOSES:
        raise part.fail(line, "dx1", f"the visit has more than {MAX_DIAGNOSES} diagnoses; split it")
    for code in codes:
        if id_problem(code) or "." in code:
            raise part.fail(line, "dx1", "holds a diagnosis code a claim cannot carry")
    return codes


def _place(line: ServiceLine, ctx: ClaimContext) -> str:
    place = line.place_of_service or ctx.default_place_of_service
    if not PLACE_OF_SERVICE.match(place):
        raise part.fail(line, "place_of_service", "must be a 2-digit place of service code")
    return place


def _line_place(line: ServiceLine, ctx: ClaimContext, claim_place: str) -> str:
    """A line's place of service: most lines have the claim's, which `claim_segments` checked
    already (an equal value passes equally); any other is checked here."""
    place = line.place_of_service or ctx.default_place_of_service
    return place if place == claim_place else _place(line, ctx)


_POINTER_TEXT = tuple(str(number) for number in range(1, MAX_DIAGNOSES + 1))  # SV107's "1".."12"


def _pointers(own: tuple[str, ...], diagnoses: tuple[str, ...]) -> tuple[str, ...]:
    """SV107: where a line's first MAX_POINTERS distinct diagnoses stand in the claim's HI.

    Not remembered: nearly every claim has its own HI (a few dozen codes in ever other
    combinations), so a cache keyed by it would only miss."""
    distinct = list(dict.fromkeys(own))[:MAX_POINTERS]
    return tuple([_POINTER_TEXT[diagnoses.index(code)] for code in distinct])


def _charge(line: ServiceLine) -> Decimal:
    charge = part.need(line, "charge", line.charge)
    if charge < ZERO:
        raise part.fail(line, "charge", "is negative")
    return charge


def _referring(encounter: Encounter, ctx: ClaimContext) -> list[str]:
    """2310A: the first line's referring provider (a person, NM102 = 1), when one is given.
    The name typed in referring_name wins; else the Providers sheet's."""
    line = next((item for item in encounter.lines if item.referring_npi), None)
    if line is None:
        return []
    npi = part.npi(line, "referring_npi", line.referring_npi)
    listed = ctx.providers.get(npi)
    if line.referring_name:
        last, first = part.split_name(line.referring_name)
    elif listed is not None:
        last, first = x12_text(listed.last_name, "NM103"), x12_text(listed.first_name, "NM104")
    else:
        last, first = "", ""
    if not last:
        raise part.fail(line, "referring_name", "is needed with referring_npi")
    return [part.seg("2310A", "NM1", "DN", "1", last, first, "", "", "", "XX", npi)]


def _rendering(loop: str, line: ServiceLine, npi: str, ctx: ClaimContext) -> list[str]:
    """NM1*82 and PRV*PE (2310B or 2420A, as `loop` says): the name and taxonomy from the
    Providers sheet (NM102 = 2 for an organisation, listed without a first name). An NPI the
    sheet lacks is held by the edits; should one get here, the practice name stands in."""
    npi = part.npi(line, "rendering_npi", npi)
    made = ctx.rendered.get((loop, npi))
    if made is None:
        made = ctx.rendered[(loop, npi)] = _rendering_segments(loop, npi, ctx)
    return made


def _rendering_segments(loop: str, npi: str, ctx: ClaimContext) -> list[str]:
    listed = ctx.providers.get(npi)
    if listed is None:
        return [part.seg(loop, "NM1", "82", "1", ctx.practice_name, "", "", "", "", "XX", npi)]
    last = x12_text(listed.last_name, "NM103") or ctx.practice_name
    first = x12_text(listed.first_name, "NM104")
    segments = [part.seg(loop, "NM1", "82", "1" if first else "2", last, first, "", "", "", "XX", npi)]
    if listed.taxonomy:
        segments.append(part.seg(loop, "PRV", "PE", "PXC", listed.taxonomy))
    return segments


def _service_line(
    encounter: Encounter, index: int, line: ServiceLine, charge: Decimal, diagnoses: tuple[str, ...],
    claim_place: str, ctx: ClaimContext, claim_rendering: str | None,
) -> list[str]:
    """2400: LX, SV1, DTP*472, REF*6R, and 2420A when this line's rendering NPI differs.
    `charge` is the line's, checked (`_charge`) with the claim's total."""
    procedure = _procedure(line, ctx)
    units = part.need(line, "units", line.units)
    if units < 1:
        raise part.fail(line, "units", "must be a positive whole number")
    if not line.diagnoses:
        raise part.fail(line, "dx1", "is missing")
    pointers = _pointers(line.diagnoses, diagnoses)
    place = _line_place(line, ctx, claim_place)
    day = part.need(line, "date_of_service", line.date_of_service)
    control = ctx.line_control_numbers.get((encounter.encounter_id, index))
    if control:
        control = part.identifier(line, "encounter_id", control, 50)
    else:  # made of the encounter id claim_segments checked (at most 20 ID characters): it fits
        control = f"{encounter.encounter_id}-{index + 1}"
    segments = [
        _LINE_NUMBER.fill(str(index + 1)),
        _SERVICE.fill(procedure, part.amount(charge), str(units),
                      place if place != claim_place else "", pointers),
        _SERVICE_DATE.fill(part.ccyymmdd(day)),
        _LINE_CONTROL.fill(control),
    ]
    own = line.rendering_npi
    if own and own != (claim_rendering or ctx.billing_npi):
        segments += _rendering("2420A", line, own, ctx)
    return segments


def _procedure(line: ServiceLine, ctx: ClaimContext) -> tuple[str, ...]:
    """SV101: ("HC", the procedure code, its modifiers), each ID checked.

    A day bills a few dozen procedure and modifier combinations on a hundred thousand lines, so
    each distinct one is checked once per batch and remembered in `ctx.procedures`; one that
    fails is not remembered, and raises at each line that holds it."""
    key = (line.procedure_code, line.modifiers)
    made = ctx.procedures.get(key)
    if made is None:
        code = part.identifier(line, "procedure_code", line.procedure_code, 48)
        modifiers = tuple(part.identifier(line, f"modifier{i}", m, 2)
                          for i, m in enumerate(line.modifiers[:4], 1)) if line.modifiers else ()
        made = ctx.procedures[key] = ("HC", code, *modifiers)
    return made
