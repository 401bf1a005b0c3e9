"""What a `payments` run did, for the terminal report: posted, already posted, held, credits.

A payment larger than what is owed is posted in full and leaves a credit balance; the report
says so by account (and by claim when a payer paid more than it owed), so the office refunds
it or applies it to the next visit. Account numbers, encounter ids and amounts only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from medsheets.ledger import Party, Transaction
from medsheets.ledger.accounts import standings
from medsheets.model import Problem
from medsheets.money import ZERO, from_cents


@dataclass(frozen=True)
class Posted:
    """One reference posted: its kind (patient, eob), rows, amount paid, accounts and claims."""

    kind: str
    reference: str
    file: str
    rows: int
    amount: Decimal
    accounts: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)


@dataclass
class PaymentsResult:
    """Everything the report prints; `has_errors` decides exit code 1."""

    posted: list[Posted] = field(default_factory=list)
    already_posted: list[tuple[str, str, str]] = field(default_factory=list)  # kind, reference, file
    held: list[tuple[str, str, str]] = field(default_factory=list)
    held_rows: int = 0  # rows without a reference (held on their own)
    problems: list[Problem] = field(default_factory=list)
    denied: list[tuple[str, str]] = field(default_factory=list)  # encounter id, reason codes
    credits: dict[str, Decimal] = field(default_factory=dict)  # account -> credit (positive)
    prepaid: dict[str, Decimal] = field(default_factory=dict)  # account -> paid on visits with insurance
    applied_credits: int = 0  # earlier credits moved onto visits owed
    plans: int = 0  # payment plans newly recorded
    payer_credits: dict[str, Decimal] = field(default_factory=dict)  # encounter id -> overpaid

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def total(self, kind: str) -> Decimal:
        return sum((p.amount for p in self.posted if p.kind == kind), ZERO)


def note_balances(tx: Transaction, result: PaymentsResult, as_of: dt.date) -> None:
    """Record the credit balances left on the accounts and claims this run posted to; money
    paid on a visit still with insurance (a copay) is a prepayment, not a credit."""
    accounts = {account for posted in result.posted for account in posted.accounts}
    if accounts:
        found = standings(tx, as_of, accounts)
        result.credits = {a: from_cents(found[a].credit) for a in sorted(found) if found[a].credit}
        result.prepaid = {a: from_cents(found[a].prepaid) for a in sorted(found)
                          if found[a].prepaid and found[a].balance < 0}
    for posted in result.posted:
        for claim_id, encounter_id in zip(posted.claim_ids, tx.encounter_ids(posted.claim_ids)):
            payer_share = tx.claim_shares(claim_id)[Party.PAYER]
            if payer_share < ZERO:
                result.payer_credits[encounter_id] = -payer_share

