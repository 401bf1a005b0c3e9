"""What each line of a claim still owes from its payer: where an EOB's claim-level amounts go.

The ledger's balances module sums what is owed per line by anyone; an EOB for the whole claim
must be placed by what the payer still owes per line (a line already moved to the patient has
nothing left for the payer to pay or adjust). Same sign rules, same SUM, grouped by line.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from medsheets.ledger import Transaction
from medsheets.ledger.balances import PAYER_SHARE
from medsheets.ledger.schema import claim_lines, journal
from medsheets.money import from_cents


def line_payer_shares(tx: Transaction, claim_id: int) -> dict[int, Decimal]:
    """The payer's open balance on each line of the claim, by claim line id (0.00 included)."""
    query = (
        sa.select(claim_lines.c.id, sa.func.sum(PAYER_SHARE))
        .select_from(claim_lines.outerjoin(journal, journal.c.claim_line_id == claim_lines.c.id))
        .where(claim_lines.c.claim_id == claim_id)
        .group_by(claim_lines.c.id)
    )
    return {int(line_id): from_cents(int(cents or 0)) for line_id, cents in tx.conn.execute(query)}
