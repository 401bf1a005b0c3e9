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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from medsheets.config import PracticeInfo, Statements
from medsheets.guarantors import Addressee
from medsheets.invoices.account import LEFT_BY_INSURANCE, NOT_COVERED
from medsheets.invoices.records import Account, GuarantorStatement, Statement
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


def message_for(position: int, settings: Statements, paid_since_last: bool = False) -> str:
    """The dunning message for a position in the cycle (1 = first); the last one repeats. Who
    paid something since their last statement is not given the last ("final notice") message:
    the one before it stands instead."""
    if not settings.messages:
        return ""
    index = min(position, len(settings.messages)) - 1
    if paid_since_last and len(settings.messages) > 1:
        index = min(index, len(settings.messages) - 2)
    return settings.messages[index]


def make_statement(
    practice: PracticeInfo, recipient: Recipient, account: Account, as_of: dt.date,
    position: int, settings: Statements, installment: tuple[Decimal, dt.date] | None = None,
    paid_since_last: bool = False,
) -> Statement:
    """The statement; on a payment plan kept, the next installment is what is due, by its day."""
    due_date = installment[1] if installment else as_of + dt.timedelta(days=settings.due_days)
    return Statement(
        practice=practice, recipient=recipient, account=account, statement_date=as_of,
        due_date=due_date, cycle_position=position,
        message=message_for(position, settings, paid_since_last),
        file_stem=file_stem(recipient.account, as_of),
        installment=installment[0] if installment else None,
        installment_due=installment[1] if installment else None,
    )


def addressed(parts: Iterable[Statement], guarantors: Mapping[str, Addressee]) -> list[Statement]:
    """The statements of one day, each given its guarantor and the file of its guarantor's
    document (named after the first account on it). A patient the ledger has no profile for
    is their own guarantor."""
    parts = list(parts)
    chosen = {part.recipient.account: guarantors.get(part.recipient.account) or _self(part)
              for part in parts}
    first_account: dict[str, str] = {}
    for account in sorted(chosen):
        first_account.setdefault(chosen[account].key, account)
    return [replace(part, guarantor=chosen[part.recipient.account],
                    file_stem=file_stem(first_account[chosen[part.recipient.account].key],
                                        part.statement_date))
            for part in parts]


def _self(part: Statement) -> Addressee:
    r = part.recipient
    return Addressee(f"account:{r.account}", r.last_name, r.first_name, r.address, r.city,
                     r.state, r.zip, r.email, r.is_minor_on(part.statement_date))


def documents(parts: Iterable[Statement]) -> list[GuarantorStatement]:
    """The addressed statements gathered into one document per file (per guarantor and day)."""
    by_file: dict[str, list[Statement]] = {}
    for part in parts:
        by_file.setdefault(part.file_stem, []).append(part)
    found = []
    for stem, group in by_file.items():
        group.sort(key=lambda part: part.recipient.account)
        guarantor = group[0].guarantor or _self(group[0])
        found.append(GuarantorStatement(guarantor, tuple(group), stem))
    return found


def explanations(account: Account) -> list[tuple[str, str]]:
    labels = list(account.reason_labels)
    if any(row.self_pay for row in account.rows):
        labels.append(SELF_PAY)
    return [(label, EXPLANATIONS[label]) for label in labels if label in EXPLANATIONS]


def html_context(document: GuarantorStatement | Statement) -> dict[str, object]:
    """The values statement.html is filled with (all escaped by the template engine): the
    guarantor it is addressed to, and each patient's part. Nothing of anyone else. A lone
    patient statement is the document of its own guarantor."""
    if isinstance(document, Statement):
        [document] = documents([document])
    seen: dict[str, str] = {}
    for part in document.parts:
        seen.update(explanations(part.account))
    return {
        "practice": document.practice,
        "guarantor": document.guarantor,
        "statement": document,
        "parts": [{"patient": part.recipient, "account": part.account,
                   "minor": part.recipient.is_minor_on(part.statement_date),
                   "installment": part.installment, "installment_due": part.installment_due}
                  for part in document.parts],
        "aging": document.aging,
        "explanations": list(seen.items()),
        # What a practice's own template written for one patient a statement still reads:
        "patient": document.parts[0].recipient,
        "account": document.parts[0].account,
        "minor": document.guarantor.minor_patient,
        # What the patients were told before their visits (estimate), each under their name:
        "estimated": [item for part in document.parts for item in part.estimated],
    }


def email_context(practice: PracticeInfo, statement_date: dt.date,
                  settings: Statements) -> dict[str, object]:
    """The values email.txt is filled with: the practice and the dates, no patient data."""
    return {
        "practice": practice,
        "statement_date": statement_date,
        "due_date": statement_date + dt.timedelta(days=settings.due_days),
    }
