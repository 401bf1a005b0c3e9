"""Patient statements: what insurance left to the patient, as a PDF to mail and an email to send.

    result = produce_statements(practice, as_of=date(2026, 12, 1), send=False)

ledger -> accounts (account.py, pure) -> statements (plan.py, compose.py) -> HTML (templates/,
autoescaped) -> PDF (render.py: WeasyPrint, only the template assets may load, all cores) ->
recorded (ledger/statements.py) -> out/invoices/*.pdf and out/outbox/*.eml -> SMTP (delivery.py, smtp.py).

The names below are imported on first use, so that a rendering worker process, which imports
only render.py, does not load the ledger and the code sets it never needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medsheets.invoices.run import InvoiceResult, produce_statements

__all__ = ["InvoiceResult", "produce_statements"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from medsheets.invoices import run

        return getattr(run, name)
    raise AttributeError(f"module 'medsheets.invoices' has no attribute {name!r}")
