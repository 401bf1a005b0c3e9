"""Posting synthesized 835s: payments, adjustments by group, denials, matching, duplicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
from remit_support import (
    Clp,
    Plb,
    Svc,
    assert_journal_balances,
    bill,
    db_url,
    era,
    journal_rows,
    post_text,
    rows,
)

from medsheets.ledger.schema import (
    claim_events,
    claims,
    journal,
    journal_sources,
    provider_adjustments,
    remit_claims,
    remittances,
)
from medsheets.remit.results import ALREADY_POSTED, POSTED, REFUSED

D = Decimal


def test_a_paid_claim_posts_payment_write_off_and_patient_share(practice_dir: Path) -> None:
    claim_id, lines = bill(practice_dir, "E1", ("99213", "135.00"), ("36415", "12.00"), copay="30.00")
    text = era([Clp("E1", "1", "147", "88.2", icn="PAY77", svcs=(
        Svc("99213", "135", "78", (("CO", "45", "27"), ("PR", "3", "30")), control="E1-1"),
        Svc("36415", "12", "10.2", (("CO", "45", "1.2"), ("PR", "2", "0.6")), control="E1-2"),
    ))])
    result = post_text(practice_dir, text)
    assert [o.status for o in result.outcomes] == [POSTED] and not result.has_errors
    url = db_url(practice_dir)
    sums = assert_journal_balances(url, claim_id)
    assert (sums["payment"], sums["adjustment"], sums["transfer"]) == (D("118.20"), D("28.20"), D("30.60"))
    assert sums["payer"] == 0 and sums["patient"] == D("0.60")  # copay paid at the desk
    posted = [r for r in journal_rows(url, claim_id) if r.reference == "TRACE1"]
    assert {(r.claim_line_id, r.kind, r.group_code, r.reason_code, r.amount_cents) for r in posted} == {
        (lines[0], "payment", None, None, 7800), (lines[0], "adjustment", "CO", "45", 2700),
        (lines[0], "transfer", "PR", "3", 3000), (lines[1], "payment", None, None, 1020),
        (lines[1], "adjustment", "CO", "45", 120), (lines[1], "transfer", "PR", "2", 60)}
    assert all(r.effective_date == dt.date(2026, 12, 1) and r.payer_id == "BSTAR" for r in posted)
    remit_claim = rows(url, remit_claims, claim_id=claim_id)[0]
    linked = rows(url, journal_sources, remit_claim_id=remit_claim.id)
    assert sorted(s.journal_id for s in linked) == sorted(r.id for r in posted)
    claim = rows(url, claims, id=claim_id)[0]
    assert (claim.status, claim.payer_claim_number) == ("paid", "PAY77")
    events = rows(url, claim_events, claim_id=claim_id)
    assert [(e.event, e.reason_codes, e.source) for e in events] == [("paid", "CO-45 PR-3 PR-2", "835")]


def test_claim_level_adjustments_reduce_the_payment_and_stay_on_lines(practice_dir: Path) -> None:
    claim_id, lines = bill(practice_dir, "E2", ("99211", "800.00"))
    text = era([Clp("E2", "1", "800", "450", cas=(("CO", "A2", "50"),), svcs=(
        Svc("99211", "800", "500", (("PR", "1", "300"),)),))])
    post_text(practice_dir, text)
    sums = assert_journal_balances(db_url(practice_dir), claim_id)
    assert sums["payment"] == D("450.00") and sums["adjustment"] == D("50.00")
    assert (sums["payer"], sums["patient"]) == (0, D("300.00"))
    assert {r.claim_line_id for r in journal_rows(db_url(practice_dir), claim_id)} == {lines[0]}


def test_a_claim_without_service_lines_is_spread_over_our_lines_in_order(practice_dir: Path) -> None:
    claim_id, lines = bill(practice_dir, "E3", ("99213", "100.00"), ("36415", "50.00"), ("81002", "50.00"))
    post_text(practice_dir, era([Clp("E3", "1", "200", "120", cas=(("CO", "45", "80"),))]))
    url = db_url(practice_dir)
    assert_journal_balances(url, claim_id)
    by_line: dict[int, D] = {}
    for row in journal_rows(url, claim_id):
        sign = 1 if row.kind == "charge" else -1
        by_line[row.claim_line_id] = by_line.get(row.claim_line_id, D(0)) + sign * row.amount_cents
    assert [by_line[line] for line in lines] == [0, 0, 0]
    payments = [(r.claim_line_id, r.amount_cents) for r in journal_rows(url, claim_id) if r.kind == "payment"]
    assert payments == [(lines[0], 10000), (lines[1], 2000)]


def test_a_denied_claim_posts_no_adjustment_and_stays_open(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E4", ("99213", "135.00"))
    text = era([Clp("E4", "4", "135", "0", svcs=(
        Svc("99213", "135", "0", (("CO", "16", "135"),), remarks=("N290",)),))])
    result = post_text(practice_dir, text)
    url = db_url(practice_dir)
    assert [r.kind for r in journal_rows(url, claim_id)] == ["charge"]
    assert assert_journal_balances(url, claim_id)["payer"] == D("135.00")
    assert [(e.event, e.reason_codes) for e in rows(url, claim_events, claim_id=claim_id)] == [
        ("denied", "CO-16 N290")]
    assert rows(url, claims, id=claim_id)[0].status == "denied"
    adjustment = result.outcomes[0].claims[0].adjustments[0]
    assert adjustment.posted_as.startswith("not posted: the claim is denied")
    assert "N290: The rendering provider" in adjustment.remarks


def test_a_partly_denied_claim_lists_the_denied_line_last(practice_dir: Path) -> None:
    claim_id, lines = bill(practice_dir, "E5", ("99213", "135.00"), ("J3301", "24.00"))
    text = era([Clp("E5", "1", "159", "100", svcs=(
        Svc("99213", "135", "100", (("CO", "45", "35"),)),
        Svc("J3301", "24", "0", (("CO", "197", "24"),)),))])
    post_text(practice_dir, text)
    url = db_url(practice_dir)
    events = rows(url, claim_events, claim_id=claim_id)
    assert [(e.event, e.claim_line_id, e.reason_codes) for e in events] == [
        ("partly_paid", None, "CO-45 CO-197"), ("line_denied", lines[1], "CO-197")]
    assert assert_journal_balances(url, claim_id)["payer"] == 0


def test_negative_adjustments_post_as_negative_entries(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E6", ("55669", "541.00"))
    post_text(practice_dir, era([Clp("E6", "1", "541", "34", svcs=(
        Svc("55669", "541", "34", (("OA", "23", "516"), ("OA", "94", "-9"))),))]))
    amounts = sorted(r.amount_cents for r in journal_rows(db_url(practice_dir), claim_id)
                     if r.kind == "adjustment")
    assert amounts == [-900, 51600]
    assert assert_journal_balances(db_url(practice_dir), claim_id)["payer"] == 0


def test_lines_match_by_control_number_then_code_date_and_modifiers(practice_dir: Path) -> None:
    claim_id, lines = bill(practice_dir, "E7", ("99213", "100.00"), ("99213", "100.00"),
                           ("96372", "40.00"), modifiers=((), ("25",), ()))
    text = era([Clp("E7", "1", "240", "240", svcs=(
        Svc("96372", "40", "40", control="E7-3"),
        Svc("99213", "100", "100", modifiers=("25",)),
        Svc("99212", "100", "100", original="99213"),  # paid under another code
    ))])
    result = post_text(practice_dir, text)
    paid_lines = [r.claim_line_id for r in journal_rows(db_url(practice_dir), claim_id)
                  if r.kind == "payment"]
    assert paid_lines == [lines[2], lines[1], lines[0]]
    assert [row.line_number for row in result.outcomes[0].claims[0].lines] == [3, 2, 1]


def test_an_unmatched_line_is_listed_and_its_money_kept_on_the_claim(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E8", ("99213", "100.00"))
    text = era([Clp("E8", "1", "130", "110", svcs=(
        Svc("99213", "100", "90", (("CO", "45", "10"),)),
        Svc("87880", "30", "20", (("CO", "45", "10"),)),))])
    result = post_text(practice_dir, text)
    outcome = result.outcomes[0].claims[0]
    assert [s.code for s in outcome.unmatched_lines] == ["87880"]
    codes = [p.code for p in result.problems]
    assert "MS-REMIT-UNMATCHED-LINE" in codes and "MS-REMIT-CHARGE" in codes and not result.has_errors
    assert assert_journal_balances(db_url(practice_dir), claim_id)["payment"] == D("110.00")


def test_an_unknown_claim_is_recorded_unmatched_and_the_rest_posts(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E9", ("99213", "100.00"))
    text = era([Clp("NOPE-1", "1", "50", "40", cas=(("CO", "45", "10"),)),
                Clp("E9", "1", "100", "100")])
    result = post_text(practice_dir, text)
    url = db_url(practice_dir)
    unmatched = [r for r in rows(url, remit_claims) if r.claim_id is None]
    assert [(r.patient_control_number, r.paid_cents) for r in unmatched] == [("NOPE-1", 4000)]
    assert [c.action for c in result.outcomes[0].claims] == ["unmatched", "paid"]
    assert assert_journal_balances(url, claim_id)["payer"] == 0
    # a claim never billed is an error (exit 1), though the rest of the remittance posts
    assert [p.code for p in result.problems if p.is_error] == ["MS-REMIT-UNMATCHED-CLAIM"]


def test_plb_interest_and_recoupment_are_recorded_not_spread(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E10", ("99213", "100.00"))
    text = era([Clp("E10", "1", "100", "80", cas=(("CO", "45", "20"),))],
               plbs=[Plb("L6", "-3.15"), Plb("WO", "25.00", "OLDICN9")])
    result = post_text(practice_dir, text)
    url = db_url(practice_dir)
    assert result.outcomes[0].remittance.payment == D("58.15")  # type: ignore[union-attr]
    assert [(p.reason_code, p.reference, p.amount_cents) for p in rows(url, provider_adjustments)] == [
        ("L6", None, -315), ("WO", "OLDICN9", 2500)]
    assert assert_journal_balances(url, claim_id)["payment"] == D("80.00")
    assert rows(url, remittances)[0].payment_cents == 5815


def test_the_same_835_twice_changes_nothing(practice_dir: Path) -> None:
    bill(practice_dir, "E11", ("99213", "100.00"))
    text = era([Clp("E11", "1", "100", "80", cas=(("CO", "45", "20"),))])
    post_text(practice_dir, text)
    url = db_url(practice_dir)
    before = (len(rows(url, journal)), len(rows(url, claim_events)), len(rows(url, remit_claims)))
    again = post_text(practice_dir, text, name="copy.835")
    assert [o.status for o in again.outcomes] == [ALREADY_POSTED] and again.report_file is None
    assert (len(rows(url, journal)), len(rows(url, claim_events)), len(rows(url, remit_claims))) == before


def test_the_same_trace_with_other_content_is_refused(practice_dir: Path) -> None:
    bill(practice_dir, "E12", ("99213", "100.00"))
    post_text(practice_dir, era([Clp("E12", "1", "100", "80", cas=(("CO", "45", "20"),))]))
    url = db_url(practice_dir)
    before = len(rows(url, journal))
    other = post_text(practice_dir, era([Clp("E12", "1", "100", "90", cas=(("CO", "45", "10"),))]),
                      name="other.835")
    assert [o.status for o in other.outcomes] == [REFUSED] and other.has_errors
    assert other.problems[0].code == "MS-REMIT-TRACE-REUSED"
    assert "with different content" in other.problems[0].message
    assert len(rows(url, journal)) == before and len(rows(url, remittances)) == 1


def test_an_unbalanced_remittance_is_refused_whole(practice_dir: Path) -> None:
    bill(practice_dir, "E13", ("99213", "100.00"))
    good = Clp("E13", "1", "100", "80", cas=(("CO", "45", "20"),))
    bad = Clp("E14", "1", "100", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "15"),)),))
    result = post_text(practice_dir, era([good, bad]))
    assert [o.status for o in result.outcomes] == [REFUSED]
    where = {(str(p.source), p.code) for p in result.problems}
    assert ("era.835:segment 17", "MS-REMIT-UNBALANCED") in where  # the SVC
    assert ("era.835:segment 15", "MS-REMIT-UNBALANCED") in where  # its CLP
    assert len(rows(db_url(practice_dir), journal)) == 1 and not rows(db_url(practice_dir), remittances)
    bpr = post_text(practice_dir, era([good], payment="79.99"), name="bpr.835")
    assert [str(p.source) for p in bpr.problems] == ["bpr.835:segment 4"]
    assert "minus provider adjustments" in bpr.problems[0].message


def test_paid_twice_by_two_remittances_is_posted_with_a_warning(practice_dir: Path) -> None:
    bill(practice_dir, "E15", ("99213", "100.00"))
    post_text(practice_dir, era([Clp("E15", "1", "100", "100")], trace="A"))
    second = post_text(practice_dir, era([Clp("E15", "1", "100", "100")], trace="B"), name="b.835")
    assert [p.code for p in second.problems] == ["MS-REMIT-PAID-AGAIN"]
    assert not second.has_errors


def test_not_our_claim_and_predetermination_are_recorded_without_money(practice_dir: Path) -> None:
    claim_id, _ = bill(practice_dir, "E16", ("99213", "100.00"))
    self_pay, _ = bill(practice_dir, "E17", ("99213", "100.00"), payer_id="")
    result = post_text(practice_dir, era([Clp("E16", "23", "100", "0", icn="FWD1",
                                              cas=(("OA", "109", "100"),)),
                                          Clp("E17", "1", "100", "0", cas=(("CO", "45", "100"),))]))
    url = db_url(practice_dir)
    assert [r.kind for r in journal_rows(url, claim_id)] == ["charge"]
    assert [e.event for e in rows(url, claim_events, claim_id=claim_id)] == ["pended"]
    claim = rows(url, claims, id=claim_id)[0]
    assert (claim.status, claim.payer_claim_number) == ("billed", "FWD1")
    assert [c.action for c in result.outcomes[0].claims] == ["pended", "unmatched"]
    assert "self-pay in the ledger" in result.outcomes[0].claims[1].note
    assert [r.kind for r in journal_rows(url, self_pay)] == ["charge"]


def test_text_from_the_835_is_never_a_formula_in_the_report(practice_dir: Path) -> None:
    bill(practice_dir, "E18", ("99213", "100.00"))
    text = era([Clp("E18", "1", "100", "100")]).replace("N1*PR*EXAMPLE PAYER",
                                                        'N1*PR*=HYPERLINK("http://x.example")')
    report = post_text(practice_dir, text).report_file
    assert report is not None
    cell = openpyxl.load_workbook(report)["Totals"]["C2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x.example")'
