"""What posting one remittance needs to know of the ledger, read up front in a few queries.

A remittance can carry thousands of claims; asking the ledger about each one separately (the
claim, its lines, what each line still owes, whether a primary payer's posting stands) would
cost several queries per claim. The snapshot reads all of it for every CLP01 of the remittance
at once, and is kept current in memory as each claim is posted, so a claim that appears twice
in one remittance (a reversal and its correction) sees the effect of the first. It also carries
the remittance's pending writes (ledger.remittances.Pending: remit_claims rows, journal entries,
claim events, status changes), flushed before anything reads the journal back and at the end,
their journal entries checked against the claims and lines read here (not read again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from medsheets.ledger import ClaimRow, Kind, LineRow, Party, Transaction, remittances
from medsheets.ledger.cob import CoverageRow, coverages
from medsheets.ledger.journal import Known
from medsheets.ledger.remittances import Pending
from medsheets.remit.plan import Posting
from medsheets.remit.records import Remittance

PAYER, PATIENT = 0, 1
# The members `apply` compares each posting with, as module names: an Enum's member read
# through its class costs some ten times a plain name's, for tens of thousands of postings.
_TRANSFER, _CHARGE, _BY_PAYER = Kind.TRANSFER, Kind.CHARGE, Party.PAYER
_NOTHING_OWED = (Decimal(0), Decimal(0))  # the shares of a line without entries (read only)


@dataclass
class Snapshot:
    """Our claims by encounter id, their lines, each line's [payer, patient] share still owed,
    the claims whose primary adjudication is posted and stands, their further insurances;
    and the writes still pending."""

    claims: dict[str, ClaimRow]
    lines: dict[int, list[LineRow]]
    shares: dict[int, list[Decimal]]
    primary: set[int]
    coverages: dict[int, dict[int, CoverageRow]] = field(default_factory=dict)  # secondary, tertiary
    pending: Pending = field(default_factory=Pending)

    @classmethod
    def load(cls, tx: Transaction, remittance: Remittance) -> Snapshot:
        claims = remittances.load_claims(tx, (c.patient_control_number for c in remittance.claims))
        ids = [claim.id for claim in claims.values()]
        lines, further = remittances.load_lines(tx, ids), coverages(tx, ids)
        known = Known.of_claims(claims.values(), (line for each in lines.values() for line in each),
                                {claim_id: [row.coverage.payer_id for row in ranks.values()
                                             if row.coverage.payer_id is not None]
                                 for claim_id, ranks in further.items()})
        return cls(claims, lines, remittances.line_shares(tx, ids),
                   remittances.primary_posted(tx, ids), further, Pending(known))

    def open_amounts(self, lines: Iterable[LineRow], side: int) -> dict[int, Decimal]:
        """What each line still owes on one side (PAYER or PATIENT)."""
        shares = self.shares
        return {line.id: shares.get(line.id, _NOTHING_OWED)[side] for line in lines}

    def apply(self, postings: Iterable[Posting]) -> None:
        """Keep the shares current after `postings` were written (ledger/balances.py rules)."""
        shares = self.shares
        for posting in postings:
            share = shares.get(posting.line_id)
            if share is None:
                share = shares[posting.line_id] = [Decimal(0), Decimal(0)]
            kind = posting.kind
            if kind is _TRANSFER:
                share[PAYER] -= posting.amount
                share[PATIENT] += posting.amount
            elif kind is _CHARGE:
                share[PAYER if posting.party is _BY_PAYER else PATIENT] += posting.amount
            else:
                share[PAYER if posting.party is _BY_PAYER else PATIENT] -= posting.amount

    def reload(self, tx: Transaction, claim_id: int) -> None:
        """Read one claim's shares and primary state again (after reversing its entries)."""
        self.shares.update(remittances.line_shares(tx, [claim_id]))
        self.primary.discard(claim_id)
        self.primary.update(remittances.primary_posted(tx, [claim_id]))
