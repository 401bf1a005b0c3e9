"""Alembic's entry point: run the ledger migrations on the connection medsheets hands over.

medsheets passes an open connection inside its own transaction (`config.attributes
["connection"]`), so a migration commits together with nothing else and a failed one leaves
the ledger as it was. A developer running the alembic command instead gives `-x url=...`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from medsheets.ledger.schema import metadata


def _run(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Migrate the connection medsheets gave us, or the database named by `-x url=`."""
    if context.is_offline_mode():
        raise SystemExit("medsheets migrations run online only; give -x url=DATABASE_URL")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database to migrate: alembic -x url=DATABASE_URL ...")
    engine = sa.create_engine(url, hide_parameters=True)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


main()
