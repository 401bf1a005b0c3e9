"""Posting a remittance costs the same few statements however many claims it pays: the
remit_claims rows, entries, events and status changes are written per remittance, not per claim."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from remit_support import bill_from_835, db_url, large_835, post_text, rows

from medsheets.ledger.schema import claims, remit_claims
from medsheets.ledger.sql import insert_ids
from medsheets.remit.results import POSTED


@contextmanager
def counting() -> Iterator[list[str]]:
    """Every statement sent to any database meanwhile (an executemany counts once)."""
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append(" ".join(statement.split()[:3]))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)


def posted_statements(practice_dir: Path, claims_paid: int, prefix: str) -> list[str]:
    text = large_835(claims_paid, prefix=prefix).replace("TRN*1*BIG1", f"TRN*1*{prefix}")
    bill_from_835(db_url(practice_dir), text.encode(), "era.835", payer_id="BSTAR")
    with counting() as sent:
        result = post_text(practice_dir, text, f"{prefix}.835")
    assert [o.status for o in result.outcomes] == [POSTED] and not result.has_errors, [
        p.message for p in result.problems]
    return sent


def test_a_remittance_of_forty_claims_takes_the_statements_of_one_of_ten(practice_dir: Path) -> None:
    posted_statements(practice_dir, 2, "W")  # the ledger's first run records the practice
    ten = posted_statements(practice_dir, 10, "T")
    forty = posted_statements(practice_dir, 40, "F")
    assert sorted(forty) == sorted(ten)
    assert ten.count("INSERT INTO journal") == 1 and ten.count("INSERT INTO remit_claims") == 1
    assert ten.count("UPDATE claims SET") == 1
    posted = rows(db_url(practice_dir), remit_claims)
    assert len(posted) == 52 and all(row.claim_id is not None for row in posted)
    statuses = {row.status for row in rows(db_url(practice_dir), claims)}
    assert statuses == {"paid"}


def test_the_counter_sees_a_statement_per_claim(practice_dir: Path) -> None:
    with counting() as sent, sa.create_engine("sqlite://").connect() as conn:
        for number in range(3):
            conn.execute(sa.text("SELECT :n"), {"n": number})
    assert sent == ["SELECT ?"] * 3



@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_many_rows_inserted_at_once_get_their_ids_in_order(database: str, tmp_path: Path,
                                                           request: pytest.FixtureRequest) -> None:
    """sql.insert_ids on SQLite (sorted ids of multi-row INSERTs) and PostgreSQL."""
    url = (f"sqlite:///{tmp_path / 'ids.db'}" if database == "sqlite"
           else str(request.getfixturevalue("pg_url")))
    table = sa.Table("numbered", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("label", sa.String(20)))
    engine = sa.create_engine(url)
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"label": "before"}] * 3)
        conn.execute(table.delete().where(table.c.id == 2))
        labels = [f"row {n}" for n in range(2_500)]  # more than one statement's worth
        with counting() as sent:
            ids = insert_ids(conn, table, [{"label": label} for label in labels])
        assert len(sent) < 10, url
        stored = dict(conn.execute(sa.select(table.c.id, table.c.label)).all())
    engine.dispose()
    assert [stored[i] for i in ids] == labels, url
    assert ids == sorted(ids) and ids[0] > 3
