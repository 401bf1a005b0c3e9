"""A patient payment without an encounter is applied to the oldest open visit lines first.

Applying is posting: the payment's entries go on the lines it settles (one entry per line, up
to what the patient owes on it that day) and only what is left over stays on the account, as
a true credit. The statement (first in, first out), the aging workbook (each line in its age
bucket) and its Detail sheet then read the same entries and agree to the cent.

A credit left on the account is applied the same way when the patient later owes on a visit
(`apply_credits`, run after each payments run): two entries dated that day, the amount taken
off the account and put on the line, reference `applied`. A report for an earlier day still
shows the credit as it then was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from medsheets.ledger import JournalEntry, Kind, Party, Transaction
from medsheets.ledger.accounts import OpenLine, account_credits, open_lines
from medsheets.money import ZERO, from_cents, to_cents

APPLIED = "applied"


def split_oldest_first(amount_cents: int, lines: list[OpenLine]) -> tuple[list[tuple[OpenLine, int]], int]:
    """(line, cents) for each line the amount settles, oldest first; and the cents left over."""
    placed, left = [], amount_cents
    for line in lines:
        if left <= 0:
            break
        take = min(left, line.cents)
        placed.append((line, take))
        left -= take
    return placed, left


def applied(tx: Transaction, entry: JournalEntry) -> list[JournalEntry]:
    """An account payment (no claim) as the entries that apply it; other entries unchanged."""
    if entry.claim_id is not None or entry.patient_id is None or entry.amount <= ZERO:
        return [entry]
    assert entry.effective_date is not None
    placed, left = split_oldest_first(to_cents(entry.amount),
                                      open_lines(tx, entry.patient_id, entry.effective_date))
    entries = [replace(entry, amount=from_cents(cents), claim_id=line.claim_id,
                       claim_line_id=line.claim_line_id) for line, cents in placed]
    if left:
        entries.append(replace(entry, amount=from_cents(left)))
    return entries


def apply_credits(tx: Transaction, run_id: int, as_of: dt.date) -> list[JournalEntry]:
    """Move each account credit onto the visit lines the patient owes on, oldest first."""
    moved: list[JournalEntry] = []
    for patient_id, credit in account_credits(tx, as_of).items():
        placed, _ = split_oldest_first(credit, open_lines(tx, patient_id, as_of))
        for line, cents in placed:
            amount = from_cents(cents)
            base = JournalEntry(run_id=run_id, kind=Kind.PAYMENT, party=Party.PATIENT,
                                amount=-amount, patient_id=patient_id, reference=APPLIED,
                                effective_date=as_of)
            moved += [base, replace(base, amount=amount, claim_id=line.claim_id,
                                    claim_line_id=line.claim_line_id)]
    if moved:
        tx.post(moved)
    return moved
