"""Payments workbooks written for the tests, and what the billed example practice holds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from acks_support import query

from medsheets.example import xlsx
from medsheets.ledger import Kind, Ledger
from medsheets.practice import open_practice
from medsheets.workbook.payments import (
    EOB_COLUMNS,
    EOB_SHEET,
    PATIENT_PAYMENT_COLUMNS,
    PATIENT_SHEET,
    REFUND_COLUMNS,
    REFUND_SHEET,
)

# Column letters (header in row 1, data from row 2).
PATIENT_CELLS = {c.name: chr(65 + i) for i, c in enumerate(PATIENT_PAYMENT_COLUMNS)}
EOB_CELLS = {c.name: chr(65 + i) for i, c in enumerate(EOB_COLUMNS)}


def payments_workbook(path: Path, patient: list[dict[str, Any]] | None = None,
                      eob: list[dict[str, Any]] | None = None,
                      refunds: list[dict[str, Any]] | None = None) -> Path:
    """A payments workbook with the sheets given (None: no such sheet)."""
    book = xlsx.new_workbook()
    if patient is not None:
        xlsx.add_table(book, PATIENT_SHEET, PATIENT_PAYMENT_COLUMNS, patient)
    if eob is not None:
        xlsx.add_table(book, EOB_SHEET, EOB_COLUMNS, eob)
    if refunds is not None:
        xlsx.add_table(book, REFUND_SHEET, REFUND_COLUMNS, refunds)
    xlsx.save(book, path)
    return path


@dataclass(frozen=True)
class Claim:
    encounter_id: str
    patient_id: str
    payer_id: str | None
    lines: list[tuple[int, str, Decimal]]  # (line number, procedure, charge)


def claims(root: Path) -> dict[str, Claim]:
    rows = query(root, "SELECT c.encounter_id, c.patient_id, c.payer_id, l.line_number, "
                       "l.procedure_code, l.charge_cents FROM claims c JOIN claim_lines l "
                       "ON l.claim_id = c.id ORDER BY c.id, l.line_number")
    found: dict[str, Claim] = {}
    for eid, patient, payer, number, code, cents in rows:
        claim = found.setdefault(eid, Claim(eid, patient, payer, []))
        claim.lines.append((number, code, Decimal(cents) / 100))
    return found


def entries(root: Path, encounter_id: str | None = None) -> list[tuple[Any, ...]]:
    """Journal entries posted by a payments run: (kind, party, amount, line number, group,
    reason, reference) in posting order."""
    where = f"AND c.encounter_id = '{encounter_id}'" if encounter_id else ""
    return [(k, p, Decimal(a) / 100, n, g, r, ref) for k, p, a, n, g, r, ref in query(
        root, "SELECT j.kind, j.party, j.amount_cents, l.line_number, j.group_code, j.reason_code, "
              "j.reference FROM journal j JOIN runs ON runs.id = j.run_id "
              "LEFT JOIN claims c ON c.id = j.claim_id "
              "LEFT JOIN claim_lines l ON l.id = j.claim_line_id "
              f"WHERE runs.command = 'payments' {where} ORDER BY j.id")]


def invariant(root: Path) -> tuple[Decimal, Decimal]:
    """(charges, payments + adjustments + write-offs + balance), and asserts the shares agree."""
    ledger = Ledger.open(open_practice(root).db_url)
    with ledger.reading() as tx:
        balance = tx.total_balance()
        shares = sum(tx.patient_balances().values(), Decimal(0)) + sum(tx.payer_balances().values(), Decimal(0))
        totals = dict(tx.conn.exec_driver_sql("SELECT kind, SUM(amount_cents) FROM journal GROUP BY kind").all())
    ledger.close()
    assert shares == balance
    total = {kind: Decimal(totals.get(kind.value, 0)) / 100 for kind in Kind}
    return total[Kind.CHARGE], total[Kind.PAYMENT] + total[Kind.ADJUSTMENT] + total[Kind.WRITEOFF] + balance
