"""What the aging knows about a patient account besides its money: statements and placement.

The dunning history lives in `statements` (one row per statement, with its place in the
cycle) and a hand-over to an agency in `collection_placements`. Several sheets need the same
three facts per account (the last statement, how many were sent, whether and when it was
placed), so the subqueries are written once here. Nothing later than the as-of date counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.schema import collection_placements, email_log, statements


def statement_summary(as_of: dt.date, name: str = "statement_summary",
                      delivered_only: bool = False) -> Any:
    """Per patient: first and last statement date and how many statements (subquery `name`);
    with `delivered_only`, only the statements that reached the patient (`delivered`)."""
    query = (
        sa.select(
            statements.c.patient_id.label("patient_id"),
            sa.func.min(statements.c.statement_date).label("first_statement"),
            sa.func.max(statements.c.statement_date).label("last_statement"),
            sa.func.count().label("statements"),
        )
        .where(statements.c.statement_date <= as_of)
        .group_by(statements.c.patient_id)
    )
    if delivered_only:
        query = query.where(delivered(as_of))
    return query.subquery(name)


def delivered(as_of: dt.date) -> Any:
    """A statement that reached its guarantor: emailed (a 'sent' in email_log) or marked mailed
    on or before the day (`medsheets invoices --mailed`). Only those count toward collections:
    a statement produced but never sent warned nobody."""
    emailed = sa.exists().where(email_log.c.statement_id == statements.c.id,
                                email_log.c.result == "sent")
    return sa.or_(sa.and_(statements.c.mailed_on.is_not(None), statements.c.mailed_on <= as_of),
                  emailed)


def last_statement() -> Any:
    """The statements table again, to join the last statement's row (its cycle position)."""
    return statements.alias("last_statement_row")


def join_statements(selectable: Any, patient_id: Any, summary: Any, last: Any) -> Any:
    """`selectable` outer-joined to the summary and to the row of the last statement."""
    return selectable.outerjoin(summary, summary.c.patient_id == patient_id).outerjoin(
        last,
        sa.and_(
            last.c.patient_id == patient_id,
            last.c.statement_date == summary.c.last_statement,
        ),
    )


def placement_on(patient_id: Any, as_of: dt.date) -> Any:
    """The join condition to an account's placement made on or before the as-of date."""
    return sa.and_(
        collection_placements.c.patient_id == patient_id,
        collection_placements.c.placed_on <= as_of,
    )


def statement_label(cycle: int | None, count: int) -> str:
    """How the Detail and By Patient sheets name the last statement: 'statement 2 sent'."""
    return f"statement {cycle or count} sent"
