"""The statement cycle (`[statements] cycle`): on which runs an account gets a statement.

Two kinds, written as text in medsheets.toml:

- `"every:N"` (N days, 1 to 365): per account. An account's first statement goes out on the
  first run where it owes at least the minimum; the next one N days after the last. The
  default is `"every:D"` with D the `due_days`, the behaviour before cycles existed.
- `"monthly:D"` (a day of the month, 1 to 28): the practice's billing day. On the first run on
  or after day D of a month, every account that already owed at least the minimum on day D
  and has had no statement since gets one; a balance that arose after day D waits for the
  next month's. So `run` every weekday produces statements once a month, not on every run.

Pure dates: the ledger questions are the caller's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS = ("every", "monthly")


@dataclass(frozen=True)
class Cycle:
    kind: str  # every | monthly
    number: int  # days (every) or day of the month (monthly)

    def __str__(self) -> str:
        return f"{self.kind}:{self.number}"

    def billing_day(self, as_of: dt.date) -> dt.date | None:
        """For a monthly cycle, the last billing day on or before `as_of`; None for every:N."""
        if self.kind != "monthly":
            return None
        if as_of.day >= self.number:
            return as_of.replace(day=self.number)
        previous = as_of.replace(day=1) - dt.timedelta(days=1)
        return previous.replace(day=self.number)

    def next_billing_day(self, as_of: dt.date) -> dt.date:
        """For a monthly cycle, the first billing day after `as_of`."""
        first_of_next = (as_of.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        this_month = as_of.replace(day=self.number)
        return this_month if this_month > as_of else first_of_next.replace(day=self.number)

    def next_due(self, last: dt.date | None, as_of: dt.date, owed_on_billing_day: bool) -> dt.date | None:
        """The day this account's next statement is due, if after `as_of` (None: due now).

        `last` is the account's last statement in its current cycle (None: none yet);
        `owed_on_billing_day` whether it owed the minimum on this month's billing day.
        """
        if self.kind == "every":
            if last is None:
                return None
            due = last + dt.timedelta(days=self.number)
            return due if due > as_of else None
        billing = self.billing_day(as_of)
        assert billing is not None
        if owed_on_billing_day and (last is None or last < billing):
            return None
        return self.next_billing_day(as_of)


def parse_cycle(text: str, due_days: int) -> Cycle:
    """`"monthly:5"` or `"every:30"` (blank: every `due_days`); ValueError saying what is wrong."""
    if not text.strip():
        return Cycle("every", max(due_days, 1))
    kind, _, number = text.strip().lower().partition(":")
    if kind not in KINDS or not number.strip().isdigit():
        raise ValueError(f"cycle '{text}' must be \"monthly:DAY\" (e.g. \"monthly:5\", statements on "
                         "the 5th) or \"every:DAYS\" (e.g. \"every:30\", per account)")
    value = int(number)
    if kind == "monthly" and not 1 <= value <= 28:
        raise ValueError(f"cycle '{text}': the day of the month must be 1 to 28 (every month has it)")
    if kind == "every" and not 1 <= value <= 365:
        raise ValueError(f"cycle '{text}': the number of days must be 1 to 365")
    return Cycle(kind, value)
