"""The pure stages without a database: balancing, line matching, the posting plan, explanations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from remit_support import Clp, Svc, era

from medsheets.codes.reasons import REASONS, REMARKS, explain_adjustment, explain_provider
from medsheets.ledger import Kind, LineRow, Party
from medsheets.remit.balance import balance_problems
from medsheets.remit.files import read_remit_bytes
from medsheets.remit.match import match_lines
from medsheets.remit.plan import Mode, plan_claim
from medsheets.remit.records import Adjustment, ClaimPayment, ServicePayment

D = Decimal
DAY = dt.date(2026, 11, 20)


def line(number: int, code: str = "99213", charge: str = "100.00", mods: tuple[str, ...] = ()) -> LineRow:
    return LineRow(id=10 + number, claim_id=1, line_number=number, line_control_number=f"E1-{number}",
                   procedure_code=code, modifiers=mods, units=1, charge=D(charge),
                   date_of_service=DAY, diagnosis_pointers=(1,))


def service(code: str, charge: str, paid: str, *adjustments: tuple[str, str, str],
            control: str = "", mods: tuple[str, ...] = (), day: dt.date | None = DAY) -> ServicePayment:
    return ServicePayment(1, "HC", code, mods, D(charge), D(paid), service_date=day,
                          control_number=control,
                          adjustments=tuple(Adjustment(g, r, D(a), 1) for g, r, a in adjustments))


def claim(paid: str, *services: ServicePayment, cas: tuple[tuple[str, str, str], ...] = (),
          charge: str = "200.00") -> ClaimPayment:
    return ClaimPayment(1, "E1", "1", D(charge), D(paid), None, "12", "ICN",
                        adjustments=tuple(Adjustment(g, r, D(a), 1) for g, r, a in cas),
                        services=services)


def test_matching_prefers_control_numbers_then_modifiers_and_leaves_the_rest() -> None:
    ours = [line(1), line(2, mods=("25",)), line(3, "36415", "12.00")]
    payment = claim("0", service("99213", "100", "0", mods=("25",)), service("36415", "12", "0", control="E1-3"),
                    service("99213", "100", "0", day=None), service("99213", "100", "0"))
    matched = match_lines(payment, ours)
    assert [(m.line.line_number if m.line else None, m.how) for m in matched] == [
        (2, "code and date"), (3, "control number"), (1, "code"), (None, "")]


def test_claim_level_money_fills_lines_in_order_and_never_leaves_one_negative() -> None:
    ours = [line(1, charge="100.00"), line(2, charge="50.00"), line(3, charge="50.00")]
    payment = claim("120", cas=(("CO", "45", "80"),))
    postings = plan_claim(payment, [], ours, {11: D(100), 12: D(50), 13: D(50)}, Mode.PRIMARY)
    assert [(p.line_id, p.kind, p.amount) for p in postings] == [
        (11, Kind.PAYMENT, D(100)), (12, Kind.PAYMENT, D(20)),
        (12, Kind.ADJUSTMENT, D(30)), (13, Kind.ADJUSTMENT, D(50))]


def test_a_denial_plans_no_adjustment_and_after_a_primary_the_patient_share_pays() -> None:
    ours = [line(1)]
    denied = claim("0", service("99213", "100", "0", ("CO", "16", "100")), charge="100")
    assert plan_claim(denied, match_lines(denied, ours), ours, {11: D(100)}, Mode.PAYMENT_ONLY) == []
    secondary = claim("15", service("99213", "100", "15", ("OA", "23", "80"), ("CO", "45", "3"),
                                    ("PR", "1", "2")), charge="100")
    postings = plan_claim(secondary, match_lines(secondary, ours), ours, {11: D(20)},
                          Mode.AFTER_PRIMARY)
    assert [(p.kind, p.party, p.amount, p.group) for p in postings] == [
        (Kind.TRANSFER, Party.PATIENT, D(-15), None), (Kind.PAYMENT, Party.PAYER, D(15), None),
        (Kind.TRANSFER, Party.PATIENT, D(-3), None), (Kind.ADJUSTMENT, Party.PAYER, D(3), "CO")]


cents = st.integers(min_value=-50_000, max_value=500_000).map(lambda c: D(c) / 100)


@given(charges=st.lists(st.integers(1, 100_000), min_size=1, max_size=5), paid=cents,
       adjusted=st.lists(st.tuples(st.sampled_from(["CO", "OA", "PI", "PR"]), cents), max_size=4))
def test_every_cent_of_a_claim_payment_lands_on_a_line(charges: list[int], paid: D,
                                                        adjusted: list[tuple[str, D]]) -> None:
    ours = [line(n, charge=str(D(c) / 100)) for n, c in enumerate(charges, start=1)]
    payment = claim(str(paid), cas=tuple((g, "45", str(a)) for g, a in adjusted))
    postings = plan_claim(payment, [], ours, {x.id: x.charge for x in ours}, Mode.PRIMARY)
    assert sum((p.amount for p in postings if p.kind is Kind.PAYMENT), D(0)) == paid
    assert sum((p.amount for p in postings if p.kind is not Kind.PAYMENT), D(0)) == sum(
        (a for _, a in adjusted), D(0))
    assert {p.line_id for p in postings} <= {x.id for x in ours}
    owed = {x.id: x.charge for x in ours}
    for p in postings:
        owed[p.line_id] -= p.amount
    if paid >= 0 and all(a >= 0 for _, a in adjusted) and paid + sum(a for _, a in adjusted) <= sum(
            x.charge for x in ours):
        assert all(v >= 0 for v in owed.values())  # never below zero while another has a balance


def test_balancing_names_each_identity_broken() -> None:
    text = era([Clp("E1", "1", "100", "70", svcs=(Svc("99213", "100", "80", (("CO", "45", "25"),)),))],
               payment="75")
    remittance = read_remit_bytes(text.encode(), "u.835").transactions[0].remittance
    assert remittance is not None
    problems = balance_problems(remittance)
    assert [(str(p.source), p.message.split(":")[0]) for p in problems] == [
        ("u.835:segment 13", "SVC 99213 of claim E1"), ("u.835:segment 11", "CLP E1"),
        ("u.835:segment 4", "BPR")]


def test_explanations_are_ours_cover_the_common_codes_and_the_practice_overrides_them() -> None:
    assert len(REASONS) >= 40 and len(REMARKS) >= 15
    for code in ("45", "97", "16", "29", "18", "1", "2", "3", "50", "197", "4", "11"):
        assert REASONS[code]
    assert explain_adjustment("CO", "45", {}).startswith("The charge is above")
    assert explain_adjustment("CO", "45", {"45": "any group"}) == "any group"
    assert explain_adjustment("CO", "45", {"45": "any", "CO-45": "this group"}) == "this group"
    assert explain_adjustment("PR", "45", {"CO-45": "this group"}).startswith("The charge")
    assert "add one in codesets.xlsx" in explain_adjustment("CO", "Z9", {})
    assert explain_provider("L6", {}) == "Interest the payer adds for paying late."
    assert explain_provider("50", {"PLB-50": "late fee"}) == "late fee"
