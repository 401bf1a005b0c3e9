"""Patients and claims in the ledger: what was billed, to whom, and what it first cost.

A claim is written once, when its encounter is billed, together with its lines and one
`charge` journal entry per line (owed by the payer, or by the patient for a self-pay visit) and
a patient `payment` for any copay collected at the visit. The claim's `fingerprint` lets the
claims command tell a re-run of the same encounter (nothing to do) from a changed one.

Patients are reference data, not money: their demographics are updated in place when a
workbook brings newer ones. A blank (None) never erases what the ledger already knows, since
SPEC §3 lets later workbooks leave demographics out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, fields
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.claims_bulk import NewClaim
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.records import ClaimRow, ClaimStatus, LineRow
from medsheets.ledger.schema import claim_lines, claims, patients
from medsheets.ledger.sql import utc_now
from medsheets.model import Encounter, Person
from medsheets.money import from_cents

PERSON_COLUMNS = tuple(f.name for f in fields(Person))
CLAIM_COLUMNS = [claims.c[f.name] for f in fields(ClaimRow)]


def _claim_row(row: sa.Row[Any]) -> ClaimRow:
    values = row._asdict()
    values["status"] = ClaimStatus(values["status"])
    return ClaimRow(**values)


def _line_row(row: sa.Row[Any]) -> LineRow:
    return LineRow(
        id=row.id, claim_id=row.claim_id, line_number=row.line_number,
        line_control_number=row.line_control_number, procedure_code=row.procedure_code,
        modifiers=tuple(m for m in row.modifiers.split(",") if m), units=row.units,
        charge=from_cents(row.charge_cents), date_of_service=row.date_of_service,
        diagnosis_pointers=tuple(int(p) for p in row.diagnosis_pointers.split(",") if p),
    )


class ClaimsMixin:
    """Transaction methods for patients and claims."""

    conn: sa.Connection

    def upsert_patient(
        self, patient_id: str, person: Person, email: str | None, phone: str | None
    ) -> None:
        """Add a patient, or bring a known one's demographics up to date (None keeps a value)."""
        given = dict(zip(PERSON_COLUMNS, astuple(person)), email=email, phone=phone)
        known = self.conn.execute(
            sa.select(patients).where(patients.c.patient_id == patient_id)
        ).first()
        if known is None:
            self.conn.execute(
                patients.insert().values(patient_id=patient_id, updated_at=utc_now(), **given)
            )
            return
        changed = {k: v for k, v in given.items() if v is not None and v != getattr(known, k)}
        if changed:
            self.conn.execute(
                patients.update()
                .where(patients.c.patient_id == patient_id)
                .values(updated_at=utc_now(), **changed)
            )

    def known_patients(self) -> dict[str, Person]:
        """Every patient the ledger knows, by patient_id, with their latest demographics."""
        columns = [patients.c[name] for name in PERSON_COLUMNS]
        rows = self.conn.execute(sa.select(patients.c.patient_id, *columns))
        return {row[0]: Person(*row[1:]) for row in rows}

    def find_claim(self, encounter_id: str) -> ClaimRow | None:
        """The claim billed for an encounter, if there is one."""
        query = sa.select(*CLAIM_COLUMNS).where(claims.c.encounter_id == encounter_id)
        row = self.conn.execute(query).first()
        return _claim_row(row) if row is not None else None

    def claim_lines(self, claim_id: int) -> list[LineRow]:
        """A claim's service lines in line-number order."""
        query = sa.select(claim_lines).where(claim_lines.c.claim_id == claim_id)
        return [_line_row(row) for row in self.conn.execute(query.order_by(claim_lines.c.line_number))]

    def set_claim_status(
        self, claim_id: int, status: ClaimStatus, payer_claim_number: str | None = None
    ) -> None:
        """Move a claim to a new status (acks, remittances), noting the payer's claim number."""
        values: dict[str, Any] = {"status": ClaimStatus(status).value}
        if payer_claim_number is not None:
            values["payer_claim_number"] = payer_claim_number
        result = self.conn.execute(claims.update().where(claims.c.id == claim_id).values(**values))
        if result.rowcount != 1:
            raise LedgerError(f"no claim {claim_id}")

    def add_claim(
        self,
        encounter: Encounter,
        *,
        fingerprint: str,
        run_id: int,
        batch_id: int | None,
        line_control_numbers: Sequence[str],
        source_file: str,
    ) -> int:
        """Record one billed encounter: the claim, its lines, their charges and any copay paid."""
        new = NewClaim(encounter, fingerprint, batch_id, line_control_numbers, source_file)
        [claim_id] = self.add_claims(run_id, [new])  # type: ignore[attr-defined]
        return claim_id
