"""A run's new claims' first events written in bulk (`add_new_claims_events`, the paper claims'
"billed") are the rows `add_event` writes one at a time, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from test_ledger_support import DAY, bill, encounter

from medsheets.ledger import Ledger
from medsheets.ledger.events import ClaimEvent, add_event
from medsheets.ledger.schema import claim_events


def recorded(url: str, in_bulk: bool, prefix: str) -> list[dict[str, object]]:
    """Three new claims' events recorded one way or the other: the run's rows, but their ids
    and instants, each claim named by its place among the three."""
    with Ledger.open(url) as ledger:
        claim_ids = [bill(ledger, encounter(f"{prefix}{n}"))[1] for n in range(3)]
        events = [ClaimEvent(claim_id, "paper", "billed", DAY, payer_id="BCBS",
                             detail={"file": "claims-cms1500.pdf"}) for claim_id in claim_ids[:2]]
        events.append(ClaimEvent(claim_ids[2], "eob", "denied", DAY, reason_codes="CO-16",
                                 payer_claim_number="PCN9"))  # no payer, no detail
        with ledger.transaction() as tx:
            run_id = tx.start_run("claims", [])
            if in_bulk:
                tx.add_new_claims_events(run_id, events)
            else:
                for event in events:
                    add_event(tx, run_id, event)
        with ledger.reading() as tx:
            rows = tx.conn.execute(sa.select(claim_events).where(claim_events.c.run_id == run_id)
                                   .order_by(claim_events.c.id)).all()
    return [{**{k: v for k, v in row._asdict().items() if k not in ("id", "run_id", "created_at")},
             "claim_id": claim_ids.index(row.claim_id)} for row in rows]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_new_claims_events_in_bulk_are_the_rows_add_event_writes(
        database: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = (f"sqlite:///{tmp_path / 'medsheets.db'}" if database == "sqlite"
           else str(request.getfixturevalue("pg_url")))
    one_by_one, in_bulk = recorded(url, False, "A"), recorded(url, True, "B")
    assert [row["claim_id"] for row in one_by_one] == [0, 1, 2] and in_bulk == one_by_one
    assert one_by_one[0]["detail"] == {"file": "claims-cms1500.pdf"} and one_by_one[2]["detail"] is None
