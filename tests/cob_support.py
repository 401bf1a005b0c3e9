"""Builders for the secondary-insurance tests (no tests here): a day's workbook with secondary
columns, billing it, the payers' 835s, and balances read from the ledger.

Amounts are chosen so each scenario can be followed by hand: a 99213 at 135.00 and a 36415 at
12.00 (the example fee schedule), Medicare allowing 65% and paying 80% of that.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from clock import NOW
from payments_support import payments_workbook
from remit_support import Clp, Svc, era, post_text
from workbook_factory import ENCOUNTER_HEADER, row, write_encounters
from x12_judge import check_837_rules, validate_with_pyx12

from medsheets.claims import BillingResult, bill_workbooks
from medsheets.ledger import Ledger
from medsheets.ledger.schema import journal
from medsheets.payments import post_payment_workbooks
from medsheets.practice import open_practice

LATER = dt.datetime(2026, 12, 3, 9, 0)
DAY = dt.date(2026, 11, 20)
SECONDARY_HEADER = (*ENCOUNTER_HEADER, "group_number", "secondary_payer_id", "secondary_member_id",
                    "secondary_group_number", "secondary_subscriber_relationship",
                    "secondary_subscriber_last_name", "secondary_subscriber_first_name",
                    "secondary_subscriber_dob", "secondary_subscriber_sex")

DUAL = {"patient_id": "900100", "patient_last_name": "Kowalski", "patient_first_name": "Dorothy",
        "patient_dob": dt.date(1945, 2, 3), "patient_state": "IL", "patient_zip": "62629",
        "patient_city": "Chatham", "payer_id": "MCRB1", "member_id": "5VX3GE8QM27",
        "secondary_payer_id": "ILMCD", "secondary_member_id": "119052278",
        "date_of_service": DAY, "dx1": "E11.9"}


def visit(encounter_id: str, **values: Any) -> list[dict[str, Any]]:
    """The two lines of one visit: a 99213 and a blood draw."""
    first = row(encounter_id=encounter_id, procedure_code="99213", charge=135.0, **values)
    return [first, {**first, "procedure_code": "36415", "charge": 12.0}]


def write_day(folder: Path, rows: list[dict[str, Any]], name: str = "2026-11-20.xlsx") -> Path:
    return write_encounters(folder / "encounters" / name, rows, header=SECONDARY_HEADER)


def bill(practice_dir: Path, paths: list[Path], now: dt.datetime = NOW) -> BillingResult:
    """`medsheets claims` on `paths` (none: only secondaries); every 837 judged."""
    result = bill_workbooks(open_practice(practice_dir), paths, now=now)
    if result.batch_file is not None:
        assert validate_with_pyx12(result.batch_file) == []
        assert check_837_rules(result.batch_file.read_text()) == []
    return result


def segments(path: Path) -> list[str]:
    return [s.strip() for s in path.read_text().split("~") if s.strip()]


def transaction_to(path: Path, payer_id: str) -> list[str]:
    """The segments of the transaction addressed to `payer_id`: its first NM1*PR (2010BB)."""
    found: list[list[str]] = []
    for seg in segments(path):
        if seg.startswith("ST*"):
            found.append([])
        if found:
            found[-1].append(seg)
    for transaction in found:
        payer = next(s for s in transaction if s.startswith("NM1*PR*"))
        if payer.endswith(f"*PI*{payer_id}"):
            return transaction
    raise AssertionError(f"no transaction to {payer_id}")


def medicare_835(eid: str, *, trace: str = "MCR1", status: str = "1", icn: str = "MCRICN1",
                 forwarded_to: str = "") -> str:
    """Medicare: allows 65% (CO-45 the rest), pays 80% of it, 20% coinsurance (PR-2)."""
    return era([Clp(eid, status, "147", "76.44", icn=icn, forwarded_to=forwarded_to, svcs=(
        Svc("99213", "135", "70.2", (("CO", "45", "47.25"), ("PR", "2", "17.55")), f"{eid}-1"),
        Svc("36415", "12", "6.24", (("CO", "45", "4.2"), ("PR", "2", "1.56")), f"{eid}-2"),
    ))], trace=trace, payer_key="1MCRB1")


def medicaid_835(eid: str, *, trace: str = "MCD1", icn: str = "MCDICN1") -> str:
    """Medicaid as secondary: pays the coinsurance but 2.00, writes that off (CO-45), OA-23
    for what Medicare did."""
    return era([Clp(eid, "2", "147", "17.11", icn=icn, svcs=(
        Svc("99213", "135", "15.55", (("OA", "23", "117.45"), ("CO", "45", "2")), f"{eid}-1"),
        Svc("36415", "12", "1.56", (("OA", "23", "10.44"),), f"{eid}-2"),
    ))], trace=trace, payer_key="1ILMCD")


def post(practice_dir: Path, text: str, name: str) -> None:
    """Post an 835 as `medsheets remit` would; it must post cleanly."""
    result = post_text(practice_dir, text, name)
    assert not result.has_errors, [str(p) for p in result.problems]


def by_payer(practice_dir: Path, claim_id: int | None = None) -> dict[tuple[str, str | None], Decimal]:
    """Raw journal sums by (kind, payer_id), optionally for one claim."""
    query = sa.select(journal.c.kind, journal.c.payer_id, sa.func.sum(journal.c.amount_cents)) \
        .group_by(journal.c.kind, journal.c.payer_id)
    if claim_id is not None:
        query = query.where(journal.c.claim_id == claim_id)
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        return {(kind, payer): Decimal(int(cents)) / 100 for kind, payer, cents in tx.conn.execute(query)}


def patient_owes(practice_dir: Path, patient_id: str) -> Decimal:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        return tx.patient_balances().get(patient_id, Decimal("0.00"))


def payer_owes(practice_dir: Path) -> dict[str, Decimal]:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        return tx.payer_balances()


def reversal_of(text: str, pcn: str, icn: str, trace: str, payer_key: str) -> str:
    """An 835 reversing (CLP02 22) the claim payment `pcn` of `text`: every amount negated."""
    from medsheets.remit.files import read_remit_bytes

    [read] = read_remit_bytes(text.encode(), "x.835").transactions
    claim = next(c for c in read.remittance.claims if c.patient_control_number == pcn)

    def neg(value: Decimal) -> str:
        return str(-value)

    svcs = tuple(Svc(s.code, neg(s.charge), neg(s.paid),
                     tuple((a.group, a.reason, neg(a.amount)) for a in s.adjustments),
                     s.control_number) for s in claim.services)
    return era([Clp(pcn, "22", neg(claim.charge), neg(claim.paid), icn=icn, svcs=svcs)],
               trace=trace, payer_key=payer_key)


def paper_eob(practice_dir: Path, eid: str, lines: list[tuple[int, str, tuple[tuple[str, str, str], ...]]],
              reference: str, payer_id: str = "MCRB1") -> None:
    """Post a paper EOB from the payments workbook: per line (number, paid, adjustments)."""
    rows = []
    for number, paid, adjustments in lines:
        values: dict[str, object] = {"reference": reference, "date": dt.date(2026, 12, 1),
                                     "payer_id": payer_id, "encounter_id": eid, "line": number,
                                     "paid": Decimal(paid)}
        for n, (group, reason, amount) in enumerate(adjustments, start=1):
            values.update({f"group{n}": group, f"reason{n}": reason, f"adjustment{n}": Decimal(amount)})
        rows.append(values)
    book = payments_workbook(practice_dir / f"{reference}.xlsx", eob=rows)
    result = post_payment_workbooks(open_practice(practice_dir), [book], as_of=dt.date(2026, 12, 2))
    assert not result.has_errors, [str(p) for p in result.problems]
