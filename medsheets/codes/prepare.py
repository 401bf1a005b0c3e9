"""What a line gets before it is checked: known demographics, defaults, clinicians, its price.

A returning patient's row may leave name, birth date, address, contact, member ID (the
secondary's too, when the row names the secondary payer) and guarantor blank when the ledger
already knows them (the patient's profile: see `medsheets.ledger.profiles`); a row naming no
secondary payer at all gets the secondary the profile ranks second (unless it is the row's
primary payer now), and `secondary_payer_id` NONE says the patient has no secondary any more
(docs/secondary-insurance.md); the tertiary the same way (`tertiary_*`, ranked third, after a
secondary only); a blank place of service means the practice's default
(medsheets.toml); a blank charge means the fee schedule's fee for the code times the units; a
blank rendering_npi means `[practice] default_rendering_npi`, and a referring NPI without a
typed name takes its name from the Providers sheet. Filling these first lets the edits judge
the line exactly as it will be billed. Nothing typed on the row is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from operator import attrgetter
from typing import Any

from medsheets.model import CodeSets, Coverage, PatientProfile, Person, ServiceLine

PERSON_FIELDS = tuple(f.name for f in fields(Person))
NO_SECONDARY = "NONE"  # typed in secondary_payer_id: the patient's secondary has ended
PRIMARY, SECONDARY, TERTIARY = 1, 2, 3
FURTHER = {SECONDARY: "secondary", TERTIARY: "tertiary"}  # the ServiceLine field of each rank


def prepare_line(
    line: ServiceLine,
    codesets: CodeSets,
    default_place_of_service: str,
    profiles: Mapping[str, PatientProfile],
    default_rendering_npi: str | None = None,
) -> ServiceLine:
    """The line with blank demographics, place of service, clinicians and charge filled in
    (one copy at most)."""
    changes: dict[str, Any] = {}
    if ended_secondary(line.secondary):
        line = replace(line, secondary=None, secondary_ended=True)
    if ended_secondary(line.tertiary):
        line = replace(line, tertiary=None, tertiary_ended=True)
    profile = profiles.get(line.patient_id) if line.patient_id is not None else None
    if profile is not None:
        changes.update(from_profile(line, profile))
    if line.place_of_service is None:
        changes["place_of_service"] = default_place_of_service
    if line.rendering_npi is None and default_rendering_npi:
        changes["rendering_npi"] = default_rendering_npi
    if line.referring_npi and not line.referring_name:
        name = referring_name(codesets, line.referring_npi)
        if name is not None:
            changes["referring_name"] = name
    if line.charge is None and line.procedure_code is not None:
        charge = scheduled_charge(codesets, line.procedure_code, line.units)
        if charge is not None:
            changes["charge"] = charge
            changes["charge_from_fee_schedule"] = True
    return with_changes(line, changes) if changes else line


def scheduled_charge(codesets: CodeSets, procedure_code: str, units: int | None) -> Decimal | None:
    """The fee schedule's fee times the units (at least 1); None for a code not in it."""
    procedure = codesets.procedures.get(procedure_code)
    if procedure is None:
        return None
    return procedure.fee * (units if units is not None and units >= 1 else 1)


def referring_name(codesets: CodeSets, npi: str) -> str | None:
    """The Providers sheet's name for a referring NPI, if it lists it."""
    referring = codesets.providers.get(npi)
    return referring.display_name if referring is not None else None


@dataclass(frozen=True)
class LineDefaults:
    """What fills a line's blank place of service, rendering NPI, referring name and charge:
    the part of `prepare_line` that needs no patient profile.

    The encounter reader applies it to a chunk's columns (`fill_columns`) before it builds
    the lines, so that a day's lines are built once, already priced, rather than built and
    then copied to be priced; `prepare_line` then finds nothing of this left to fill. Both
    ways go through `scheduled_charge` and `referring_name`, so they fill the same values."""

    codesets: CodeSets
    place_of_service: str
    rendering_npi: str | None = None

    def fill_columns(self, columns: dict[str, list[Any]]) -> None:
        """The same blanks filled in a chunk's columns, in place (adds charge_from_fee_schedule)."""
        columns["place_of_service"] = [self.place_of_service if place is None else place
                                       for place in columns["place_of_service"]]
        if self.rendering_npi:
            columns["rendering_npi"] = [self.rendering_npi if npi is None else npi
                                        for npi in columns["rendering_npi"]]
        names = columns["referring_name"]
        for j, npi in enumerate(columns["referring_npi"]):
            if npi and not names[j]:
                name = referring_name(self.codesets, npi)
                if name is not None:
                    names[j] = name
        charges, priced = columns["charge"], [False] * len(columns["charge"])
        fees: dict[tuple[str, int], Decimal | None] = {}  # a day bills few (code, units) pairs
        for j, (code, units) in enumerate(zip(columns["procedure_code"], columns["units"])):
            if charges[j] is None and code is not None:
                key = (code, units if units is not None else 1)  # a blank is 1, as on the line
                if key not in fees:
                    fees[key] = scheduled_charge(self.codesets, *key)
                if fees[key] is not None:
                    charges[j], priced[j] = fees[key], True
        columns["charge_from_fee_schedule"] = priced


LINE_FIELDS = tuple(f.name for f in fields(ServiceLine))
_LINE_VALUES = attrgetter(*LINE_FIELDS)
_LINE_INDEX = {name: i for i, name in enumerate(LINE_FIELDS)}


def with_changes(line: ServiceLine, changes: Mapping[str, Any]) -> ServiceLine:
    """`dataclasses.replace(line, **changes)`, without its per-field bookkeeping: prepare_line
    copies nearly every line of a day (a blank charge is priced), 100,000 of them at once."""
    values = list(_LINE_VALUES(line))
    for name, value in changes.items():
        values[_LINE_INDEX[name]] = value
    return ServiceLine(*values)


def ended_secondary(coverage: Coverage | None) -> bool:
    """The row's secondary (or tertiary) cells say only `secondary_payer_id` NONE."""
    return (coverage is not None and (coverage.payer_id or "").upper() == NO_SECONDARY
            and coverage.member_id is None and coverage.group_number is None
            and coverage.subscriber is None)


def from_profile(line: ServiceLine, profile: PatientProfile) -> dict[str, Any]:
    """The changes that fill the line's blanks from the patient's profile, and `from_ledger`
    naming each field filled. Insurance is filled only for the payer the row names: the
    member ID (and group) of that patient with that payer, and who holds the policy when the
    row says nothing about the subscriber."""
    changes: dict[str, Any] = {}
    filled: set[str] = set()
    patient = fill_person(line.patient, profile.patient)
    if patient is not line.patient:
        changes["patient"] = patient
        filled |= {f"patient.{name}" for name in PERSON_FIELDS
                   if getattr(line.patient, name) is None and getattr(patient, name) is not None}
    for name, known in (("patient_email", profile.email), ("patient_phone", profile.phone),
                        ("guarantor", profile.guarantor)):
        if getattr(line, name) is None and known is not None:
            changes[name] = known
            filled.add(name)
    coverage = profile.coverages.get(line.payer_id) if line.payer_id else None
    if coverage is None:
        pass
    elif line.member_id is None and coverage.member_id:
        changes["member_id"] = coverage.member_id
        filled.add("member_id")
        if line.group_number is None and coverage.group_number:
            changes["group_number"] = coverage.group_number
            filled.add("group_number")
    if coverage is not None and coverage.subscriber_relationship != "self":
        # A blank relationship reads as self; with no subscriber typed either, the row says
        # nothing about who holds the policy, and the ledger's holder stands.
        if line.subscriber is None and line.subscriber_relationship == "self":
            changes["subscriber_relationship"] = coverage.subscriber_relationship
            changes["subscriber"] = coverage.subscriber
            filled |= {"subscriber_relationship", "subscriber"}
    secondary = _further_from_profile(line, profile, filled)
    if secondary is not None:
        changes["secondary"] = secondary
    # the tertiary after the secondary this row now has (typed or from the profile)
    tertiary = _further_from_profile(replace(line, secondary=secondary) if secondary else line,
                                     profile, filled, TERTIARY)
    if tertiary is not None:
        changes["tertiary"] = tertiary
    if filled:
        changes["from_ledger"] = line.from_ledger | filled
    return changes


def _further_from_profile(line: ServiceLine, profile: PatientProfile, filled: set[str],
                          rank: int = SECONDARY) -> Coverage | None:
    """The row's secondary (rank 3: tertiary) with its blank member ID (and group, and who
    holds it) taken from what the ledger knows of the patient with that payer; None when
    nothing is filled. As for the primary, only the payer the row names: a row without that
    payer ID gets the insurance the profile ranks so (`_ranked`)."""
    name = FURTHER[rank]
    typed = getattr(line, name)
    if typed is None:
        return _ranked(line, profile, filled, rank)
    known = profile.coverages.get(typed.payer_id) if typed.payer_id else None
    if known is None or typed.member_id is not None or not known.member_id:
        return None
    changes: dict[str, Any] = {"member_id": known.member_id}
    if typed.group_number is None and known.group_number:
        changes["group_number"] = known.group_number
    if (known.subscriber_relationship != "self" and typed.subscriber is None
            and typed.subscriber_relationship == "self"):
        changes.update(subscriber_relationship=known.subscriber_relationship,
                       subscriber=known.subscriber)
    filled |= {f"{name}.{field}" for field in changes}
    return replace(typed, **changes)


def _ranked(line: ServiceLine, profile: PatientProfile, filled: set[str], rank: int) -> Coverage | None:
    """For a row naming no secondary (tertiary): the insurance the profile ranks second
    (third), if the row is billed to another payer (a self-pay visit, or that insurance now
    billed ahead of it: none; a tertiary only after a secondary)."""
    name = FURTHER[rank]
    if line.is_self_pay or not line.payer_id or getattr(line, f"{name}_ended"):
        return None
    ahead = {line.payer_id}
    if rank == TERTIARY:
        if line.secondary is None or not line.secondary.payer_id:
            return None
        ahead.add(line.secondary.payer_id)
    ranked = next((c for c in profile.coverages.values() if c.rank == rank), None)
    if ranked is None or ranked.payer_id in ahead or not ranked.member_id:
        return None
    filled.add(name)
    return replace(ranked, rank=None)


def fill_person(person: Person, known: Person) -> Person:
    """`person` with each blank field taken from `known`; the same object when nothing is blank."""
    filled = {
        name: getattr(known, name)
        for name in PERSON_FIELDS
        if getattr(person, name) is None and getattr(known, name) is not None
    }
    return replace(person, **filled) if filled else person


def visit_profile(line: ServiceLine) -> PatientProfile:
    """What a billed visit tells the ledger about its patient: demographics, contact,
    guarantor, and the coverage of the payer billed, of the secondary and of the tertiary payer
    (nothing for a self-pay visit)."""
    covers: dict[str, Coverage] = {}
    if line.payer_id and line.member_id:
        covers[line.payer_id] = Coverage(line.payer_id, line.member_id, line.group_number,
                                         line.subscriber_relationship, line.subscriber, PRIMARY)
    further = line.secondary if not line.is_self_pay else None
    if further is not None and further.payer_id and further.member_id:
        # its member with the secondary payer (a payer both primary and secondary: primary)
        covers.setdefault(further.payer_id, replace(further, rank=SECONDARY))
    third = line.tertiary if further is not None else None
    if third is not None and third.payer_id and third.member_id:
        covers.setdefault(third.payer_id, replace(third, rank=TERTIARY))
    # no secondary now: no tertiary either (it would be the secondary)
    ended = frozenset({SECONDARY, TERTIARY} if line.secondary_ended else
                      {TERTIARY} if line.tertiary_ended else ())
    return PatientProfile(line.patient, line.patient_email, line.patient_phone, covers,
                          line.guarantor, ended)


def visit_profiles(lines: Iterable[ServiceLine]) -> dict[str, PatientProfile]:
    """One profile per patient from their latest visit among `lines` (the last read wins a tie)."""
    latest: dict[str, ServiceLine] = {}
    for line in lines:
        if line.patient_id is None:
            continue
        seen = latest.get(line.patient_id)
        if seen is None or (line.date_of_service or seen.date_of_service) >= (seen.date_of_service or line.date_of_service):
            latest[line.patient_id] = line
    return {patient_id: visit_profile(line) for patient_id, line in latest.items()}


def merge_profile(known: PatientProfile | None, newer: PatientProfile) -> PatientProfile:
    """`known` brought up to date by `newer`: each value `newer` has wins, a blank keeps the
    known one (what the ledger does when it remembers a visit)."""
    if known is None:
        return newer
    taken: dict[int | None, str] = {c.rank: payer for payer, c in newer.coverages.items()
                                    if c.rank is not None}
    coverages = {payer_id: replace(c, rank=None) if c.rank in newer.ended_ranks
                 or taken.get(c.rank, payer_id) != payer_id else c
                 for payer_id, c in known.coverages.items()}  # as remember_profiles reranks
    for payer_id, coverage in newer.coverages.items():
        coverages[payer_id] = _newer(coverages.get(payer_id), coverage)
    return PatientProfile(_newer(known.patient, newer.patient), newer.email or known.email,
                          newer.phone or known.phone, coverages,
                          _newer(known.guarantor, newer.guarantor))


def _newer(known: Any, newer: Any) -> Any:
    """A record with each of `newer`'s non-None fields over `known`'s (flat records only)."""
    if known is None or newer is None:
        return newer if newer is not None else known
    return replace(known, **{f.name: getattr(newer, f.name) for f in fields(newer)
                             if getattr(newer, f.name) is not None})
