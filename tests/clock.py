"""The suite's one clock: every test takes its dates from here or pins its own, never the
computer's calendar, so the suite passes on any day (CI also runs it with the clock years ahead).

The example practice is built for `EXAMPLE_AS_OF`: its two days of encounters are
`EXAMPLE_DAYS`, the weekdays before it. `NOW` is when the biller sends the claims, a few days
after the visits; `TODAY` is a working day after that (acknowledgments, payments, statements),
inside every payer's filing limit.
"""

from __future__ import annotations

import datetime as dt

EXAMPLE_AS_OF = dt.date(2026, 11, 27)
EXAMPLE_DAYS = (dt.date(2026, 11, 25), dt.date(2026, 11, 26))
TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 11, 27, 10, 30)
