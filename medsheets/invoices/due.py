"""Which accounts get a statement on a run: the cycle, stale statements, payment plans.

- The cycle (`[statements] cycle`, cycle.py) says when the next statement is due.
- A statement not yet emailed whose amount no longer matches the balance is stale: it is
  drawn up again now, at the same place in the dunning cycle, and the stale one is never sent
  (delivery.py sends only each account's newest statement, and only if its amount is still
  the balance).
- An account on a payment plan that is kept gets its statement with the installment due and
  no dunning (always the first message); a missed installment is reported.

Reads the ledger; the plan (plan.py) records nothing itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from medsheets.config import Statements
from medsheets.invoices import compose
from medsheets.invoices.cycle import parse_cycle
from medsheets.invoices.records import Account
from medsheets.ledger import Transaction
from medsheets.ledger import statements as ledger_statements
from medsheets.ledger.accounts import standings
from medsheets.ledger.plans import PlanStanding, plan_standings
from medsheets.ledger.statements import StatementRecord
from medsheets.money import to_cents


@dataclass(frozen=True)
class Decision:
    """For one account: due now at `position` (redrawing a stale one or not), or due later."""

    position: int
    next_due: dt.date | None = None  # set: not due until then
    redraw: bool = False
    plan: PlanStanding | None = None


def decide(tx: Transaction, settings: Statements, as_of: dt.date, accounts: Mapping[str, Account],
           history: Mapping[str, Sequence[StatementRecord]], emailed: set[str]) -> dict[str, Decision]:
    """The decision for each account owing the minimum; `emailed`: accounts with an email
    address (a paper statement is printed when drawn up, so only an email can go stale)."""
    cycle = parse_cycle(settings.cycle, settings.due_days)
    ids = sorted(accounts)
    billing = cycle.billing_day(as_of)
    minimum = to_cents(settings.minimum_balance)
    owed_then = ({pid for pid, s in standings(tx, billing, ids).items() if s.balance >= minimum}
                 if billing is not None else set())
    latest = {pid: history[pid][-1] for pid in ids if history.get(pid)}
    outcomes = ledger_statements.email_outcomes(tx, [r.id for r in latest.values()])
    plans = plan_standings(tx, as_of, ids)
    found = {}
    for pid, account in accounts.items():
        sent = compose.in_cycle(history.get(pid, []), account.zero_on, as_of)
        last = sent[-1] if sent else None
        plan = plans.get(pid)
        due = cycle.next_due(last.statement_date if last else None, as_of, pid in owed_then)
        position = 1 if plan is not None and plan.kept else len(sent) + 1
        stale = (pid in emailed and last is not None and last.amount_due != account.balance
                 and "sent" not in outcomes.get(last.id, []))
        if due is not None and stale:
            found[pid] = Decision(position if plan and plan.kept else len(sent), None, True, plan)
        else:
            found[pid] = Decision(position, due, False, plan)
    return found
