"""Patients and claims in the ledger: what was billed, to whom, and what it first cost.

A claim is written once, when its encounter is billed, together with its lines and one
`charge` journal entry per line (owed by the payer, or by the patient for a self-pay visit) and
a patient `payment` for any copay collected at the visit. The claim's `fingerprint` lets the
claims command tell a re-run of the same encounter (nothing to do) from a changed one.

A day of 100,000 service lines is about 33,000 claims: written one INSERT at a time that is
hundreds of thousands of round trips, most of a `claims` run. So each table gets one
executemany (with RETURNING for the new ids, in parameter order), patients are read and written
in bulk, and claims are looked up by encounter id in chunks; the one-claim methods are the
one-item case of the bulk ones. The charges go through the one journal writer like every entry.

Patients are reference data, not money: their demographics are updated in place when a
workbook brings newer ones. A blank (None) never erases what the ledger already knows, since
later workbooks may leave demographics out (docs/workbooks.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.cob import coverage_rows
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.events import ClaimEvent, event_values
from medsheets.ledger.journal import Known, append_entries
from medsheets.ledger.records import ClaimRow, ClaimStatus, JournalEntry, Kind, LineRow, Party
from medsheets.ledger.schema import claim_coverages, claim_events, claim_lines, claims, patients
from medsheets.ledger.sql import insert_all, insert_rows, utc_now
from medsheets.model import Encounter, Person, ServiceLine
from medsheets.money import ZERO, from_cents, to_cents
from medsheets.quick_records import maker

CHUNK = 500  # ids per IN (...) look-up: well under every database's parameter limit
# Claims written (with their lines and entries) at a time: what is built for the driver stays
# a few MB however big the day (a day's ~100,000 lines' rows all at once peaked ~150 MB).
CLAIMS_AT_ONCE = 2_000
PERSON_COLUMNS = tuple(f.name for f in fields(Person))
CLAIM_COLUMNS = [claims.c[f.name] for f in fields(ClaimRow)]
# One statement built once: a remittance moves thousands of claims, and building (and
# compiling) an UPDATE per claim cost more than running it. A blank number keeps the old one.
_SET_STATUS = (claims.update().where(claims.c.id == sa.bindparam("b_id"))
               .values(status=sa.bindparam("b_status"),
                       payer_claim_number=sa.func.coalesce(sa.bindparam("b_number", type_=sa.String),
                                                           claims.c.payer_claim_number)))


# Compiled once (SQLAlchemy caches it): only the list of ids changes between chunks.
_PATIENTS_AMONG = sa.select(patients.c.patient_id).where(
    patients.c.patient_id.in_(sa.bindparam("wanted", expanding=True)))


def status_change(claim_id: int, status: ClaimStatus, payer_claim_number: str | None) -> dict[str, Any]:
    """The parameters of one claim's move to `status` (its payer claim number kept if None)."""
    return {"b_id": claim_id, "b_status": ClaimStatus(status).value, "b_number": payer_claim_number}


@dataclass(frozen=True)
class NewClaim:
    """An encounter to record as billed: its fingerprint, batch (None: self-pay or paper) and
    REF*6Rs."""

    encounter: Encounter
    fingerprint: str
    batch_id: int | None
    line_control_numbers: Sequence[str]
    source_file: str
    on_paper: bool = False  # billed on a CMS-1500 form (no batch, yet billed)


def chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    """The distinct `values` in lists of at most CHUNK, for IN (...) look-ups."""
    items = list(dict.fromkeys(values))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


# A remittance reads thousands of claims and their lines back: built without the frozen
# per-field setattr (medsheets/quick_records.py), the same records.
_claim_row, _line_row = maker(ClaimRow), maker(LineRow)


def claim_row(row: sa.Row[Any]) -> ClaimRow:
    values = row._asdict()
    values["status"] = ClaimStatus(values["status"])
    return _claim_row(**values)


def line_row(row: sa.Row[Any]) -> LineRow:
    return _line_row(
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
        self.upsert_patients({patient_id: (person, email, phone)})

    def upsert_patients(self, people: Mapping[str, tuple[Person, str | None, str | None]]) -> None:
        """Add new patients and update known ones (a blank never erases a known value)."""
        known: dict[str, Any] = {}
        for chunk in chunks(people):
            query = sa.select(patients).where(patients.c.patient_id.in_(chunk))
            known.update((row.patient_id, row) for row in self.conn.execute(query))
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

    def known_patients(self) -> dict[str, Person]:
        """Every patient the ledger knows, by patient_id, with their latest demographics."""
        columns = [patients.c[name] for name in PERSON_COLUMNS]
        rows = self.conn.execute(sa.select(patients.c.patient_id, *columns))
        return {row[0]: Person(*row[1:]) for row in rows}

    def find_claim(self, encounter_id: str) -> ClaimRow | None:
        """The claim billed for an encounter, if there is one."""
        return self.find_claims([encounter_id]).get(encounter_id)

    def find_claims(self, encounter_ids: Iterable[str]) -> dict[str, ClaimRow]:
        """The claims already billed for any of `encounter_ids`, by encounter id."""
        found: dict[str, ClaimRow] = {}
        for chunk in chunks(encounter_ids):
            query = sa.select(*CLAIM_COLUMNS).where(claims.c.encounter_id.in_(chunk))
            for row in self.conn.execute(query):
                claim = claim_row(row)
                found[claim.encounter_id] = claim
        return found

    def claims_by_id(self, claim_ids: Iterable[int]) -> dict[int, ClaimRow]:
        """The claims with these ids, in id order."""
        found: dict[int, ClaimRow] = {}
        for chunk in chunks(claim_ids):
            query = sa.select(*CLAIM_COLUMNS).where(claims.c.id.in_(chunk))
            found.update((row.id, claim_row(row)) for row in self.conn.execute(query))
        return dict(sorted(found.items()))

    def encounter_ids(self, claim_ids: Sequence[int]) -> list[str]:
        """The encounter id of each claim id, in the order given."""
        found: dict[int, str] = {}
        for chunk in chunks(claim_ids):
            query = sa.select(claims.c.id, claims.c.encounter_id).where(claims.c.id.in_(chunk))
            found.update((int(claim_id), encounter) for claim_id, encounter in self.conn.execute(query))
        return [found[claim_id] for claim_id in claim_ids]

    def claim_lines(self, claim_id: int) -> list[LineRow]:
        """A claim's service lines in line-number order."""
        return self.lines_of([claim_id]).get(claim_id, [])

    def lines_of(self, claim_ids: Iterable[int]) -> dict[int, list[LineRow]]:
        """The lines of these claims, in line-number order, by claim id."""
        found: dict[int, list[LineRow]] = {}
        for chunk in chunks(claim_ids):
            query = (sa.select(claim_lines).where(claim_lines.c.claim_id.in_(chunk))
                     .order_by(claim_lines.c.claim_id, claim_lines.c.line_number))
            for row in self.conn.execute(query):
                found.setdefault(row.claim_id, []).append(line_row(row))
        return found

    def add_new_claims_events(self, run_id: int, events: Sequence[ClaimEvent]) -> None:
        """Record the first events of claims this transaction has just added (a day's paper
        claims' "billed"): the rows `add_event` writes, in a few multi-row INSERTs. Its look
        for the same event already recorded is left out, since a claim made in this
        transaction has no events yet; one at a time, 4,545 paper claims took 2 s."""
        now = utc_now()
        insert_all(self.conn, claim_events, [event_values(run_id, e, now) for e in events])

    def set_claim_status(
        self, claim_id: int, status: ClaimStatus, payer_claim_number: str | None = None
    ) -> None:
        """Move a claim to a new status (acks, remittances), noting the payer's claim number."""
        result = self.conn.execute(_SET_STATUS, status_change(claim_id, status, payer_claim_number))
        if result.rowcount != 1:
            raise LedgerError(f"no claim {claim_id}")

    def set_claim_statuses(self, changes: Sequence[Mapping[str, Any]]) -> None:
        """Many `status_change`s in one statement (executemany), applied in order."""
        result = self.conn.execute(_SET_STATUS, list(changes))
        if self.conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(changes):
            raise LedgerError(f"{len(changes) - result.rowcount} of {len(changes)} claims not found")

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
        [claim_id] = self.add_claims(run_id, [new])
        return claim_id

    def add_claims(self, run_id: int, new: Sequence[NewClaim],
                   billed_at: dt.datetime | None = None) -> list[int]:
        """Record billed encounters: claims, lines, a charge per line, any copay collected.

        `billed_at` is the instant of the billing run (its --as-of day), what `first_billed_at`
        and the "billed" age basis count from; the clock only when not given.
        """
        if not new:
            return []
        patients_known = _require_patients(self.conn, new)
        for item in new:
            if len(item.line_control_numbers) != len(item.encounter.lines):
                raise LedgerError(f"encounter {item.encounter.encounter_id}: one line control "
                                  "number per line")
        billed_at = billed_at or utc_now()
        claim_ids: list[int] = []
        for start in range(0, len(new), CLAIMS_AT_ONCE):
            claim_ids += self._add_claims(run_id, new[start:start + CLAIMS_AT_ONCE], billed_at,
                                          patients_known)
        return claim_ids

    def _add_claims(self, run_id: int, new: Sequence[NewClaim], billed_at: dt.datetime,
                    patients_known: set[str]) -> list[int]:
        """`add_claims` for a slice of the claims: their rows, then their lines', then their
        journal entries (ids come out as though all were written at once, table by table)."""
        claim_rows = [_claim_values(item, run_id, billed_at) for item in new]
        claim_ids = insert_rows(self.conn, claims, CLAIM_INSERT, claim_rows, ids=True)
        line_rows: list[tuple[Any, ...]] = []
        for item, claim_id in zip(new, claim_ids):
            encounter = item.encounter
            for number, (line, control) in enumerate(zip(encounter.lines, item.line_control_numbers), 1):
                values = line_values(encounter, line, number)
                line_rows.append((claim_id, control, *map(values.__getitem__, LINE_INSERT[2:])))
        line_ids = insert_rows(self.conn, claim_lines, LINE_INSERT, line_rows, ids=True)
        entries: list[JournalEntry] = []
        claim_of_line: dict[int, int] = {}
        of_claim: dict[int, tuple[str, str | None]] = {}
        next_line = iter(line_ids)
        for item, claim_values, claim_id in zip(new, claim_rows, claim_ids):
            patient_id, payer_id = claim_values[1], claim_values[2]
            of_claim[claim_id] = (patient_id, payer_id)
            for line in item.encounter.lines:
                line_id = next(next_line)
                claim_of_line[line_id] = claim_id
                entries.extend(_visit_entries(patient_id, payer_id, claim_id, line_id, line, run_id))
        append_entries(self.conn, entries,
                       known=Known.new_claims(claim_of_line, of_claim, patients_known))
        insert_all(self.conn, claim_coverages, coverage_rows(claim_ids, [item.encounter for item in new]))
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


CLAIM_INSERT = ("encounter_id", "patient_id", "payer_id", "member_id", "rendering_npi",
                "date_of_service", "status", "fingerprint", "frequency_code", "first_billed_at",
                "batch_id", "source_file", "run_id")
LINE_INSERT = ("claim_id", "line_control_number", "line_number", "procedure_code", "modifiers",
               "units", "charge_cents", "date_of_service", "diagnosis_pointers")


def _claim_values(item: NewClaim, run_id: int, now: Any) -> tuple[Any, ...]:
    """The claims row (CLAIM_INSERT) of a new claim."""
    encounter, first = item.encounter, item.encounter.first
    dates = [line.date_of_service for line in encounter.lines if line.date_of_service]
    if not dates:
        raise LedgerError(f"encounter {encounter.encounter_id} has no date of service")
    return (
        encounter.encounter_id, first.patient_id, first.payer_id or None,
        first.member_id if first.payer_id else None, first.rendering_npi, min(dates),
        (ClaimStatus.SELF_PAY if encounter.is_self_pay else ClaimStatus.BILLED).value,
        item.fingerprint, "1",
        now if item.batch_id is not None or item.on_paper else None,
        item.batch_id, item.source_file, run_id,
    )


def _visit_entries(patient_id: str, payer: str | None, claim_id: int, line_id: int,
                   line: ServiceLine, run_id: int) -> list[JournalEntry]:
    """The line's charge (the payer's, or the patient's if self-pay) and any copay paid."""
    assert line.charge is not None  # checked by line_values
    charge = JournalEntry(
        run_id=run_id, kind=Kind.CHARGE, party=Party.PATIENT if payer is None else Party.PAYER,
        amount=line.charge, patient_id=patient_id, claim_id=claim_id,
        claim_line_id=line_id, payer_id=payer, effective_date=line.date_of_service,
    )
    if line.copay_collected is None or line.copay_collected == ZERO:
        return [charge]
    copay = JournalEntry(
        run_id=run_id, kind=Kind.PAYMENT, party=Party.PATIENT, amount=line.copay_collected,
        patient_id=patient_id, claim_id=claim_id, claim_line_id=line_id,
        reference="copay", effective_date=line.date_of_service,
    )
    return [charge, copay]


def _require_patients(conn: sa.Connection, new: Sequence[NewClaim]) -> set[str]:
    """The patients of `new`, every one of them in the ledger (else LedgerError)."""
    wanted = {item.encounter.first.patient_id for item in new}
    if None in wanted:
        raise LedgerError("an encounter to bill has no patient_id")
    known: set[str] = set()
    for chunk in chunks(wanted):
        known.update(conn.execute(_PATIENTS_AMONG, {"wanted": chunk}).scalars())
    missing = wanted - known
    if missing:
        raise LedgerError(f"{len(missing)} patient(s) unknown: upsert the patient before the claim")
    return known
