"""Patient profiles: what the ledger remembers of each patient between visits.

A returning patient's row may leave demographics, contact, guarantor and the member ID of a
payer blank (SPEC §3 "or from an earlier day already in the ledger"); `patient_profiles` is what
fills them (`medsheets.codes.prepare`). Billing calls `remember_profiles` with what each visit
said, so a changed address or member ID is remembered from then on. Profiles are reference
data, not money: updated in place, and a blank (None) never erases a known value.

A profile is the `patients` row (demographics, contact, guarantor columns) and the patient's
`coverages` rows (one per payer), each ranked as the latest visit named it (1 primary,
2 secondary, 3 tertiary): a payer named at a rank takes it from whichever coverage had it, and
a visit that ends a rank (`ended_ranks`) leaves no coverage at it. Features that remember more about a patient (a secondary
insurance) extend `PatientProfile` and these two functions.

`billed_lines` is the other half of a patient's history the checks need: what was already
billed for them on a day, so the same visit typed again under a new encounter id is caught.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import fields
from operator import attrgetter
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.records import ClaimStatus
from medsheets.ledger.schema import GUARANTOR_SIZES, claim_lines, claims, coverages, patients
from medsheets.ledger.sql import insert_all, utc_now
from medsheets.model import BilledLine, Coverage, Guarantor, PatientProfile, Person

PERSON_COLUMNS = tuple(f.name for f in fields(Person))
GUARANTOR_COLUMNS = tuple(f"guarantor_{name}" for name, _ in GUARANTOR_SIZES)
SUBSCRIBER_FIELDS = ("last_name", "first_name", "dob", "sex")
_PERSON = attrgetter(*PERSON_COLUMNS)
_GUARANTOR = attrgetter(*(f.name for f in fields(Guarantor)))
CHUNK = 500


class ProfilesMixin:
    """Transaction methods that read and remember patient profiles."""

    conn: sa.Connection

    def patient_profiles(self, patient_ids: Iterable[str] | None = None) -> dict[str, PatientProfile]:
        """The profiles of `patient_ids` (every patient when None), by patient_id."""
        wanted = None if patient_ids is None else list(dict.fromkeys(patient_ids))
        rows: list[Any] = []
        covers: dict[str, dict[str, Coverage]] = {}
        for where_patients, where_coverages in _chunks(wanted):
            rows += self.conn.execute(sa.select(patients).where(where_patients)).all()
            for row in self.conn.execute(sa.select(coverages).where(where_coverages)):
                covers.setdefault(row.patient_id, {})[row.payer_id] = _coverage(row)
        return {row.patient_id: _profile(row, covers.get(row.patient_id, {})) for row in rows}

    def latest_payers(self, patient_ids: Iterable[str]) -> dict[str, str]:
        """The payer of each patient's most recent insured claim (by date of service)."""
        wanted = list(dict.fromkeys(patient_ids))
        found: dict[str, tuple[dt.date, int, str]] = {}
        for start in range(0, len(wanted), CHUNK):
            query = sa.select(claims.c.patient_id, claims.c.date_of_service, claims.c.id,
                              claims.c.payer_id).where(
                claims.c.patient_id.in_(wanted[start:start + CHUNK]), claims.c.payer_id.is_not(None))
            for row in self.conn.execute(query):
                seen = found.get(row.patient_id)
                if seen is None or (row.date_of_service, row.id) > seen[:2]:
                    found[row.patient_id] = (row.date_of_service, row.id, row.payer_id)
        return {pid: payer for pid, (_, _, payer) in found.items()}

    def remember_profiles(self, profiles: Mapping[str, PatientProfile]) -> None:
        """Add new patients and bring known ones up to date: demographics, contact, guarantor
        and the coverage of each payer named (a None never erases a known value). New rows
        go in with one executemany per table: a day may bring thousands of new patients."""
        known = self.patient_profiles(profiles)
        now = utc_now()
        new_patients: list[dict[str, Any]] = []
        new_coverages: list[dict[str, Any]] = []
        for patient_id, profile in profiles.items():
            before = known.get(patient_id)
            given = _patient_values(profile)
            if before is None:
                new_patients.append({"patient_id": patient_id, "updated_at": now, **given})
            elif changed := _changes(given, _patient_values(before)):
                self.conn.execute(patients.update().where(patients.c.patient_id == patient_id)
                                  .values(updated_at=now, **changed))
            self._rerank(patient_id, profile, before)
            for payer_id, coverage in profile.coverages.items():
                old = before.coverages.get(payer_id) if before is not None else None
                values = _coverage_values(coverage)
                if old is None:
                    new_coverages.append({"patient_id": patient_id, "payer_id": payer_id,
                                          "updated_at": now, **values})
                elif changed := _changes(values, _coverage_values(old)):
                    self.conn.execute(coverages.update().where(
                        (coverages.c.patient_id == patient_id) & (coverages.c.payer_id == payer_id)
                    ).values(updated_at=now, **changed))
        insert_all(self.conn, patients, new_patients)
        insert_all(self.conn, coverages, new_coverages)

    def _rerank(self, patient_id: str, profile: PatientProfile, before: PatientProfile | None) -> None:
        """Unrank the known coverages whose rank the visit gives another payer, or ends."""
        if before is None:
            return
        taken: dict[int | None, str] = {c.rank: payer for payer, c in profile.coverages.items()
                                        if c.rank is not None}
        for payer_id, known in before.coverages.items():
            if known.rank in profile.ended_ranks or taken.get(known.rank, payer_id) != payer_id:
                self.conn.execute(coverages.update().where(
                    (coverages.c.patient_id == patient_id) & (coverages.c.payer_id == payer_id)
                ).values(rank=None))


def _changes(given: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v is not None and v != before[k]}


def _chunks(wanted: list[str] | None) -> Iterable[tuple[Any, Any]]:
    if wanted is None:
        yield sa.true(), sa.true()
        return
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start:start + CHUNK]
        yield patients.c.patient_id.in_(part), coverages.c.patient_id.in_(part)


def _profile(row: Any, covers: Mapping[str, Coverage]) -> PatientProfile:
    guarantor_values = [getattr(row, name) for name in GUARANTOR_COLUMNS]
    guarantor = Guarantor(*guarantor_values) if any(guarantor_values) else None
    return PatientProfile(Person(*(getattr(row, name) for name in PERSON_COLUMNS)),
                          row.email, row.phone, dict(covers), guarantor)


def _coverage(row: Any) -> Coverage:
    subscriber = None
    if row.subscriber_relationship != "self" or row.subscriber_last_name:
        subscriber = Person(row.subscriber_last_name, row.subscriber_first_name, row.subscriber_dob,
                            row.subscriber_sex)
    return Coverage(row.payer_id, row.member_id, row.group_number, row.subscriber_relationship,
                    subscriber, row.rank)


def _patient_values(profile: PatientProfile) -> dict[str, Any]:
    """The patients row's columns of a profile (Person and Guarantor are flat records: their
    fields read straight, not through `astuple`'s deep copy, ~30,000 profiles a big day)."""
    guarantor = _GUARANTOR(profile.guarantor) if profile.guarantor else (None,) * len(GUARANTOR_COLUMNS)
    return {**dict(zip(PERSON_COLUMNS, _PERSON(profile.patient))), "email": profile.email,
            "phone": profile.phone, **dict(zip(GUARANTOR_COLUMNS, guarantor))}


def _coverage_values(coverage: Coverage) -> dict[str, Any]:
    subscriber = coverage.subscriber
    return {"member_id": coverage.member_id, "group_number": coverage.group_number,
            "subscriber_relationship": coverage.subscriber_relationship, "rank": coverage.rank,
            **{f"subscriber_{name}": getattr(subscriber, name) if subscriber else None
               for name in SUBSCRIBER_FIELDS}}


class BilledLinesMixin:
    """What the ledger has billed for a patient on a day: the duplicate-visit edit's memory."""

    conn: sa.Connection

    def billed_lines(self, days: Iterable[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], list[BilledLine]]:
        """The billed (not voided) lines of each (patient_id, date_of_service) in `days`."""
        wanted = set(days)
        patients_wanted = sorted({patient_id for patient_id, _ in wanted})
        found: dict[tuple[str, dt.date], list[BilledLine]] = {}
        query = (sa.select(claims.c.encounter_id, claims.c.patient_id, claim_lines.c.date_of_service,
                           claim_lines.c.procedure_code, claim_lines.c.modifiers)
                 .join(claims, claims.c.id == claim_lines.c.claim_id)
                 .where(claims.c.status != ClaimStatus.VOID.value))
        for start in range(0, len(patients_wanted), CHUNK):
            chunk = patients_wanted[start:start + CHUNK]
            for row in self.conn.execute(query.where(claims.c.patient_id.in_(chunk))):
                key = (row.patient_id, row.date_of_service)
                if key in wanted:
                    found.setdefault(key, []).append(BilledLine(
                        row.encounter_id, row.patient_id, row.date_of_service, row.procedure_code,
                        frozenset(m for m in row.modifiers.split(",") if m)))
        return found
