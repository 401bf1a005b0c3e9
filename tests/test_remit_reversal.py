"""Reversals and their corrections (CLP02 22), and claims forwarded to a second payer (19)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from remit_support import (
    Clp,
    Svc,
    assert_journal_balances,
    bill,
    db_url,
    era,
    journal_rows,
    post_text,
    rows,
)

from medsheets.ledger.schema import claim_events, claims, journal, journal_sources, remit_claims

D = Decimal
FIRST = (Svc("99213", "135", "90", (("CO", "45", "25"), ("PR", "2", "20"))),
         Svc("36415", "12", "10", (("CO", "45", "2"),)))
REVERSAL = (Svc("99213", "-135", "-90", (("CO", "45", "-25"), ("PR", "2", "-20"))),
            Svc("36415", "-12", "-10", (("CO", "45", "-2"),)))
CORRECTED = (Svc("99213", "135", "100", (("CO", "45", "25"), ("PR", "2", "10"))),
             Svc("36415", "12", "10", (("CO", "45", "2"),)))


def test_a_reversal_undoes_the_earlier_posting_and_the_correction_posts(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E20", ("99213", "135.00"), ("36415", "12.00"))
    url = db_url(practice_dir)
    post_text(practice_dir, era([Clp("E20", "1", "147", "100", icn="X1", svcs=FIRST)], trace="A"))
    first_entries = [r.id for r in journal_rows(url, claim_id) if r.reference == "A"]
    result = post_text(practice_dir, era([
        Clp("E20", "22", "-147", "-100", icn="X1", svcs=REVERSAL),
        Clp("E20", "1", "147", "110", icn="X2", svcs=CORRECTED)], trace="B"), name="b.835")
    assert not result.has_errors
    reversals = {r.reverses_id: r for r in journal_rows(url, claim_id) if r.reverses_id}
    assert sorted(reversals) == sorted(first_entries)
    reversal_row = next(r for r in rows(url, remit_claims, claim_id=claim_id) if r.status_code == "22")
    linked = {s.journal_id for s in rows(url, journal_sources, remit_claim_id=reversal_row.id)}
    assert linked == {r.id for r in reversals.values()}
    sums = assert_journal_balances(url, claim_id)
    assert (sums["payment"], sums["payer"], sums["patient"]) == (D("110.00"), 0, D("10.00"))
    assert [e.event for e in rows(url, claim_events, claim_id=claim_id)] == ["paid", "reversed", "paid"]
    claim = rows(url, claims, id=claim_id)[0]
    assert (claim.status, claim.payer_claim_number) == ("paid", "X2")
    outcome = result.outcomes[0].claims[0]
    assert outcome.action == "reversed" and outcome.note == "reversed 5 earlier entries"
    assert {a.posted_as for a in outcome.adjustments} == {"reversed with the earlier posting"}


def test_a_second_reversal_reverses_only_what_still_stands(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E21", ("99213", "135.00"), ("36415", "12.00"))
    url = db_url(practice_dir)
    post_text(practice_dir, era([Clp("E21", "1", "147", "100", icn="X1", svcs=FIRST)], trace="A"))
    reverse = era([Clp("E21", "22", "-147", "-100", icn="X1", svcs=REVERSAL)], trace="B")
    post_text(practice_dir, reverse, name="b.835")
    again = post_text(practice_dir, reverse.replace("TRN*1*B*", "TRN*1*C*"), name="c.835")
    assert again.outcomes[0].claims[0].note == "reversed 0 earlier entries"
    sums = assert_journal_balances(url, claim_id)
    assert (sums["payment"], sums["payer"]) == (0, D("147.00"))
    assert rows(url, claims, id=claim_id)[0].status == "accepted"


def test_a_reversal_of_nothing_posted_posts_its_amounts_with_a_warning(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E22", ("99213", "135.00"), ("36415", "12.00"))
    result = post_text(practice_dir, era([Clp("E22", "22", "-147", "-100", icn="X9", svcs=REVERSAL)]))
    assert [p.code for p in result.problems] == ["MS-REMIT-REVERSAL-UNKNOWN"]
    sums = assert_journal_balances(db_url(practice_dir), claim_id)
    assert sums["payment"] == D("-100.00") and sums["adjustment"] == D("-27.00")


def test_a_forwarded_claim_then_the_secondary_pays_the_patients_share(practice_dir: Path) -> None:
    claim_id, line_ids = bill(practice_dir, "E30", ("99214", "195.00"))
    url = db_url(practice_dir)
    primary = era([Clp("E30", "19", "195", "101.40", icn="M1", forwarded_to="PRAIRIE STATE MEDICAID",
                       svcs=(Svc("99214", "195", "101.40", (("CO", "45", "68.25"), ("PR", "2", "25.35"))),))],
                  trace="P1", payer_key="1310000001")
    post_text(practice_dir, primary)
    events = rows(url, claim_events, claim_id=claim_id)
    assert [e.event for e in events] == ["paid", "forwarded"]
    detail = events[1].detail if isinstance(events[1].detail, dict) else json.loads(events[1].detail)
    assert detail["forwarded_to"] == "PRAIRIE STATE MEDICAID"
    assert assert_journal_balances(url, claim_id)["patient"] == D("25.35")
    secondary = era([Clp("E30", "2", "195", "20.35", icn="S1", svcs=(
        Svc("99214", "195", "20.35", (("OA", "23", "169.65"), ("PR", "1", "5"))),))],
        trace="S1", payer_key="1370000002")
    result = post_text(practice_dir, secondary, name="secondary.835")
    assert not result.has_errors
    sums = assert_journal_balances(url, claim_id)
    assert (sums["payment"], sums["payer"], sums["patient"]) == (D("121.75"), 0, D("5.00"))
    secondary_rows = [r for r in journal_rows(url, claim_id) if r.reference == "S1"]
    assert sorted((r.kind, r.amount_cents) for r in secondary_rows) == [("payment", 2035), ("transfer", -2035)]
    assert {r.claim_line_id for r in secondary_rows} == {line_ids[0]}
    words = {f"{a.group}-{a.reason}": a.posted_as
             for a in result.outcomes[0].claims[0].adjustments}
    assert words == {"OA-23": "recorded only: the earlier payer's part, posted from its remittance",
                     "PR-1": "recorded only: already the patient's after the primary payer"}
    assert len(rows(url, journal)) == len(journal_rows(url, claim_id))
