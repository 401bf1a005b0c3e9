"""Balances: always summed from the journal, never stored.

A stored balance can disagree with the entries behind it; a sum cannot. Every balance here is
one SUM over journal rows with the sign conventions of records.py, written in portable SQL
(CASE, SUM, GROUP BY) so the same queries run on SQLite and PostgreSQL.

- what is owed: charges - payments - adjustments - write-offs (transfers change nothing);
- the patient's share: the same over entries with party 'patient', plus transfers;
- a payer's share: the same over entries with party 'payer', minus transfers from that payer.

So, for any set of entries, patient shares + payer shares = what is owed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.records import Kind, Party
from medsheets.ledger.schema import claim_lines, journal
from medsheets.money import from_cents

_amount = journal.c.amount_cents
_kind = journal.c.kind
_party = journal.c.party

OWED = sa.case(
    (_kind == Kind.CHARGE.value, _amount),
    (_kind == Kind.TRANSFER.value, 0),
    else_=-_amount,
)
# The entry's effect on the share of its own party: a transfer adds to the patient's share.
_OWN_SHARE = sa.case((_kind.in_([Kind.CHARGE.value, Kind.TRANSFER.value]), _amount), else_=-_amount)
PATIENT_SHARE = sa.case((_party == Party.PATIENT.value, _OWN_SHARE), else_=0)
PAYER_SHARE = sa.case(
    (_party == Party.PAYER.value, _OWN_SHARE),
    (_kind == Kind.TRANSFER.value, -_amount),
    else_=0,
)


def _money(cents: Any) -> Decimal:
    """A SUM result as Decimal; PostgreSQL returns NUMERIC for SUM(BIGINT), SQLite an int."""
    return from_cents(int(cents or 0))


class BalancesMixin:
    """Transaction methods that read balances off the journal."""

    conn: sa.Connection

    def claim_balance(self, claim_id: int) -> Decimal:
        """What is still owed on a claim, by anyone."""
        query = sa.select(sa.func.sum(OWED)).where(journal.c.claim_id == claim_id)
        return _money(self.conn.execute(query).scalar())

    def claim_shares(self, claim_id: int) -> dict[Party, Decimal]:
        """What is owed on a claim split by party: {PAYER: ..., PATIENT: ...}."""
        query = sa.select(sa.func.sum(PAYER_SHARE), sa.func.sum(PATIENT_SHARE)).where(
            journal.c.claim_id == claim_id
        )
        payer, patient = self.conn.execute(query).one()
        return {Party.PAYER: _money(payer), Party.PATIENT: _money(patient)}

    def line_balances(self, claim_id: int) -> dict[int, Decimal]:
        """What is still owed on each line of a claim, by claim line id (every line, even 0.00).

        Entries on the claim but on no line (claim-level adjustments) are in claim_balance only.
        """
        query = (
            sa.select(claim_lines.c.id, sa.func.sum(OWED))
            .select_from(claim_lines.outerjoin(journal, journal.c.claim_line_id == claim_lines.c.id))
            .where(claim_lines.c.claim_id == claim_id)
            .group_by(claim_lines.c.id)
        )
        return {int(line_id): _money(cents) for line_id, cents in self.conn.execute(query)}

    def patient_balances(self) -> dict[str, Decimal]:
        """What each patient owes (negative: a credit), for every patient whose share is not 0."""
        total = sa.func.sum(PATIENT_SHARE)
        query = sa.select(journal.c.patient_id, total).group_by(journal.c.patient_id).having(total != 0)
        return {patient: _money(cents) for patient, cents in self.conn.execute(query)}

    def payer_balances(self) -> dict[str, Decimal]:
        """What each payer owes, for every payer whose share is not 0."""
        total = sa.func.sum(PAYER_SHARE)
        query = (
            sa.select(journal.c.payer_id, total)
            .where(journal.c.payer_id.is_not(None))
            .group_by(journal.c.payer_id)
            .having(total != 0)
        )
        return {payer: _money(cents) for payer, cents in self.conn.execute(query)}

    def total_balance(self) -> Decimal:
        """What is owed to the practice in all, on claims and patients' accounts."""
        return _money(self.conn.execute(sa.select(sa.func.sum(OWED))).scalar())
