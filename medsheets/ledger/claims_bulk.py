"""Billing a day in a few statements instead of a few per claim.

A day of 100,000 service lines is about 33,000 claims: written one INSERT at a time that is
hundreds of thousands of round trips, most of a `claims` run. Here each table gets one
executemany (with RETURNING for the new ids, in parameter order), patients are read and written
in bulk, and claims are looked up by encounter id in chunks. `add_claim` in claims.py is the
one-claim case of `add_claims`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.errors import LedgerError
from medsheets.ledger.records import ClaimRow, ClaimStatus, Kind, Party
from medsheets.ledger.schema import claim_lines, claims, journal, patients
from medsheets.ledger.sql import utc_now
from medsheets.model import Encounter, Person, ServiceLine
from medsheets.money import ZERO, to_cents

CHUNK = 500  # encounter ids per IN (...) look-up: well under every database's parameter limit


@dataclass(frozen=True)
class NewClaim:
    """An encounter to record as billed: its fingerprint, batch (None: self-pay) and REF*6Rs."""

    encounter: Encounter
    fingerprint: str
    batch_id: int | None
    line_control_numbers: Sequence[str]
    source_file: str


class BulkClaimsMixin:
    """Transaction methods that record many claims and patients at once."""

    conn: sa.Connection

    def find_claims(self, encounter_ids: Iterable[str]) -> dict[str, ClaimRow]:
        """The claims already billed for any of `encounter_ids`, by encounter id."""
        from medsheets.ledger.claims import CLAIM_COLUMNS, _claim_row

        wanted = list(dict.fromkeys(encounter_ids))
        found: dict[str, ClaimRow] = {}
        for start in range(0, len(wanted), CHUNK):
            query = sa.select(*CLAIM_COLUMNS).where(
                claims.c.encounter_id.in_(wanted[start:start + CHUNK]))
            for row in self.conn.execute(query):
                claim = _claim_row(row)
                found[claim.encounter_id] = claim
        return found

    def upsert_patients(self, people: Mapping[str, tuple[Person, str | None, str | None]]) -> None:
        """Add new patients and update known ones (a blank never erases a known value)."""
        from medsheets.ledger.claims import PERSON_COLUMNS

        known = {row.patient_id: row for row in self.conn.execute(sa.select(patients))}
        now = utc_now()
        inserts = []
        for patient_id, (person, email, phone) in people.items():
            given = dict(zip(PERSON_COLUMNS, astuple(person)), email=email, phone=phone)
            row = known.get(patient_id)
            if row is None:
                inserts.append({"patient_id": patient_id, "updated_at": now, **given})
                continue
            changed = {k: v for k, v in given.items() if v is not None and v != getattr(row, k)}
            if changed:
                self.conn.execute(patients.update().where(patients.c.patient_id == patient_id)
                                  .values(updated_at=now, **changed))
        if inserts:
            self.conn.execute(patients.insert(), inserts)

    def add_claims(self, run_id: int, new: Sequence[NewClaim],
                   billed_at: dt.datetime | None = None) -> list[int]:
        """Record billed encounters: claims, lines, a charge per line, any copay collected.

        `billed_at` is the instant of the billing run (its --as-of day), what `first_billed_at`
        and the "billed" age basis count from; the clock only when not given.
        """
        if not new:
            return []
        _require_patients(self.conn, new)
        for item in new:
            if len(item.line_control_numbers) != len(item.encounter.lines):
                raise LedgerError(f"encounter {item.encounter.encounter_id}: one line control "
                                  "number per line")
        now = utc_now()
        claim_rows = [_claim_values(item, run_id, billed_at or now) for item in new]
        claim_ids = _insert_returning(self.conn, claims, claim_rows)
        line_rows: list[dict[str, Any]] = []
        for item, claim_id in zip(new, claim_ids):
            encounter = item.encounter
            for number, (line, control) in enumerate(zip(encounter.lines, item.line_control_numbers), 1):
                line_rows.append({"claim_id": claim_id, "line_control_number": control,
                                  **line_values(encounter, line, number)})
        line_ids = iter(_insert_returning(self.conn, claim_lines, line_rows))
        entries: list[dict[str, Any]] = []
        for item, claim_row, claim_id in zip(new, claim_rows, claim_ids):
            for line in item.encounter.lines:
                entries.extend(_visit_entries(claim_row, claim_id, next(line_ids), line, run_id, now))
        self.conn.execute(journal.insert(), entries)
        return claim_ids


def line_values(encounter: Encounter, line: ServiceLine, number: int) -> dict[str, Any]:
    """A service line as a claim_lines row (without the claim id or control number)."""
    if line.charge is None or line.procedure_code is None or line.date_of_service is None:
        raise LedgerError(f"encounter {encounter.encounter_id} line {number} has no charge, code "
                          "or date; only checked encounters can be billed")
    diagnoses = encounter.diagnoses
    return {
        "line_number": number,
        "procedure_code": line.procedure_code,
        "modifiers": ",".join(line.modifiers),
        "units": line.units or 1,
        "charge_cents": to_cents(line.charge),
        "date_of_service": line.date_of_service,
        "diagnosis_pointers": ",".join(str(diagnoses.index(code) + 1) for code in line.diagnoses),
    }


def _claim_values(item: NewClaim, run_id: int, now: Any) -> dict[str, Any]:
    encounter, first = item.encounter, item.encounter.first
    dates = [line.date_of_service for line in encounter.lines if line.date_of_service]
    if not dates:
        raise LedgerError(f"encounter {encounter.encounter_id} has no date of service")
    return {
        "encounter_id": encounter.encounter_id,
        "patient_id": first.patient_id,
        "payer_id": first.payer_id or None,
        "member_id": first.member_id if first.payer_id else None,
        "date_of_service": min(dates),
        "status": (ClaimStatus.SELF_PAY if encounter.is_self_pay else ClaimStatus.BILLED).value,
        "fingerprint": item.fingerprint,
        "frequency_code": "1",
        "first_billed_at": now if item.batch_id is not None else None,
        "batch_id": item.batch_id,
        "source_file": item.source_file,
        "run_id": run_id,
    }


def _visit_entries(claim: Mapping[str, Any], claim_id: int, line_id: int, line: ServiceLine,
                   run_id: int, now: Any) -> list[dict[str, Any]]:
    """The line's charge (the payer's, or the patient's if self-pay) and any copay paid."""
    assert line.charge is not None  # checked by line_values
    payer = claim["payer_id"]
    charge = {
        "run_id": run_id, "claim_id": claim_id, "claim_line_id": line_id,
        "patient_id": claim["patient_id"], "kind": Kind.CHARGE.value,
        "party": (Party.PATIENT if payer is None else Party.PAYER).value, "payer_id": payer,
        "amount_cents": to_cents(line.charge), "group_code": None, "reason_code": None,
        "reference": None, "reverses_id": None, "posted_at": now,
        "effective_date": line.date_of_service,
    }
    if line.copay_collected is None or line.copay_collected == ZERO:
        return [charge]
    copay = {**charge, "kind": Kind.PAYMENT.value, "party": Party.PATIENT.value, "payer_id": None,
             "amount_cents": to_cents(line.copay_collected), "reference": "copay"}
    return [charge, copay]


def _insert_returning(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """INSERT many rows and return their new ids in the order of `rows`."""
    if not rows:
        return []
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return [row.id for row in conn.execute(statement, rows)]


def _require_patients(conn: sa.Connection, new: Sequence[NewClaim]) -> None:
    wanted = {item.encounter.first.patient_id for item in new}
    if None in wanted:
        raise LedgerError("an encounter to bill has no patient_id")
    known = set(conn.execute(sa.select(patients.c.patient_id)).scalars())
    missing = wanted - known
    if missing:
        raise LedgerError(f"{len(missing)} patient(s) unknown: upsert the patient before the claim")
