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

from medsheets.ledger.plain.rows import (
    GUARANTOR_COLUMNS,
    PERSON_COLUMNS,
    billed_on_days,
    profiles_of,
)
from medsheets.ledger.records import ClaimStatus
from medsheets.ledger.schema import claim_lines, claims, coverages, patients
from medsheets.ledger.sql import insert_all, utc_now
from medsheets.model import BilledLine, Coverage, Guarantor, PatientProfile

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
        parts = [None] if wanted is None else [wanted[i:i + CHUNK] for i in range(0, len(wanted), CHUNK)]
        patient_rows: list[Any] = []
        coverage_rows: list[Any] = []
        for part in parts:
            of_patients, of_coverages = profile_statements(part)
            patient_rows += self.conn.execute(of_patients).all()
            coverage_rows += self.conn.execute(of_coverages).all()
        return profiles_of(patient_rows, coverage_rows)

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


def profile_statements(part: list[str] | None) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The SELECTs of the patients' rows and of their coverages: those of `part`, or everyone's
    (None; what `check` reads, also through the plain path: ledger/plain/)."""
    if part is None:
        return sa.select(patients), sa.select(coverages)
    return (sa.select(patients).where(patients.c.patient_id.in_(part)),
            sa.select(coverages).where(coverages.c.patient_id.in_(part)))


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
        return billed_on_days(days, lambda part: self.conn.execute(
            billed_lines_statement(), {"patient_ids": part}), CHUNK)


def billed_lines_statement() -> sa.Select[Any]:
    """The billed (not voided) lines of the patients bound to `patient_ids` (a list)."""
    return (sa.select(claims.c.encounter_id, claims.c.patient_id, claim_lines.c.date_of_service,
                      claim_lines.c.procedure_code, claim_lines.c.modifiers)
            .join(claims, claims.c.id == claim_lines.c.claim_id)
            .where(claims.c.status != ClaimStatus.VOID.value,
                   claims.c.patient_id.in_(sa.bindparam("patient_ids", expanding=True))))
