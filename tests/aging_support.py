"""Builders for the aging tests and benchmark (no tests here).

- `post_example_activity`: after the example practice is billed, what the following months
  bring, posted the way docs/posting.md says (tx.post for money, claim_events rows for what
  payers and the clearinghouse said, statements for the invoices sent);
- `generate_ledger`: a ledger of any size written with bulk INSERTs through SQLAlchemy Core,
  with every kind of entry the aging reads (payments, CO adjustments, PR transfers, denials,
  rejections, unapplied payments, reversals, statements), fast enough for a million lines;
- readers for the workbook with openpyxl and python-calamine.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine
import sqlalchemy as sa
from clock import NOW, TODAY

from medsheets.ledger import JournalEntry, Kind, Ledger, Party, Transaction
from medsheets.ledger.schema import (
    claim_events,
    claim_lines,
    claims,
    journal,
    patients,
    statements,
)
from medsheets.ledger.sql import utc_now

PAYERS = ("MCRB1", "ILMCD", "BSTAR", "NEMUT", "PRAHM")
FEES = {"99213": 11500, "99214": 16500, "99203": 17500, "36415": 1200, "81002": 900,
        "90471": 2500, "93000": 4500, "99396": 21000}
LAST = ("Smith", "O'Brien", "Peña", "=HYPERLINK(\"http://x.example\",\"click\")", "+1", "-Lee",
        "@Home", "Nguyen", "Kowalski", "Garcia")
FIRST = ("Ann", "José", "Li", "=1+1", "Tom", "Eve")


def event(tx: Transaction, run_id: int, claim_id: int, name: str, day: dt.date,
          reasons: str | None = None) -> None:
    """A claim_events row, as the acks/remit/worklist commands record one."""
    payer = tx.conn.execute(sa.select(claims.c.payer_id).where(claims.c.id == claim_id)).scalar()
    tx.conn.execute(claim_events.insert().values(
        run_id=run_id, claim_id=claim_id, source="835", event=name, payer_id=payer,
        reason_codes=reasons, effective_date=day, created_at=utc_now()))


def statement(tx: Transaction, run_id: int, patient_id: str, day: dt.date, cycle: int,
              cents: int, mailed: bool = True) -> None:
    """A statement recorded on `day` (and mailed that day, unless `mailed` is False)."""
    tx.conn.execute(statements.insert().values(
        run_id=run_id, patient_id=patient_id, statement_date=day, amount_due_cents=cents,
        cycle_position=cycle, file_name=f"statement-{patient_id}-{day}.pdf", created_at=utc_now(),
        mailed_on=day if mailed else None))


def post_example_activity(ledger: Ledger, as_of: dt.date) -> dict[str, Any]:
    """Remittances, denials, a rejection, payments, a reversal and statements on the example
    practice's billed claims; what was posted, for the assertions."""
    later = as_of + dt.timedelta(days=30)
    with ledger.transaction() as tx:
        run_id = tx.start_run("remit", [])
        rows = tx.conn.execute(sa.select(claims.c.id, claims.c.encounter_id, claims.c.payer_id,
                                         claims.c.patient_id).order_by(claims.c.id)).all()
        insured = [r for r in rows if r.payer_id]
        self_pay = [r for r in rows if not r.payer_id]
        paid = insured[0]
        for line in tx.claim_lines(paid.id):  # paid: 60% paid, 20.00 coinsurance, rest CO-45
            share = (line.charge * Decimal("0.6")).quantize(Decimal("0.01"))
            coins = min(Decimal("20.00"), line.charge - share)
            tx.post([
                JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, share, claim_line_id=line.id,
                             payer_id=paid.payer_id, reference="TRN1", effective_date=later),
                JournalEntry(run_id, Kind.TRANSFER, Party.PATIENT, coins, claim_line_id=line.id,
                             payer_id=paid.payer_id, group_code="PR", reason_code="2",
                             effective_date=later),
                JournalEntry(run_id, Kind.ADJUSTMENT, Party.PAYER, line.charge - share - coins,
                             claim_line_id=line.id, payer_id=paid.payer_id, group_code="CO",
                             reason_code="45", effective_date=later),
            ])
        event(tx, run_id, paid.id, "paid", later)
        event(tx, run_id, insured[1].id, "denied", later, "CO-16 N290")
        event(tx, run_id, insured[2].id, "rejected", as_of, "A7")
        wrong = tx.post([JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, Decimal("50.00"),
                                      claim_id=insured[3].id, payer_id=insured[3].payer_id,
                                      reference="TRN2", effective_date=later)])[0]
        tx.reverse(wrong, run_id, as_of)  # posted to the wrong claim, taken back today
        unapplied = self_pay[1]
        tx.post([JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, Decimal("500.00"),
                              patient_id=unapplied.patient_id, reference="CHK77",
                              effective_date=later)])
        chased = self_pay[0]
        for cycle, days in enumerate((40, 70, 100), start=1):
            statement(tx, run_id, chased.patient_id, as_of + dt.timedelta(days=days), cycle, 10000)
        tx.finish_run(run_id, {"posted": 1})
    return {"paid": paid, "denied": insured[1], "rejected": insured[2], "chased": chased,
            "credit": unapplied}


# ---- a generated ledger of any size ------------------------------------------------------

@dataclass(frozen=True)
class Generated:
    lines: int
    claims: int
    patients: int
    journal: int


class _Ids:
    def __init__(self) -> None:
        self.claim = self.line = self.journal = 0


def generate_ledger(ledger: Ledger, *, lines: int, as_of: dt.date, seed: int = 1,
                    chunk: int = 50_000) -> Generated:
    """Claims worth `lines` service lines with realistic follow-up, inserted in bulk."""
    rng = random.Random(seed)
    ids = _Ids()
    counts = {"journal": 0, "patients": 0}
    with ledger.transaction() as tx:
        run_id = tx.start_run("claims", [])
        n_patients = max(1, lines // 6)
        _bulk(tx.conn, patients, _patients(n_patients), chunk)
        counts["patients"] = n_patients
        buffers: dict[str, list[dict[str, Any]]] = {"claims": [], "claim_lines": [], "journal": [],
                                                     "claim_events": [], "statements": []}
        tables = {"claims": claims, "claim_lines": claim_lines, "journal": journal,
                  "claim_events": claim_events, "statements": statements}
        written = 0
        while written < lines:
            size = min(rng.randint(1, 4), lines - written)
            _claim(rng, ids, run_id, as_of, size, n_patients, buffers)
            written += size
            if len(buffers["journal"]) >= chunk:
                counts["journal"] += len(buffers["journal"])
                _flush(tx.conn, tables, buffers)
        _statements(rng, ids, run_id, as_of, n_patients, buffers)
        counts["journal"] += len(buffers["journal"])
        _flush(tx.conn, tables, buffers)
        tx.finish_run(run_id, {"lines": lines})
    return Generated(lines, ids.claim, counts["patients"], counts["journal"])


def _flush(conn: sa.Connection, tables: dict[str, sa.Table], buffers: dict[str, list[dict[str, Any]]]) -> None:
    for name in ("claims", "claim_lines", "journal", "claim_events", "statements"):
        if buffers[name]:
            conn.execute(tables[name].insert(), buffers[name])
            buffers[name].clear()


def _bulk(conn: sa.Connection, table: sa.Table, rows: Iterator[dict[str, Any]], chunk: int) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def _patients(count: int) -> Iterator[dict[str, Any]]:
    now = utc_now()
    for n in range(count):
        yield {"patient_id": f"{n:07d}", "last_name": LAST[n % len(LAST)],
               "first_name": FIRST[n % len(FIRST)], "dob": dt.date(1940 + n % 60, 1 + n % 12, 1 + n % 28),
               "sex": "F" if n % 2 else "M", "address": f"{n % 900 + 1} Elm St", "city": "Springfield",
               "state": "IL", "zip": "06201", "email": None, "phone": "+1 217 555 0100",
               "updated_at": now}


def _claim(rng: random.Random, ids: _Ids, run_id: int, as_of: dt.date, size: int,
           n_patients: int, out: dict[str, list[dict[str, Any]]]) -> None:
    ids.claim += 1
    claim_id = ids.claim
    patient = f"{rng.randrange(n_patients):07d}"
    payer = None if rng.random() < 0.1 else rng.choice(PAYERS)
    day = as_of - dt.timedelta(days=rng.randint(0, 240))
    billed = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9)) if payer else None
    accepted = billed + dt.timedelta(days=2) if payer and rng.random() < 0.9 else None
    out["claims"].append({
        "id": claim_id, "encounter_id": f"G{claim_id:08d}", "patient_id": patient, "payer_id": payer,
        "member_id": "M1" if payer else None, "date_of_service": day, "status": "billed",
        "fingerprint": "0" * 64, "frequency_code": "1", "payer_claim_number": None,
        "first_billed_at": billed, "batch_id": None, "source_file": "generated.xlsx",
        "run_id": run_id, "accepted_at": accepted, "original_claim_id": None})
    age = (as_of - day).days
    outcome = _outcome(rng, payer, age, accepted)
    if outcome in ("paid", "denied", "rejected"):
        reasons = {"denied": rng.choice(("CO-16 N290", "CO-50", "CO-97", "PR-204")),
                   "rejected": "A7"}.get(outcome)
        out["claim_events"].append({
            "run_id": run_id, "claim_id": claim_id, "source": "835", "event": outcome,
            "payer_id": payer, "reason_codes": reasons,
            "effective_date": min(as_of, day + dt.timedelta(days=20)), "created_at": utc_now()})
    for number in range(1, size + 1):
        ids.line += 1
        code = rng.choice(list(FEES))
        charge = FEES[code]
        out["claim_lines"].append({
            "id": ids.line, "claim_id": claim_id, "line_number": number,
            "line_control_number": f"G{claim_id:08d}-{number}", "procedure_code": code,
            "modifiers": "25" if code == "99214" and number == 1 else "", "units": 1,
            "charge_cents": charge, "date_of_service": day, "diagnosis_pointers": "1"})
        _money(rng, ids, run_id, claim_id, patient, payer, day, as_of, charge, outcome, out["journal"])


def _outcome(rng: random.Random, payer: str | None, age: int, accepted: object) -> str:
    if payer is None:
        return "self_pay"
    if accepted is None:
        return "rejected" if rng.random() < 0.5 else "sent"
    if age < 25:
        return "sent"
    return "denied" if rng.random() < 0.08 else "paid"


def _money(rng: random.Random, ids: _Ids, run_id: int, claim_id: int, patient: str,
           payer: str | None, day: dt.date, as_of: dt.date, charge: int, outcome: str,
           journal_rows: list[dict[str, Any]]) -> None:
    now = utc_now()
    line_id = ids.line

    def add(kind: str, party: str, cents: int, who: str | None, group: str | None = None,
            on: dt.date = day, reverses: int | None = None) -> int:
        ids.journal += 1
        journal_rows.append({
            "id": ids.journal, "run_id": run_id, "claim_id": claim_id, "claim_line_id": line_id,
            "patient_id": patient, "kind": kind, "party": party, "payer_id": who,
            "amount_cents": cents, "group_code": group, "reason_code": None, "reference": None,
            "reverses_id": reverses, "posted_at": now, "effective_date": min(on, as_of)})
        return ids.journal

    add("charge", "payer" if payer else "patient", charge, payer)
    if outcome == "self_pay":
        if rng.random() < 0.5:
            add("payment", "patient", charge if rng.random() < 0.8 else charge // 2, None,
                on=day + dt.timedelta(days=rng.randint(0, 60)))
        return
    copay = min(2000, charge) if rng.random() < 0.2 else 0
    if copay:
        add("payment", "patient", copay, None)  # collected at the visit
    if outcome != "paid":
        return
    paid_on = day + dt.timedelta(days=rng.randint(20, 40))
    pays = charge * rng.choice((55, 60, 70, 80)) // 100
    patient_part = min(charge - pays, max(copay, rng.choice((0, 0, 1000, 2500))))
    add("payment", "payer", pays, payer, on=paid_on)
    if patient_part:
        add("transfer", "patient", patient_part, payer, "PR", on=paid_on)
    add("adjustment", "payer", charge - pays - patient_part, payer, "CO", on=paid_on)
    if rng.random() < 0.01:  # an 835 reversal, reposted
        original = ids.journal - 1 - (1 if patient_part else 0)
        add("payment", "payer", -pays, payer, on=paid_on + dt.timedelta(days=7), reverses=original)
        add("payment", "payer", pays, payer, on=paid_on + dt.timedelta(days=7))


def _statements(rng: random.Random, ids: _Ids, run_id: int, as_of: dt.date, n_patients: int,
                out: dict[str, list[dict[str, Any]]]) -> None:
    """Statements for one patient in five, up to three a month apart; unapplied payments too."""
    now = utc_now()
    for n in range(0, n_patients, 5):
        for cycle in range(1, rng.randint(1, 3) + 1):
            day = as_of - dt.timedelta(days=100 - 30 * cycle)
            out["statements"].append({
                "run_id": run_id, "patient_id": f"{n:07d}", "cycle_position": cycle,
                "statement_date": day, "amount_due_cents": 5000, "file_name": f"s-{n}-{cycle}.pdf",
                "created_at": now, "mailed_on": day})
    for n in range(3, n_patients, 200):
        ids.journal += 1
        out["journal"].append({
            "id": ids.journal, "run_id": run_id, "claim_id": None, "claim_line_id": None, "patient_id": f"{n:07d}",
            "kind": "payment", "party": "patient", "payer_id": None, "amount_cents": 3000,
            "group_code": None, "reason_code": None, "reference": "unapplied", "reverses_id": None,
            "posted_at": now, "effective_date": as_of - dt.timedelta(days=10)})


# ---- reading the workbook back ------------------------------------------------------------

def openpyxl_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def calamine_rows(path: Path, sheet: str) -> list[list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def table_after(rows: list[Any], header_first_cell: str) -> tuple[list[Any], list[list[Any]]]:
    """The header row whose first cell is `header_first_cell`, and the rows below it up to a
    blank one or the Total row (included)."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == header_first_cell)
    body = []
    for row in rows[start + 1:]:
        if not row or row[0] in (None, ""):
            break
        body.append(list(row))
        if row[0] == "Total":
            break
    return list(rows[start]), body


# ---- the example practice, billed ----------------------------------------------------------

_FOLLOWED_UP: dict[Path, Path] = {}


def followed_up_example(template: Path, scratch: Path) -> Path:
    """The example practice billed, then followed up by `post_example_activity` (as of today):
    made once per test session and shared (each test copies it before changing anything)."""
    if template not in _FOLLOWED_UP:
        import shutil

        from medsheets.practice import open_practice

        folder = scratch / "followed-up"
        shutil.copytree(template, folder)
        bill_example(folder)
        with Ledger.open(open_practice(folder).db_url) as ledger:
            post_example_activity(ledger, TODAY)
        _FOLLOWED_UP[template] = folder
    return _FOLLOWED_UP[template]


def bill_example(practice_dir: Path) -> None:
    """Bill the example practice's encounter workbooks as `medsheets claims` would."""
    from medsheets.claims import bill_workbooks
    from medsheets.practice import open_practice

    practice = open_practice(practice_dir)
    workbooks = sorted(practice.encounters_dir.glob("*.xlsx"))
    result = bill_workbooks(practice, workbooks, now=NOW)
    assert result.billed and result.self_pay, "the example practice bills insured and self-pay visits"


def sheet_table(path: Path, sheet: str, first_header: str) -> dict[str, list[Any]]:
    """A sheet's table read with openpyxl, as {first column value: row}, header included."""
    header, body = table_after(openpyxl_rows(path, sheet), first_header)
    return {"__header__": header, **{str(row[0]): row for row in body}}
