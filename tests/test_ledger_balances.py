"""Property: whatever is posted, the balances summed from the journal add up.

For every claim, charges = payments + adjustments + write-offs + balance; the lines' balances
plus the claim-level entries make the claim's balance; and every patient's share plus every
payer's share is what the practice is owed in all. Each example posts random entries and
reversals inside a transaction that is then rolled back, so one ledger serves every example.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ledger_support import bill, encounter, line

from medsheets.ledger import JournalEntry, Kind, Ledger, Party, Transaction
from medsheets.money import from_cents

TODAY = dt.date(2026, 11, 27)


@dataclass(frozen=True)
class Claim:
    id: int
    patient_id: str
    payer_id: str | None
    line_ids: tuple[int, ...]


class _Rollback(Exception):
    """Raised to end an example's transaction without committing it."""


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, int, list[Claim]]:
    path: Path = tmp_path_factory.mktemp("ledger") / "medsheets.db"
    ledger = Ledger.open(f"sqlite:///{path}")
    visits = [
        ("P1", encounter("C1", line("C1", charge="100.00"), line("C1", charge="40.00"))),
        ("P2", encounter("C2", line("C2", charge="250.00", payer_id="AETNA", patient_id="P2",
                                    copay="20.00"))),
        ("P1", encounter("C3", line("C3", charge="60.00", payer_id=None))),
    ]
    claims = []
    run_id = 0
    for patient_id, enc in visits:
        run_id, claim_id = bill(ledger, enc, patient_id)
        with ledger.reading() as tx:
            line_ids = tuple(row.id for row in tx.claim_lines(claim_id))
        claims.append(Claim(claim_id, patient_id, enc.first.payer_id, line_ids))
    return ledger, run_id, claims


operation = st.tuples(
    st.integers(0, 3),  # which claim; 3 = the patient's account, no claim
    st.integers(-1, 1),  # which line; -1 = the claim as a whole
    st.sampled_from(list(Kind)),
    st.sampled_from(list(Party)),
    st.integers(-50_000, 50_000),  # cents
    st.one_of(st.none(), st.integers(0, 40)),  # reverse the n-th posted entry instead
)


def _entry(run_id: int, claims: list[Claim], op: tuple[int, int, Kind, Party, int, object]) -> JournalEntry:
    """Turn a random operation into an entry the posting rules accept."""
    which, line_index, kind, party, cents, _ = op
    claim = claims[which] if which < len(claims) else None
    if claim is None or claim.payer_id is None:
        party = Party.PATIENT
        kind = Kind.PAYMENT if kind is Kind.TRANSFER else kind
    if kind is Kind.TRANSFER:
        party = Party.PATIENT
    line_id = claim.line_ids[line_index] if claim and 0 <= line_index < len(claim.line_ids) else None
    payer = claim.payer_id if claim and (party is Party.PAYER or kind is Kind.TRANSFER) else None
    return JournalEntry(
        run_id, kind, party, from_cents(cents), patient_id=None if claim else "P2",
        claim_id=claim.id if claim else None, claim_line_id=line_id, payer_id=payer,
        effective_date=TODAY,
    )


def _expected(claims: list[Claim], posted: list[JournalEntry]) -> tuple[dict, dict, dict]:
    """The oracle: balances worked out in Python from what the test posted.

    Returns (owed per claim id or None for accounts, patient shares, payer shares), by the
    rules in ledger/records.py.
    """
    owner = {claim.id: claim.patient_id for claim in claims}
    owed: dict[int | None, Decimal] = defaultdict(Decimal)
    patients: dict[str, Decimal] = defaultdict(Decimal)
    payers: dict[str, Decimal] = defaultdict(Decimal)
    for entry in posted:
        sign = 1 if entry.kind in (Kind.CHARGE, Kind.TRANSFER) else -1
        patient = owner[entry.claim_id] if entry.claim_id is not None else entry.patient_id
        assert patient is not None
        if entry.kind is not Kind.TRANSFER:
            owed[entry.claim_id] += sign * entry.amount
        if entry.party is Party.PATIENT:
            patients[patient] += sign * entry.amount
        if entry.party is Party.PAYER or entry.kind is Kind.TRANSFER:
            assert entry.payer_id is not None
            payers[entry.payer_id] += entry.amount * (-1 if entry.kind is Kind.TRANSFER else sign)
    return owed, patients, payers


def _check(tx: Transaction, claims: list[Claim], posted: list[JournalEntry]) -> None:
    """The ledger's SQL sums agree with the oracle and with the entries it reads back."""
    owed, patients, payers = _expected(claims, posted)
    for claim in claims:
        by_kind: dict[Kind, Decimal] = defaultdict(Decimal)
        claim_level = Decimal(0)
        for entry in (p.entry for p in tx.entries(claim.id)):
            by_kind[entry.kind] += entry.amount
            if entry.claim_line_id is None and entry.kind is not Kind.TRANSFER:
                claim_level += entry.amount * (1 if entry.kind is Kind.CHARGE else -1)
        balance = tx.claim_balance(claim.id)
        assert balance == owed[claim.id]
        paid_off = by_kind[Kind.PAYMENT] + by_kind[Kind.ADJUSTMENT] + by_kind[Kind.WRITEOFF]
        assert by_kind[Kind.CHARGE] == paid_off + balance
        assert sum(tx.line_balances(claim.id).values(), claim_level) == balance
        assert sum(tx.claim_shares(claim.id).values(), Decimal(0)) == balance
    assert tx.total_balance() == sum(owed.values(), Decimal(0))
    assert tx.patient_balances() == {k: v for k, v in patients.items() if v}
    assert tx.payer_balances() == {k: v for k, v in payers.items() if v}
    shares = [*tx.patient_balances().values(), *tx.payer_balances().values()]
    assert sum(shares, Decimal(0)) == tx.total_balance()


@settings(max_examples=60, deadline=None)
@given(operations=st.lists(operation, max_size=25))
def test_balances_always_add_up(setup: tuple[Ledger, int, list[Claim]], operations: list) -> None:
    ledger, run_id, claims = setup
    with ledger.reading() as tx:  # the visits' charges and copay, as billed
        posted = [p.entry for claim in claims for p in tx.entries(claim.id)]
    reversible: dict[int, JournalEntry] = {}
    with pytest.raises(_Rollback), ledger.transaction() as tx:
        for op in operations:
            target = op[-1]
            if target is not None and reversible:
                entry_id = list(reversible)[target % len(reversible)]
                tx.reverse(entry_id, run_id, TODAY)
                original = reversible.pop(entry_id)  # popped: never reversed twice
                posted.append(replace(original, amount=-original.amount))
            else:
                entry = _entry(run_id, claims, op)
                (entry_id,) = tx.post([entry])
                reversible[entry_id] = entry
                posted.append(entry)
        _check(tx, claims, posted)
        raise _Rollback
