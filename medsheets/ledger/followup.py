"""What the follow-up worklist reads: every unpaid insurance claim with everything said about it.

An unpaid insurance claim is one with a payer whose status is billed, accepted, rejected or
denied (paid, void and self-pay claims are done with). For each: who and what it bills, when it
was billed (on paper or in which batch), its charge, and its events oldest first (999, 277CA,
277 and 835 answers, our own 276 requests, the paper billing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.records import ClaimStatus
from medsheets.ledger.schema import claim_events, claim_lines, claims
from medsheets.money import from_cents

UNPAID = (ClaimStatus.BILLED, ClaimStatus.ACCEPTED, ClaimStatus.REJECTED, ClaimStatus.DENIED)
CHUNK = 500


@dataclass(frozen=True, slots=True)
class EventRow:
    """One claim event as the worklist needs it."""

    source: str
    event: str
    reason_codes: str
    detail: dict[str, Any]
    effective_date: dt.date


@dataclass(frozen=True, slots=True)
class OpenClaim:
    """An unpaid insurance claim: identity, payer, dates, charge, status and its events."""

    claim_id: int
    encounter_id: str
    patient_id: str
    payer_id: str
    member_id: str | None
    date_of_service: dt.date
    billed_on: dt.date | None
    status: str
    payer_claim_number: str | None
    batch_id: int | None
    charge: Decimal
    events: tuple[EventRow, ...]
    rendering_npi: str | None = None  # the claim's doctor (None if billed before it was kept)

    @property
    def on_paper(self) -> bool:
        return any(e.source == "paper" for e in self.events)


class FollowupMixin:
    """Transaction methods for the follow-up worklist."""

    conn: sa.Connection

    def unpaid_insurance_claims(self) -> list[OpenClaim]:
        """Every unpaid insurance claim, oldest date of service first."""
        c = claims.c
        charge = (sa.select(sa.func.sum(claim_lines.c.charge_cents))
                  .where(claim_lines.c.claim_id == c.id).scalar_subquery())
        rows = self.conn.execute(
            sa.select(c.id, c.encounter_id, c.patient_id, c.payer_id, c.member_id,
                      c.date_of_service, c.first_billed_at, c.status, c.payer_claim_number,
                      c.batch_id, charge.label("charge"), c.rendering_npi)
            .where(c.payer_id.is_not(None), c.status.in_([s.value for s in UNPAID]))
            .order_by(c.date_of_service, c.id)).all()
        events = self._events([row.id for row in rows])
        return [OpenClaim(row.id, row.encounter_id, row.patient_id, row.payer_id, row.member_id,
                          row.date_of_service,
                          row.first_billed_at.date() if row.first_billed_at else None,
                          row.status, row.payer_claim_number, row.batch_id,
                          from_cents(int(row.charge or 0)), tuple(events.get(row.id, ())),
                          row.rendering_npi)
                for row in rows]

    def _events(self, claim_ids: list[int]) -> dict[int, list[EventRow]]:
        found: dict[int, list[EventRow]] = {}
        e = claim_events.c
        for start in range(0, len(claim_ids), CHUNK):
            query = (sa.select(e.claim_id, e.source, e.event, e.reason_codes, e.detail,
                               e.effective_date)
                     .where(e.claim_id.in_(claim_ids[start:start + CHUNK])).order_by(e.id))
            for row in self.conn.execute(query):
                found.setdefault(row.claim_id, []).append(EventRow(
                    row.source, row.event, row.reason_codes or "", row.detail or {},
                    row.effective_date))
        return found
