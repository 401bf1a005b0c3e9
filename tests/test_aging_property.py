"""Property: on any ledger, the aging's SQL buckets equal an independent Python aging of the
journal, the streamed Detail lines add up to them, and with nothing dated after the as-of day
they equal the ledger's own balances.

Each example bills random claims (random dates of service, billed dates, payers or self-pay)
and posts random payments, adjustments, write-offs, transfers, reversals and unapplied
payments with random effective dates, inside a transaction rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ledger_support import ALICE, encounter, line

from medsheets.aging.layout import DetailTally, bucket_index
from medsheets.ledger import JournalEntry, Kind, Ledger, Party, Transaction
from medsheets.ledger.balances import PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.reports.buckets import ON_ACCOUNT, AgeBasis, Scope, bucket_of
from medsheets.ledger.reports.detail import detail_rows
from medsheets.ledger.reports.totals import party_totals, patient_rows
from medsheets.ledger.schema import claim_lines, claims, journal
from medsheets.money import from_cents

AS_OF = dt.date(2026, 6, 30)
PATIENTS = ("P1", "P2", "P3")


class _Rollback(Exception):
    """Ends an example's transaction without committing it."""


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    path: Path = tmp_path_factory.mktemp("aging-property") / "medsheets.db"
    ledger = Ledger.open(f"sqlite:///{path}")
    with ledger.transaction() as tx:
        for patient in PATIENTS:
            tx.upsert_patient(patient, ALICE, None, None)
    return ledger


claim_specs = st.lists(st.tuples(
    st.integers(-5, 400),  # date of service: days before the as-of day (negative: after it)
    st.one_of(st.none(), st.integers(0, 60)),  # sent this many days after the visit, or never
    st.sampled_from([None, "BSTAR", "MCRB1"]),
    st.sampled_from(PATIENTS),
    st.lists(st.integers(1, 90_000), min_size=1, max_size=3),  # line charges in cents
), min_size=1, max_size=5)
operations = st.lists(st.tuples(
    st.integers(0, 5),  # which claim (past the end: the patient's account)
    st.integers(-1, 2),  # which line (-1: the claim as a whole)
    st.sampled_from([Kind.PAYMENT, Kind.ADJUSTMENT, Kind.WRITEOFF, Kind.TRANSFER]),
    st.sampled_from(list(Party)),
    st.integers(-40_000, 40_000),
    st.integers(-30, 400),  # effective: days before the as-of day (negative: after it)
    st.booleans(),  # then reverse it
), max_size=14)


def _bill(tx: Transaction, run_id: int, number: int, spec: tuple) -> tuple[int, str | None, list[int]]:
    before, sent_after, payer, patient, charges = spec
    day = AS_OF - dt.timedelta(days=before)
    lines = [replace(line(f"H{number}", charge=str(from_cents(c)), payer_id=payer, patient_id=patient),
                     date_of_service=day) for c in charges]
    claim_id = tx.add_claim(encounter(f"H{number}", *lines), fingerprint="f" * 64, run_id=run_id,
                            batch_id=None, line_control_numbers=[f"H{number}-{n}" for n in range(len(lines))],
                            source_file="day.xlsx")
    if payer and sent_after is not None:
        sent = dt.datetime.combine(day + dt.timedelta(days=sent_after), dt.time(10, 30))
        tx.conn.execute(claims.update().where(claims.c.id == claim_id).values(first_billed_at=sent))
    return claim_id, payer, [row.id for row in tx.claim_lines(claim_id)]


def _post(tx: Transaction, run_id: int, billed: list, op: tuple) -> None:
    which, line_index, kind, party, cents, before, reverse = op
    claim = billed[which] if which < len(billed) else None
    if claim is None or claim[1] is None:
        party, kind = Party.PATIENT, (Kind.PAYMENT if kind is Kind.TRANSFER else kind)
    if kind is Kind.TRANSFER:
        party = Party.PATIENT
    payer = claim[1] if claim and (party is Party.PAYER or kind is Kind.TRANSFER) else None
    line_id = claim[2][line_index] if claim and 0 <= line_index < len(claim[2]) else None
    entry = JournalEntry(run_id, kind, party, from_cents(cents), patient_id=None if claim else "P2",
                         claim_id=claim[0] if claim else None, claim_line_id=line_id,
                         payer_id=payer, effective_date=AS_OF - dt.timedelta(days=before))
    posted = tx.post([entry])[0]
    if reverse:
        tx.reverse(posted, run_id, AS_OF - dt.timedelta(days=before))


def _python_aging(tx: Transaction, scope: Scope) -> tuple[dict[str, list[int]], list[int]]:
    """Each journal row aged in Python: (payer -> cells, patients' cells)."""
    query = (
        sa.select(journal.c.claim_id, journal.c.payer_id, journal.c.effective_date,
                  claim_lines.c.date_of_service, claims.c.date_of_service.label("claim_day"),
                  claims.c.first_billed_at, PAYER_SHARE, PATIENT_SHARE)
        .select_from(journal.outerjoin(claim_lines, claim_lines.c.id == journal.c.claim_line_id)
                     .outerjoin(claims, claims.c.id == journal.c.claim_id))
    )
    payers: dict[str, list[int]] = {}
    patients = [0] * (ON_ACCOUNT + 1)
    for claim_id, payer, effective, line_day, claim_day, billed, payer_share, patient_share in tx.conn.execute(query):
        if effective > scope.as_of:
            continue
        if claim_id is None:
            bucket = ON_ACCOUNT
        else:
            start = billed.date() if scope.basis is AgeBasis.BILLED and billed else (line_day or claim_day)
            bucket = bucket_of((scope.as_of - start).days)
        if payer_share:
            payers.setdefault(payer, [0] * (ON_ACCOUNT + 1))[bucket] += payer_share
        patients[bucket] += patient_share
    return {p: c for p, c in payers.items() if any(c)}, patients


@settings(max_examples=40, deadline=None)
@given(specs=claim_specs, ops=operations, basis=st.sampled_from(list(AgeBasis)))
def test_sql_buckets_equal_a_python_aging_and_the_ledger(ledger: Ledger, specs: list, ops: list,
                                                        basis: AgeBasis) -> None:
    scope = Scope(AS_OF, basis)
    try:
        with ledger.transaction() as tx:
            run_id = tx.start_run("claims", [])
            billed = [_bill(tx, run_id, n, spec) for n, spec in enumerate(specs)]
            for op in ops:
                _post(tx, run_id, billed, op)
            totals = party_totals(tx, scope)
            payers, patients = _python_aging(tx, scope)
            assert {p: list(b.cents) for p, b in totals.payers.items()} == payers
            assert list((totals.patients + totals.placed).cents) == patients
            tally = DetailTally()
            for row in detail_rows(tx, scope):
                tally.add(row, bucket_index(scope, row)[0])
            tally.check(totals)  # raises AgingMismatch on any difference
            by_patient = sum(account.owed.total for account in patient_rows(tx, scope))
            assert by_patient == sum(patients)
            everything = party_totals(tx, Scope(dt.date(2100, 1, 1), basis))
            assert {p: from_cents(b.total) for p, b in everything.payers.items()} == tx.payer_balances()
            assert from_cents(everything.grand.total) == tx.total_balance()
            raise _Rollback
    except _Rollback:
        pass
