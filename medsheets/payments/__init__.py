"""Patient payments and paper EOBs from the payments workbook (docs/payments.md), posted to the
ledger as docs/posting.md says, each reference exactly once.

    result = post_payment_workbooks(practice, [Path("payments/2026-11-24.xlsx")],
                                    as_of=dt.date(2026, 12, 1))
"""

from medsheets.payments.post import post_payment_workbooks
from medsheets.payments.report import PaymentsResult, Posted

__all__ = ["PaymentsResult", "Posted", "post_payment_workbooks"]
