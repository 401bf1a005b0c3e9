"""What working the denial worklist records in the ledger (plain functions over a transaction).

- write off: a `writeoff` of the line's open insurance balance, party payer, under the reason
  given on the worklist; bill patient: a `transfer` of it to the patient, group PR
  (docs/posting.md);
- a corrected claim is recorded on the claim's own row, which keeps its encounter id: the
  payer answers a frequency-7 claim under the same patient control number (CLP01) and line
  control numbers (REF*6R), so the 835 for it finds this row and these lines. Each line takes
  its new codes in place; a line whose charge changes has its charge entry reversed and the
  new charge posted; the row notes frequency 7, the batch that carried it, and itself as
  `original_claim_id` (the claim it replaces is its own earlier submission). What the lines
  were is kept in the `corrected` event's detail;
- a void reverses the claim's charges (the claim is cancelled: nothing is owed for it; what
  the payer paid comes back through its 835 reversal) and sets the status to void.

Each action also writes its claim_events row, which takes the claim or line off the worklist.

What the worklist and the resubmission read, beyond claims and lines: per line the charge,
what was paid, what is still owed and the payer's part of it (sums over the journal with the
sign rules of balances.py), what the patient paid at the visit, and the patients.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.balances import OWED, PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.cob import correct_coverage
from medsheets.ledger.events import REBILLED
from medsheets.ledger.records import ClaimRow, ClaimStatus, JournalEntry, Kind, LineRow, Party
from medsheets.ledger.schema import claim_events, claim_lines, claims, journal, patients
from medsheets.ledger.sql import utc_now
from medsheets.model import Coverage, Encounter, Person
from medsheets.money import from_cents, to_cents

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

RESUBMIT_SOURCE, WORKLIST_SOURCE = "resubmit", "worklist"
PAPER_SOURCE = "paper"  # a claim billed on a CMS-1500 (the event claims records too)


def add_event(
    tx: Transaction, run_id: int, claim: ClaimRow, event: str, *, as_of: dt.date,
    line_id: int | None = None, reason_codes: str | None = None, detail: dict[str, Any] | None = None,
    source: str = WORKLIST_SOURCE, payer_id: str | None = None,
) -> None:
    tx.conn.execute(claim_events.insert().values(
        run_id=run_id, claim_id=claim.id, claim_line_id=line_id, source=source, event=event,
        payer_id=payer_id or claim.payer_id, payer_claim_number=claim.payer_claim_number,
        reason_codes=reason_codes, detail=detail, effective_date=as_of, created_at=utc_now(),
    ))


def move_insurance_balance(
    tx: Transaction, run_id: int, claim: ClaimRow, line: LineRow, amount: Decimal, *,
    to_patient: bool, group: str | None, reason: str | None, as_of: dt.date,
    further_payer: str | None = None,
) -> None:
    """Write off the line's insurance balance, or transfer it to the patient (group PR).

    Denied by a `further_payer` (a secondary), the line's open amount is already the
    patient's share, waiting for that payer: billing the patient moves nothing (the claim
    stops waiting, ledger/cob.py), a write-off moves it back to that payer and writes it off
    there, as the secondary's own write-offs are posted."""
    if amount > 0 and further_payer is not None and not to_patient:
        tx.post([JournalEntry(
            run_id=run_id, kind=Kind.TRANSFER, party=Party.PATIENT, amount=-amount,
            claim_id=claim.id, claim_line_id=line.id, payer_id=further_payer, effective_date=as_of,
        ), JournalEntry(
            run_id=run_id, kind=Kind.WRITEOFF, party=Party.PAYER, amount=amount, claim_id=claim.id,
            claim_line_id=line.id, payer_id=further_payer, group_code=group, reason_code=reason,
            effective_date=as_of,
        )])
    elif amount > 0 and further_payer is None:
        tx.post([JournalEntry(
            run_id=run_id, kind=Kind.TRANSFER if to_patient else Kind.WRITEOFF,
            party=Party.PATIENT if to_patient else Party.PAYER, amount=amount,
            claim_id=claim.id, claim_line_id=line.id, payer_id=claim.payer_id,
            group_code="PR" if to_patient else group, reason_code=reason, effective_date=as_of,
        )])
    reason_text = f"{group}-{reason}" if group and reason else reason
    add_event(tx, run_id, claim, "billed_to_patient" if to_patient else "written_off", as_of=as_of,
              line_id=line.id, reason_codes=reason_text, detail={"amount": str(amount)},
              payer_id=further_payer)


def record_correction(
    tx: Transaction, run_id: int, claim: ClaimRow, billed: list[LineRow], encounter: Encounter, *,
    batch_id: int, frequency: str, as_of: dt.date, worklist: str,
) -> None:
    """Give the claim's lines their corrected codes and charges; note the new submission."""
    pointers = {code: str(n) for n, code in enumerate(encounter.diagnoses, start=1)}
    was: dict[str, Any] = {}
    for line, new in zip(billed, encounter.lines):
        assert new.charge is not None and new.procedure_code is not None
        values = {"procedure_code": new.procedure_code, "modifiers": ",".join(new.modifiers),
                  "units": new.units or 1, "charge_cents": to_cents(new.charge),
                  "diagnosis_pointers": ",".join(pointers[code] for code in new.diagnoses)}
        tx.conn.execute(claim_lines.update().where(claim_lines.c.id == line.id).values(**values))
        if new.charge != line.charge:
            _replace_charge(tx, run_id, claim, line, new.charge, as_of)
        if (line.procedure_code, line.modifiers, line.units, line.charge) != (
                new.procedure_code, new.modifiers, new.units, new.charge):
            was[str(line.line_number)] = {"procedure_code": line.procedure_code,
                                          "modifiers": list(line.modifiers), "units": line.units,
                                          "charge": str(line.charge)}
    replaced = frequency == "7"
    _update_claim(tx, claim, ClaimStatus.BILLED, frequency if replaced else claim.frequency_code,
                  batch_id, replaced)
    add_event(tx, run_id, claim, "corrected", as_of=as_of, source=RESUBMIT_SOURCE, detail={
        "frequency": frequency, "batch_id": batch_id, "replaced_batch_id": claim.batch_id,
        "worklist": worklist, "lines_were": was})


def record_rebill(
    tx: Transaction, run_id: int, claim: ClaimRow, billed: list[LineRow], encounter: Encounter, *,
    batch_id: int | None, as_of: dt.date, worklist: str, paper_file: str | None = None,
) -> None:
    """After the void of the first claim (record_void): the same encounter billed to the new
    payer as an original claim: its lines with their codes and a new charge each, owed by the
    new payer; the claim row now names that payer, its member id and the new batch (none for
    a claim printed on paper, whose `paper` `billed` event names the PDF, as claims does)."""
    pointers = {code: str(n) for n, code in enumerate(encounter.diagnoses, start=1)}
    new = encounter.first
    tx.conn.execute(claims.update().where(claims.c.id == claim.id).values(
        payer_id=new.payer_id, member_id=new.member_id, status=ClaimStatus.BILLED.value,
        frequency_code="1", batch_id=batch_id, payer_claim_number=None, accepted_at=None))
    for line, item in zip(billed, encounter.lines):
        assert item.charge is not None and item.procedure_code is not None
        tx.conn.execute(claim_lines.update().where(claim_lines.c.id == line.id).values(
            procedure_code=item.procedure_code, modifiers=",".join(item.modifiers),
            units=item.units or 1, charge_cents=to_cents(item.charge),
            diagnosis_pointers=",".join(pointers[code] for code in item.diagnoses)))
        tx.post([JournalEntry(
            run_id=run_id, kind=Kind.CHARGE, party=Party.PAYER, amount=item.charge,
            claim_id=claim.id, claim_line_id=line.id, payer_id=new.payer_id, effective_date=as_of,
        )])
    add_event(tx, run_id, claim, REBILLED, as_of=as_of, source=RESUBMIT_SOURCE, detail={
        "from_payer": claim.payer_id, "to_payer": new.payer_id, "batch_id": batch_id,
        "worklist": worklist})
    if paper_file:
        now_billed = replace(claim, payer_id=new.payer_id, payer_claim_number=None)
        add_event(tx, run_id, now_billed, "billed", as_of=as_of, source=PAPER_SOURCE,
                  detail={"file": paper_file})


def note_member(tx: Transaction, claim: ClaimRow, encounter: Encounter) -> None:
    """A corrected claim's member id and rendering doctor, kept on the claim row when the
    biller changed them (the reports name the doctor from it)."""
    first = encounter.first
    values = {}
    if first.member_id and first.member_id != claim.member_id:
        values["member_id"] = first.member_id
    if first.rendering_npi and first.rendering_npi != claim.rendering_npi:
        values["rendering_npi"] = first.rendering_npi
    if values:
        tx.conn.execute(claims.update().where(claims.c.id == claim.id).values(**values))


def record_note(tx: Transaction, run_id: int, claim: ClaimRow, line: LineRow, note: str, *,
                as_of: dt.date) -> None:
    """The biller's note on a worklist row, shown on the next worklist."""
    add_event(tx, run_id, claim, "note", as_of=as_of, line_id=line.id, detail={"note": note})


def record_void(
    tx: Transaction, run_id: int, claim: ClaimRow, lines: list[LineRow], *, batch_id: int | None,
    as_of: dt.date, worklist: str,
) -> None:
    """Cancel the claim: its charges reversed, status void (frequency 8 when it was sent)."""
    for line in lines:
        _reverse_open_charges(tx, run_id, line, as_of)
    sent = batch_id is not None
    _update_claim(tx, claim, ClaimStatus.VOID, "8" if sent else claim.frequency_code,
                  batch_id if sent else claim.batch_id, sent)
    add_event(tx, run_id, claim, "voided", as_of=as_of, source=RESUBMIT_SOURCE, detail={
        "sent": sent, "batch_id": batch_id, "replaced_batch_id": claim.batch_id, "worklist": worklist})


def record_secondary_resubmission(
    tx: Transaction, run_id: int, claim: ClaimRow, *, payer_id: str, payer_claim_number: str | None,
    rank: int, frequency: str, batch_id: int | None, as_of: dt.date, worklist: str,
    coverage: Coverage | None = None, diagnosed: tuple[list[LineRow], Encounter] | None = None,
) -> None:
    """A COB claim sent again (7, or 1 when the secondary never took it) or voided (8) to the
    further payer that denied it: its event, under that payer, and the secondary's insurance
    as corrected (`coverage`), on the claim and in the patient's profile. A void with no
    batch was sent nowhere: the secondary's front end rejected its claim, so it has nothing
    to void; the event alone ends the wait for it (ledger/cob.py `secondary_pending`).

    The claim's row, procedures and charges are the primary's and stay. Diagnoses corrected
    on the secondary's claim (`diagnosed`: the claim's lines and the claim as sent) are the
    claim's from now on, as a primary's corrected codes are: each line's pointers change in
    place, and the event keeps the new diagnosis list (the claim's own batch, the primary's
    837, still has the old one: `diagnoses_since` reads it back) and what the pointers were."""
    detail: dict[str, Any] = {"rank": rank, "frequency": frequency, "batch_id": batch_id,
                              "worklist": worklist}
    if batch_id is None:
        detail["sent"] = False
    if diagnosed is not None:
        detail.update(_new_diagnoses(tx, *diagnosed))
    tx.conn.execute(claim_events.insert().values(
        run_id=run_id, claim_id=claim.id, source=RESUBMIT_SOURCE,
        event="voided" if frequency == "8" else "corrected", payer_id=payer_id,
        payer_claim_number=payer_claim_number, effective_date=as_of, created_at=utc_now(),
        detail=detail,
    ))
    if coverage is not None:
        correct_coverage(tx, claim.id, rank, coverage)
        known = tx.patient_profiles([claim.patient_id]).get(claim.patient_id)
        if known is not None:
            tx.remember_profiles({claim.patient_id: replace(known, coverages={payer_id: coverage})})


def _new_diagnoses(tx: Transaction, billed: list[LineRow], encounter: Encounter) -> dict[str, Any]:
    """Give the lines the pointers of `encounter`'s diagnoses; what to keep in the event."""
    pointers = {code: str(n) for n, code in enumerate(encounter.diagnoses, start=1)}
    were = {}
    for line, new in zip(billed, encounter.lines):
        now = ",".join(pointers[code] for code in new.diagnoses)
        tx.conn.execute(claim_lines.update().where(claim_lines.c.id == line.id).values(
            diagnosis_pointers=now))
        were[str(line.line_number)] = ",".join(str(p) for p in line.diagnosis_pointers)
    return {"diagnoses": list(encounter.diagnoses), "pointers_were": were}


def diagnoses_since(tx: Transaction, claim: ClaimRow) -> tuple[str, ...] | None:
    """The claim's diagnosis list as a secondary's correction left it, while the claim was not
    sent again since (a later batch of its own carries its diagnoses); None: as its batch has it.
    Its lines' pointers point into this list (`record_secondary_resubmission`)."""
    ev = claim_events.c
    corrections = tx.conn.execute(sa.select(ev.detail).where(
        ev.claim_id == claim.id, ev.source == RESUBMIT_SOURCE, ev.event == "corrected",
    ).order_by(ev.id.desc())).scalars()
    for detail in corrections:
        if detail and detail.get("diagnoses") and detail.get("batch_id") is not None:
            if claim.batch_id is not None and claim.batch_id > int(detail["batch_id"]):
                return None
            return tuple(detail["diagnoses"])
    return None


def _update_claim(tx: Transaction, claim: ClaimRow, status: ClaimStatus, frequency: str,
                  batch_id: int | None, replaces: bool) -> None:
    values: dict[str, Any] = {"status": status.value, "frequency_code": frequency, "batch_id": batch_id}
    if replaces:
        values["original_claim_id"] = claim.id
    tx.conn.execute(claims.update().where(claims.c.id == claim.id).values(**values))


def _replace_charge(tx: Transaction, run_id: int, claim: ClaimRow, line: LineRow, charge: Decimal,
                    as_of: dt.date) -> None:
    """The old charge reversed and the new one posted, both dated the day of the correction:
    a report for a day before it still shows the charge as it then was."""
    _reverse_open_charges(tx, run_id, line, as_of)
    tx.post([JournalEntry(
        run_id=run_id, kind=Kind.CHARGE, party=Party.PAYER, amount=charge, claim_id=claim.id,
        claim_line_id=line.id, payer_id=claim.payer_id, effective_date=as_of,
    )])


def _reverse_open_charges(tx: Transaction, run_id: int, line: LineRow, as_of: dt.date) -> None:
    """Reverse every charge on the line that is not itself a reversal and not yet reversed."""
    reversal = journal.alias("reversal")
    query = (
        sa.select(journal.c.id)
        .where(journal.c.claim_line_id == line.id, journal.c.kind == Kind.CHARGE.value,
               journal.c.reverses_id.is_(None))
        .where(~sa.exists().where(reversal.c.reverses_id == journal.c.id))
        .order_by(journal.c.id)
    )
    for entry_id in tx.conn.execute(query).scalars().all():
        tx.reverse(entry_id, run_id, as_of)


@dataclass(frozen=True, slots=True)
class LineMoney:
    """One claim line's money: charged, paid (by anyone), owed, and the payer's and patient's parts."""

    charge: Decimal
    paid: Decimal
    balance: Decimal
    payer_balance: Decimal
    patient_balance: Decimal


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """A patient as the ledger knows them, for the worklist and for rebuilding a claim."""

    patient_id: str
    person: Person
    email: str | None
    phone: str | None

    @property
    def display_name(self) -> str:
        last, first = self.person.last_name or "", self.person.first_name or ""
        return f"{last}, {first}" if last and first else last or first


def line_money(tx: Transaction, line_ids: Iterable[int]) -> dict[int, LineMoney]:
    """The money of each line in `line_ids` (lines without entries are left out)."""
    wanted = list(line_ids)
    if not wanted:
        return {}
    kind, amount = journal.c.kind, journal.c.amount_cents
    query = (
        sa.select(
            journal.c.claim_line_id,
            sa.func.sum(sa.case((kind == Kind.CHARGE.value, amount), else_=0)),
            sa.func.sum(sa.case((kind == Kind.PAYMENT.value, amount), else_=0)),
            sa.func.sum(OWED), sa.func.sum(PAYER_SHARE), sa.func.sum(PATIENT_SHARE),
        )
        .where(journal.c.claim_line_id.in_(wanted))
        .group_by(journal.c.claim_line_id)
    )
    return {
        int(row[0]): LineMoney(*(from_cents(int(value or 0)) for value in row[1:]))
        for row in tx.conn.execute(query)
    }


def patient_records(tx: Transaction, patient_ids: Iterable[str]) -> dict[str, PatientRecord]:
    wanted = sorted(set(patient_ids))
    if not wanted:
        return {}
    rows = tx.conn.execute(sa.select(patients).where(patients.c.patient_id.in_(wanted)))
    return {
        row.patient_id: PatientRecord(
            row.patient_id,
            Person(row.last_name, row.first_name, row.dob, row.sex, row.address, row.city,
                   row.state, row.zip),
            row.email, row.phone,
        )
        for row in rows
    }


def copays(tx: Transaction, line_ids: Iterable[int]) -> dict[int, Decimal]:
    """What the patient paid at the visit on each line (AMT*F5 of a claim sent again)."""
    wanted = list(line_ids)
    if not wanted:
        return {}
    query = (
        sa.select(journal.c.claim_line_id, sa.func.sum(journal.c.amount_cents))
        .where(journal.c.claim_line_id.in_(wanted), journal.c.kind == Kind.PAYMENT.value,
               journal.c.party == Party.PATIENT.value, journal.c.reference == "copay")
        .group_by(journal.c.claim_line_id)
    )
    found = {int(line_id): from_cents(int(cents or 0)) for line_id, cents in tx.conn.execute(query)}
    return {line_id: amount for line_id, amount in found.items() if amount}
