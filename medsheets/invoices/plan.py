"""Deciding, from the ledger, which statements a run produces, and which it only restores.

For each patient owing at least config.statements.minimum_balance on the statement date:

- placed with a collection agency: no statement;
- what they owe is, but for less than the minimum, on claims a secondary insurance has yet to
  answer: no statement yet (the secondary is expected to pay it; docs/secondary-insurance.md);
- a statement already recorded for that date: nothing new (running twice on the same day
  produces nothing twice); if the balance has changed since, that is reported;
- not yet due by the statement cycle (`[statements] cycle`, cycle.py): not yet, unless the
  account's last statement was never emailed and its amount is no longer the balance: then
  it is drawn up again now (stale statements are never sent, see due.py);
- otherwise a new statement, at the next position of the dunning cycle (position 1, no
  dunning, while a payment plan is kept; the plan's next installment shown as due).

A recorded statement still current (dated within due_days) whose PDF is missing, as after a
run killed between its commit and its files, is rendered again from the ledger as it stood
when it was recorded (see ledger/statements.py), with its recorded cycle position.

Only reads: the run records what this returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from medsheets.config import Config
from medsheets.guarantors import guarantors
from medsheets.invoices import compose
from medsheets.invoices.account import build_account
from medsheets.invoices.due import decide
from medsheets.invoices.records import Account, GuarantorStatement, Statement
from medsheets.ledger import Transaction, eligibility
from medsheets.ledger import statements as ledger_statements
from medsheets.ledger.cob import secondary_pending
from medsheets.ledger.statements import Recipient, StatementRecord
from medsheets.money import from_cents


@dataclass(frozen=True)
class Names:
    """Plain words for codes: procedure descriptions (Procedures sheet), payer names (Payers)."""

    procedures: Mapping[str, str] = field(default_factory=dict)
    payers: Mapping[str, str] = field(default_factory=dict)

    def describe(self, code: str) -> str:
        return self.procedures.get(code) or "Medical service"

    def payer(self, payer_id: str) -> str:
        return self.payers.get(payer_id) or "your insurance"


@dataclass
class Plan:
    """What a run will do: new statements, statements to restore, and what it leaves alone."""

    new: list[Statement] = field(default_factory=list)  # one per patient, addressed
    restore: list[Statement] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # accounts with a statement on this date
    changed: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # recorded, now
    not_due: list[tuple[str, dt.date]] = field(default_factory=list)  # account, next due
    redrawn: list[str] = field(default_factory=list)  # stale statements drawn up again
    plan_missed: list[str] = field(default_factory=list)  # accounts behind on their plan
    placed: list[str] = field(default_factory=list)
    awaiting_secondary: list[str] = field(default_factory=list)  # what they owe, a secondary may pay
    no_address: list[str] = field(default_factory=list)

    @property
    def documents(self) -> list[GuarantorStatement]:
        """The PDFs to render: the new statements and those to restore, one per guarantor."""
        return compose.documents(self.new) + compose.documents(self.restore)


def accounts(
    tx: Transaction, patient_ids: list[str], as_of: dt.date, posted_by: dt.datetime,
    names: Names,
) -> dict[str, tuple[Account, Recipient]]:
    """Each patient's account and addressee, from the ledger as it stood at `posted_by`."""
    postings = ledger_statements.postings(tx, patient_ids, as_of, posted_by)
    services = ledger_statements.services(tx, patient_ids)
    recipients = ledger_statements.recipients(tx, patient_ids)
    awaiting = secondary_pending(tx, as_of, posted_by)
    return {
        pid: (build_account(pid, postings[pid], services, as_of, names.describe, names.payer,
                            awaiting), recipients[pid])
        for pid in patient_ids
    }


def plan_statements(
    tx: Transaction, config: Config, as_of: dt.date, snapshot: dt.datetime, names: Names,
    invoices_dir: Path,
) -> Plan:
    plan = Plan()
    settings = config.statements
    owing = ledger_statements.balances_at_least(tx, settings.minimum_balance, as_of, snapshot)
    placed = ledger_statements.placed_patients(tx)
    plan.placed = sorted(pid for pid in owing if pid in placed)
    ids = sorted(pid for pid in owing if pid not in placed)
    history = ledger_statements.statement_history(tx, ids)
    paid_on = ledger_statements.last_patient_payments(tx, ids, as_of, snapshot)
    found = accounts(tx, ids, as_of, snapshot, names)
    # owing less than the minimum once what a pending secondary may pay is set apart: wait
    plan.awaiting_secondary = sorted(pid for pid, (account, _) in found.items()
                                     if account.balance < settings.minimum_balance)
    found = {pid: item for pid, item in found.items() if pid not in plan.awaiting_secondary}
    decisions = decide(tx, settings, as_of, {pid: a for pid, (a, _) in found.items()}, history,
                       {pid for pid, (_, r) in found.items() if r.email})
    for pid, (account, recipient) in found.items():
        same_day = [s for s in history[pid] if s.statement_date == as_of]
        if same_day:
            plan.already.append(pid)
            if same_day[0].amount_due != account.balance:
                plan.changed.append((pid, same_day[0].amount_due, account.balance))
            continue
        decision = decisions[pid]
        if decision.plan is not None and decision.plan.active and not decision.plan.kept:
            plan.plan_missed.append(pid)
        if decision.next_due is not None:
            plan.not_due.append((pid, decision.next_due))
            continue
        if decision.redraw:
            plan.redrawn.append(pid)
        kept = decision.plan if decision.plan and decision.plan.kept and decision.plan.active else None
        installment = (from_cents(kept.next_cents), kept.next_due) if kept else None
        plan.new.append(with_estimates(tx, compose.make_statement(
            config.practice, recipient, account, as_of, decision.position, settings, installment,
            paid_since_last(before(history[pid], as_of), paid_on.get(pid))), snapshot))
    plan.new = compose.addressed(plan.new, guarantors(tx, [s.recipient.account for s in plan.new], as_of))
    plan.no_address = sorted({s.recipient.account for s in plan.new if s.guarantor is not None
                              and not (s.guarantor.address and s.guarantor.city and s.guarantor.zip)})
    plan.restore = restorable(tx, config, current_statements(tx, as_of, config), names,
                              invoices_dir)
    return plan


def current_statements(tx: Transaction, as_of: dt.date, config: Config) -> list[StatementRecord]:
    """Statements dated within due_days up to `as_of`: the ones a patient may still be sent."""
    first = as_of - dt.timedelta(days=max(config.statements.due_days - 1, 0))
    return [s for s in ledger_statements.statements_since(tx, first) if s.statement_date <= as_of]


def restorable(
    tx: Transaction, config: Config, records: Iterable[StatementRecord], names: Names,
    invoices_dir: Path,
) -> list[Statement]:
    """The recorded statements whose PDF is missing, rebuilt exactly as they were recorded."""
    missing = [r for r in records if not (invoices_dir / r.file_name).exists()]
    by_snapshot: dict[tuple[dt.date, dt.datetime], list[StatementRecord]] = {}
    for record in missing:
        by_snapshot.setdefault((record.statement_date, record.created_at), []).append(record)
    rebuilt: list[Statement] = []
    for (day, created), group in by_snapshot.items():
        ids = [r.patient_id for r in group]
        found = accounts(tx, ids, day, created, names)
        addressees = guarantors(tx, ids, day)
        history = ledger_statements.statement_history(tx, ids)
        paid_on = ledger_statements.last_patient_payments(tx, ids, day, created)
        for record in group:
            account, recipient = found[record.patient_id]
            statement = compose.make_statement(
                config.practice, recipient, account, day, record.cycle_position, config.statements,
                paid_since_last=paid_since_last(before(history[record.patient_id], day),
                                                paid_on.get(record.patient_id)))
            [statement] = compose.addressed([statement], addressees)
            rebuilt.append(with_estimates(tx, replace(statement, file_stem=Path(record.file_name).stem),
                                          created))
    return rebuilt


def before(history: list[StatementRecord], day: dt.date) -> list[StatementRecord]:
    """The statements sent before `day`, oldest first."""
    return [s for s in history if s.statement_date < day]


def paid_since_last(cycle: list[StatementRecord], last_payment: dt.date | None) -> bool:
    """Whether the patient paid anything on or after the day of their last statement."""
    return bool(cycle) and last_payment is not None and last_payment >= cycle[-1].statement_date


def with_estimates(tx: Transaction, statement: Statement, snapshot: dt.datetime) -> Statement:
    """The statement with what the patient was told before each visit on it (`estimate`),
    as the ledger stood at `snapshot`, so a restored statement shows the same."""
    pid = statement.account.patient_id
    told = eligibility.latest_estimates(tx, [pid], before=snapshot)
    days = sorted({row.date for row in statement.account.rows})
    found = tuple((day, from_cents(told[(pid, day)].collect_cents or 0)) for day in days
                  if (pid, day) in told and told[(pid, day)].collect_cents is not None)
    return replace(statement, estimated=found) if found else statement
