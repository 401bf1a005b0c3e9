"""From an account to a statement: its place in the dunning cycle, its dates, its file name,
and the values its template is filled with.

The dunning cycle restarts whenever the balance is paid down to zero: the first statement
after that is position 1 (config.statements.messages[0], usually no message), the next a
reminder, and so on, the last message repeating. A new statement goes out when the previous
one of the cycle has reached its due date (due_days), so a daily `medsheets run` sends each
patient one statement a cycle, not one a day.

File names carry the account number and the date only, never a name; an account number with
characters a file name cannot hold is made safe and given a short hash so it stays unique.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal

from medsheets.config import PracticeInfo, Statements
from medsheets.invoices.account import LEFT_BY_INSURANCE, NOT_COVERED
from medsheets.invoices.records import Account, Statement
from medsheets.ledger.statements import Recipient, StatementRecord

SELF_PAY = "Self-pay"
# What each reason means, in plain words, for the "Why you owe this" box.
EXPLANATIONS = {
    "Deductible": "The amount you pay yourself each plan year before your plan starts to pay. "
                  "Your insurer counted this service toward it.",
    "Coinsurance": "Your share of the cost of a covered service: a percentage of the amount "
                   "your plan allows, after the deductible.",
    "Copay": "The fixed amount your plan asks you to pay for this kind of visit or service.",
    NOT_COVERED: "Your insurer told us your plan does not pay for this service, so its cost "
                 "is yours.",
    LEFT_BY_INSURANCE: "Your insurer did not pay this amount; after following it up with them, "
                       "we are billing it to you.",
    SELF_PAY: "No insurance was billed for this visit, so its charge is yours.",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def file_stem(patient_id: str, day: dt.date) -> str:
    """statement-ACCOUNT-YYYY-MM-DD, with the account made safe for a file name."""
    safe = _UNSAFE.sub("_", patient_id)[:40]
    if safe != patient_id:
        safe += "-" + hashlib.sha256(patient_id.encode("utf-8")).hexdigest()[:8]
    return f"statement-{safe}-{day.isoformat()}"


def in_cycle(history: Sequence[StatementRecord], zero_on: dt.date | None,
             as_of: dt.date) -> list[StatementRecord]:
    """The statements sent since the balance was last zero, before `as_of`."""
    return [s for s in history
            if s.statement_date < as_of and (zero_on is None or s.statement_date > zero_on)]


def message_for(position: int, settings: Statements) -> str:
    """The dunning message for a position in the cycle (1 = first); the last one repeats."""
    if not settings.messages:
        return ""
    return settings.messages[min(position, len(settings.messages)) - 1]


def make_statement(
    practice: PracticeInfo, recipient: Recipient, account: Account, as_of: dt.date,
    position: int, settings: Statements, installment: tuple[Decimal, dt.date] | None = None,
) -> Statement:
    """The statement; on a payment plan kept, the next installment is what is due, by its day."""
    due_date = installment[1] if installment else as_of + dt.timedelta(days=settings.due_days)
    return Statement(
        practice=practice, recipient=recipient, account=account, statement_date=as_of,
        due_date=due_date, cycle_position=position,
        message=message_for(position, settings), file_stem=file_stem(recipient.account, as_of),
        installment=installment[0] if installment else None,
        installment_due=installment[1] if installment else None,
    )


def explanations(account: Account) -> list[tuple[str, str]]:
    labels = list(account.reason_labels)
    if any(row.self_pay for row in account.rows):
        labels.append(SELF_PAY)
    return [(label, EXPLANATIONS[label]) for label in labels if label in EXPLANATIONS]


def html_context(statement: Statement) -> dict[str, object]:
    """The values statement.html is filled with (all escaped by the template engine)."""
    return {
        "practice": statement.practice,
        "patient": statement.recipient,
        "minor": statement.recipient.is_minor_on(statement.statement_date),
        "statement": statement,
        "account": statement.account,
        "explanations": explanations(statement.account),
        "estimated": statement.estimated,
    }


def email_context(practice: PracticeInfo, statement_date: dt.date,
                  settings: Statements) -> dict[str, object]:
    """The values email.txt is filled with: the practice and the dates, no patient data."""
    return {
        "practice": practice,
        "statement_date": statement_date,
        "due_date": statement_date + dt.timedelta(days=settings.due_days),
    }
