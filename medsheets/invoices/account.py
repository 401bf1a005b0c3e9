"""A patient's account on a statement date, worked out from their journal entries alone.

This is the arithmetic a patient checks with a pencil, so it must close to the cent:

- the balance is the sum of the entries' patient shares (ledger/records.py sign rules);
- the statement lists every service (and account payment) with an entry after the last day
  the running balance was zero; whatever part of the balance predates that is shown as an
  earlier balance, so the rows always add up to the amount due;
- each row shows the charge, what insurance paid and adjusted, what the patient paid, and the
  patient's part of what is left, with the reasons the payer gave (PR-1 deductible, PR-2
  coinsurance, PR-3 copay, any other PR reason: not covered);
- the balance is aged first in, first out: payments and credits settle the oldest amounts, and
  each amount ages from the day it became the patient's (a self-pay charge, a transfer);
- what the primary left the patient on a claim a secondary insurance has yet to answer is
  not owed yet: it is shown as awaiting that payer, outside the balance and its aging;
- a later payer's payment comes back out of the patient's part as a transfer without a
  reason: it is not a reason the patient owes anything, and the row names every payer that paid.

Pure functions over records: no database, no files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from medsheets.invoices.records import Account, Aging, StatementRow
from medsheets.ledger.records import Kind, Party
from medsheets.ledger.statements import Posting, ServiceFact
from medsheets.money import ZERO

REASON_LABELS = {"1": "Deductible", "2": "Coinsurance", "3": "Copay"}
NOT_COVERED = "Not covered by your plan"
LEFT_BY_INSURANCE = "Not paid by your insurance"

ItemKey = tuple[str, int]  # ("line", line id) | ("claim", claim id) | ("account", entry id)


def reason_label(posting: Posting) -> str:
    """Why a transfer made the amount the patient's, in the patient's words."""
    if posting.reason_code is None:
        return LEFT_BY_INSURANCE
    return REASON_LABELS.get(posting.reason_code, NOT_COVERED)


def item_key(posting: Posting) -> ItemKey:
    if posting.claim_line_id is not None:
        return ("line", posting.claim_line_id)
    if posting.claim_id is not None:
        return ("claim", posting.claim_id)
    return ("account", posting.id)


def last_zero_day(postings: Sequence[Posting]) -> dt.date | None:
    """The last day at whose end the patient's running balance was exactly zero (None: never,
    since the first entry). Days, not entries: one remittance's entries stay together."""
    by_day: dict[dt.date, Decimal] = {}
    for posting in postings:
        day = posting.effective_date
        by_day[day] = by_day.get(day, ZERO) + posting.patient_share
    running, zero_on = ZERO, None
    for day in sorted(by_day):
        running += by_day[day]
        if running == ZERO:
            zero_on = day
    return zero_on


def age_balance(postings: Iterable[Posting], as_of: dt.date) -> Aging:
    """The balance by age, oldest amounts settled first; all zero when the account is in credit."""
    debts: list[list[object]] = []  # [day, amount still open], oldest first
    credit = ZERO
    for posting in sorted(postings, key=lambda p: (p.effective_date, p.id)):
        share = posting.patient_share
        if share > ZERO:
            debts.append([posting.effective_date, share])
        elif share < ZERO:
            credit -= share
    buckets = [ZERO, ZERO, ZERO, ZERO]
    for day, amount in debts:
        assert isinstance(day, dt.date) and isinstance(amount, Decimal)
        settled = min(credit, amount)
        credit -= settled
        left = amount - settled
        if left:
            buckets[_bucket((as_of - day).days)] += left
    return Aging(*buckets)


def _bucket(age_days: int) -> int:
    return 0 if age_days <= 30 else 1 if age_days <= 60 else 2 if age_days <= 90 else 3


def build_account(
    patient_id: str,
    postings: Sequence[Posting],
    services: Mapping[int, ServiceFact],
    as_of: dt.date,
    describe: Callable[[str], str],
    payer_name: Callable[[str], str],
    awaiting: Mapping[tuple[int, int | None], str] | None = None,
) -> Account:
    """The account of one patient from their entries (effective on or before `as_of`).

    `awaiting` maps (claim id, line id) to the secondary payer still expected to pay on that
    line (ledger/cob.py `secondary_pending`)."""
    postings = sorted((p for p in postings if p.effective_date <= as_of),
                      key=lambda p: (p.effective_date, p.id))
    awaiting = awaiting or {}
    balance = sum((p.patient_share for p in postings), ZERO)
    zero_on = last_zero_day(postings)
    grouped: dict[ItemKey, list[Posting]] = {}
    for posting in postings:
        grouped.setdefault(item_key(posting), []).append(posting)
    shown = [
        key for key, items in grouped.items()
        if zero_on is None or any(p.effective_date > zero_on for p in items)
    ]
    rows, waiting = [], set()
    for key in shown:
        row = _row(key, grouped[key], services, describe, payer_name)
        service = services.get(key[1]) if key[0] == "line" else None
        further = awaiting.get((service.claim_id, key[1])) if service is not None else None
        if further is not None and row.balance > 0:
            balance -= row.balance
            row = replace(row, balance=ZERO, pending=row.pending + row.balance,
                          payer_name=payer_name(further))
            waiting.add(key)
        rows.append(row)
    rows.sort(key=lambda row: (row.date, row.self_pay, row.description))
    explained = sum((row.balance for row in rows), ZERO)
    labels = sorted({label for row in rows for label, _ in row.reasons},
                    key=lambda label: _LABEL_ORDER.get(label, 9))
    owed = [p for p in postings if item_key(p) not in waiting]
    return Account(patient_id, balance, tuple(rows), balance - explained,
                   age_balance(owed, as_of), zero_on, tuple(labels))


_LABEL_ORDER = {"Deductible": 0, "Coinsurance": 1, "Copay": 2, NOT_COVERED: 3, LEFT_BY_INSURANCE: 4}


def _row(
    key: ItemKey,
    postings: Sequence[Posting],
    services: Mapping[int, ServiceFact],
    describe: Callable[[str], str],
    payer_name: Callable[[str], str],
) -> StatementRow:
    """One statement row from all the entries on one service line (or claim, or payment)."""
    totals = _totals(postings)
    reasons: dict[str, Decimal] = {}
    paid_by: dict[str, Decimal] = {}
    for posting in postings:
        if posting.kind is Kind.PAYMENT and posting.party is Party.PAYER and posting.payer_id:
            paid_by[posting.payer_id] = paid_by.get(posting.payer_id, ZERO) + posting.amount
        if posting.kind is Kind.TRANSFER and posting.group_code is None and posting.amount < 0:
            continue  # a later payer paying what the earlier one left: no reason to owe
        if posting.kind is Kind.TRANSFER:
            label = reason_label(posting)
            reasons[label] = reasons.get(label, ZERO) + posting.amount
    service = services.get(key[1]) if key[0] == "line" else None
    payer = (service.payer_id if service
             else next((p.payer_id for p in postings if p.payer_id), None))
    date, description, code = _what(key, postings, service, describe)
    return StatementRow(
        date=date, description=description, code=code,
        charge=totals["charge"], insurance_paid=totals["insurance_paid"],
        adjustments=totals["adjustments"], patient_paid=totals["patient_paid"],
        balance=sum((p.patient_share for p in postings), ZERO),
        pending=sum((p.payer_share for p in postings), ZERO),
        payer_name=payer_name(payer) if payer else None,
        reasons=tuple((label, amount) for label, amount in reasons.items() if amount != ZERO),
        self_pay=service is not None and service.payer_id is None,
        paid_by=tuple(payer_name(payer_id) for payer_id, amount in paid_by.items() if amount),
    )


def _totals(postings: Iterable[Posting]) -> dict[str, Decimal]:
    totals = dict.fromkeys(("charge", "insurance_paid", "adjustments", "patient_paid"), ZERO)
    for p in postings:
        if p.kind is Kind.CHARGE:
            totals["charge"] += p.amount
        elif p.kind is Kind.PAYMENT:
            totals["insurance_paid" if p.party is Party.PAYER else "patient_paid"] += p.amount
        elif p.kind in (Kind.ADJUSTMENT, Kind.WRITEOFF):
            totals["adjustments"] += p.amount
    return totals


def _what(
    key: ItemKey, postings: Sequence[Posting], service: ServiceFact | None,
    describe: Callable[[str], str],
) -> tuple[dt.date, str, str | None]:
    """The row's date, plain description and procedure code."""
    if service is not None:
        text = describe(service.procedure_code)
        if service.units > 1:
            text = f"{text} ({service.units} units)"
        return service.date_of_service, text, service.procedure_code
    first = postings[0]
    if key[0] == "claim":
        return first.effective_date, "Visit balance adjustment", None
    if first.kind is Kind.PAYMENT:
        text = "Payment received, thank you" if first.amount > ZERO else "Payment returned"
        return first.effective_date, text, None
    return first.effective_date, "Account adjustment", None
