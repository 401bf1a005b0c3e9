"""The Detail sheet's columns, how a ledger line becomes a row, and the tally that checks them.

Detail rows are streamed, so each is built once and forgotten; `DetailTally` keeps what the
other sheets need from them (per-payer counts, the oldest visit, claims waiting for work) and
adds their money up again in Python. The database's GROUP BY totals and this independent sum
must agree to the cent before the workbook is saved: a report that disagrees with itself is
never written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from medsheets.ledger.reports.buckets import (
    BUCKET_LABELS,
    COLUMNS,
    ON_ACCOUNT,
    Scope,
    age_in_days,
    bucket_of,
)
from medsheets.ledger.reports.detail import DetailRow
from medsheets.ledger.reports.totals import Buckets, PartyTotals
from medsheets.workbook.report_book import Column

ON_ACCOUNT_LABEL = "On account"
COLUMN_LABELS = BUCKET_LABELS + (ON_ACCOUNT_LABEL,)
WORKLIST_EVENTS = frozenset({"rejected", "denied", "line_denied"})
EVENT_WORDS = {
    "accepted": "accepted", "rejected": "rejected", "paid": "paid", "partly_paid": "partly paid",
    "denied": "denied", "line_denied": "line denied", "reversed": "payment reversed",
    "forwarded": "forwarded to the next payer", "pended": "pended by the payer",
    "corrected": "corrected claim sent", "voided": "claim voided", "written_off": "written off",
    "billed_to_patient": "moved to the patient",
}

DETAIL_COLUMNS = (
    Column("Account", "text", 11), Column("Patient", "text", 24), Column("Encounter", "text", 14),
    Column("Line", "int", 6), Column("Date of service", "date", 12), Column("Code", "text", 11),
    Column("Payer", "text", 10), Column("Billed", "date", 12), Column("Charge", "money", 12),
    Column("Paid", "money", 12), Column("Adjusted", "money", 12), Column("Balance", "money", 12),
    Column("Payer owes", "money", 12), Column("Patient owes", "money", 12),
    Column("Owed by", "text", 18), Column("Age (days)", "int", 8), Column("Bucket", "text", 10),
    Column("Last action", "text", 30), Column("Last action on", "date", 12),
)
DETAIL_MONEY = (8, 13)  # first and last index of the money columns


class AgingMismatch(AssertionError):
    """The streamed lines and the database's totals disagree: a bug, never a report."""


def dollars(cents: int) -> Decimal:
    """Exact Decimal dollars from whole cents (one operation: this runs per cell)."""
    return Decimal(cents).scaleb(-2)


def patient_name(last: str | None, first: str | None) -> str:
    return ", ".join(part for part in (last, first) if part)


def last_action(row: DetailRow) -> tuple[str, dt.date | None]:
    """The most recent thing done about the line: billed, an answer, a statement, a placement."""
    done: list[tuple[dt.date, str]] = []
    if row.billed_at is not None:
        done.append((row.billed_at.date(), "billed"))
    elif row.claim_id is not None and row.payer_id is None:
        done.append((row.service_date, "self-pay visit"))
    if row.event is not None and row.event_date is not None:
        words = EVENT_WORDS.get(row.event, row.event.replace("_", " "))
        done.append((row.event_date, f"{words} {row.event_reasons}" if row.event_reasons else words))
    if row.statement_date is not None and row.patient_share:
        done.append((row.statement_date, f"statement {row.cycle or row.statement_count} sent"))
    if row.placed_on is not None and row.patient_share:
        done.append((row.placed_on, "placed with collections"))
    if not done:
        return ("not sent yet" if row.payer_id and row.claim_id else "", None)
    when, what = max(enumerate(done), key=lambda item: (item[1][0], item[0]))[1]
    return what, when


def owed_by(row: DetailRow) -> str:
    payer = row.payer_id if row.payer_share else None
    patient = "patient (collections)" if row.placed_on else "patient"
    if waits_for_secondary(row):
        patient = row.pending_payer or ""
    if payer and row.patient_share:
        return f"{payer} + {patient}"
    return payer or (patient if row.patient_share else "")


def waits_for_secondary(row: DetailRow) -> bool:
    """The patient's share of the row is what a further payer is expected to pay (not the
    patient's to pay yet), unless the account went to collections."""
    return bool(row.pending_payer and row.patient_share and not row.placed_on)


def bucket_index(scope: Scope, row: DetailRow) -> tuple[int, int | None]:
    """(bucket, age in days); a row on no claim has no age and goes On account."""
    if row.claim_id is None:
        return ON_ACCOUNT, None
    age = age_in_days(scope, row.service_date, row.billed_at)
    return bucket_of(age), age


def detail_values(row: DetailRow, bucket: int, age: int | None) -> tuple[Any, ...]:
    action, action_on = last_action(row)
    if row.claim_id is None:
        encounter, code = None, "(on account)"
    else:
        encounter = row.encounter_id
        code = row.procedure_code or "(claim)"
        if row.modifiers:
            code = f"{code}-{row.modifiers.replace(',', '-')}"
    return (
        row.patient_id, patient_name(row.last_name, row.first_name), encounter, row.line_number,
        row.service_date, code, row.payer_id or ("self-pay" if row.claim_id else None),
        row.billed_at.date() if row.billed_at else None, dollars(row.charge), dollars(row.paid),
        dollars(row.adjusted), dollars(row.balance), dollars(row.payer_share),
        dollars(row.patient_share), owed_by(row), age, COLUMN_LABELS[bucket], action, action_on,
    )


@dataclass
class DetailTally:
    """What the Detail rows add up to, and the per-payer facts the other sheets show."""

    payers: dict[str, list[int]] = field(default_factory=dict)
    patients: list[int] = field(default_factory=lambda: [0] * COLUMNS)
    placed: list[int] = field(default_factory=lambda: [0] * COLUMNS)
    money: list[int] = field(default_factory=lambda: [0] * 6)  # charge .. patient owes
    lines: int = 0
    payer_claims: dict[str, set[int]] = field(default_factory=dict)
    payer_lines: dict[str, int] = field(default_factory=dict)
    oldest: dict[str, dt.date] = field(default_factory=dict)
    unsent: dict[str, set[int]] = field(default_factory=dict)
    worklist: dict[str, set[int]] = field(default_factory=dict)

    def add(self, row: DetailRow, bucket: int) -> None:
        self.lines += 1
        for index, cents in enumerate((row.charge, row.paid, row.adjusted, row.balance,
                                       row.payer_share, row.patient_share)):
            self.money[index] += cents
        if row.charge - row.paid - row.adjusted != row.balance:
            raise AgingMismatch(f"line of claim {row.claim_id}: charge - paid - adjusted != balance")
        if waits_for_secondary(row):
            key = row.pending_payer or ""
            self.payers.setdefault(key, [0] * COLUMNS)[bucket] += row.patient_share
        elif row.patient_share:
            (self.placed if row.placed_on else self.patients)[bucket] += row.patient_share
        if row.payer_share and row.payer_id:
            self._add_payer(row, bucket)

    def _add_payer(self, row: DetailRow, bucket: int) -> None:
        payer = row.payer_id
        assert payer is not None
        self.payers.setdefault(payer, [0] * COLUMNS)[bucket] += row.payer_share
        self.payer_lines[payer] = self.payer_lines.get(payer, 0) + 1
        if row.claim_id is None:
            return
        self.payer_claims.setdefault(payer, set()).add(row.claim_id)
        if payer not in self.oldest or row.service_date < self.oldest[payer]:
            self.oldest[payer] = row.service_date
        if row.billed_at is None:
            self.unsent.setdefault(payer, set()).add(row.claim_id)
        if row.event in WORKLIST_EVENTS:
            self.worklist.setdefault(payer, set()).add(row.claim_id)

    def check(self, totals: PartyTotals) -> None:
        """Raise AgingMismatch unless every cell agrees with the database's totals."""
        mine = {payer: Buckets.of(cells) for payer, cells in self.payers.items() if any(cells)}
        if mine != dict(totals.payers):
            raise AgingMismatch("payer buckets of the Detail lines differ from the ledger's totals")
        if (Buckets.of(self.patients), Buckets.of(self.placed)) != (totals.patients, totals.placed):
            raise AgingMismatch("patient buckets of the Detail lines differ from the ledger's totals")
