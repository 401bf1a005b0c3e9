"""Estimates to the cent: a copay plan, a deductible + coinsurance plan, a met out-of-pocket
maximum, self-pay, and coverage that is flagged rather than guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medsheets.benefits.terms import Accumulator, Terms
from medsheets.estimate.price import FLAGGED, SELF_PAY, estimate_visit
from medsheets.model import (
    CodeSets,
    ContractRate,
    Encounter,
    Origin,
    Payer,
    Person,
    Procedure,
    ServiceLine,
)

DAY = dt.date(2026, 11, 30)
D = Decimal
CODES = CodeSets(
    procedures={"99213": Procedure("99213", "Office visit, established, low", D("135.00"), "CPT"),
                "80053": Procedure("80053", "Comprehensive metabolic panel", D("45.00"), "CPT"),
                "99203": Procedure("99203", "Office visit, new, low", D("160.00"), "CPT")},
    modifiers={},
    payers={"BSTAR": Payer("BSTAR", "Bluestem", "CI", allowed_percent=D("0.8")),
            "NOPCT": Payer("NOPCT", "No percent", "CI")},
    contract_rates={("BSTAR", "80053"): (ContractRate("BSTAR", "80053", D("12.00"), dt.date(2026, 1, 1)),
                                         ContractRate("BSTAR", "80053", D("14.37"), dt.date(2026, 7, 1)))},
)
ACTIVE = {"status": "active", "plan_begin": dt.date(2026, 1, 1), "plan_end": dt.date(2026, 12, 31)}


def line(code: str, payer: str | None = "BSTAR", charge: str | None = None, units: int = 1) -> ServiceLine:
    fee = CODES.procedures[code].fee * units
    return ServiceLine(Origin("a.xlsx", "Appointments", 2, {}), "A1", DAY, "700001",
                       Person("X", "Y", dt.date(1970, 1, 1), "F"), None, None, payer, "M1", None,
                       "self", None, code, (), units, D(charge) if charge else fee, (), "11",
                       None, None, None, None, None)


def visit(*lines: ServiceLine) -> Encounter:
    return Encounter("A1", lines)


def test_a_copay_plan_owes_the_copay_once_and_insurance_the_rest() -> None:
    terms = Terms(**ACTIVE, copay={"98": D("25.00")}, deductible=Accumulator(D("1500"), D("0")))
    result = estimate_visit(visit(line("99213")), CODES, terms)
    (only,) = result.lines
    assert (only.allowed, only.copay, only.patient, only.insurance) == (
        D("108.00"), D("25.00"), D("25.00"), D("83.00"))
    assert result.collect == D("25.00") and result.insurance == D("83.00")
    assert "copay" in only.reason and "80% of the charge" in only.reason


def test_a_deductible_then_coinsurance_plan_to_the_cent() -> None:
    terms = Terms(**ACTIVE, coinsurance={"30": D(".2")},
                  deductible=Accumulator(D("2000.00"), D("100.00")),
                  out_of_pocket=Accumulator(D("6000.00"), D("4000.00")))
    result = estimate_visit(visit(line("99213", charge="99.99"), line("80053")), CODES, terms)
    office, lab = result.lines
    # 99.99 x 80% = 79.992 -> 79.99 allowed; all of it goes to the deductible's 100.00
    assert (office.allowed, office.deductible, office.coinsurance) == (D("79.99"), D("79.99"), D("0"))
    # FeeSchedule 14.37 (in force since July); the deductible's last 20.01 ... is more than
    # the allowed amount, so 14.37 goes to the deductible and nothing is left for coinsurance
    assert (lab.allowed, lab.deductible, lab.coinsurance, lab.insurance) == (
        D("14.37"), D("14.37"), D("0"), D("0"))
    assert result.patient == D("94.36") and result.insurance == D("0.00")


def test_coinsurance_after_the_deductible_rounds_half_up_per_line() -> None:
    terms = Terms(**ACTIVE, coinsurance={"30": D(".2")}, deductible=Accumulator(D("500"), D("50.00")))
    result = estimate_visit(visit(line("99213", charge="99.99")), CODES, terms)
    (only,) = result.lines
    # allowed 79.99; deductible 50.00; 20% of 29.99 = 5.998 -> 6.00
    assert (only.deductible, only.coinsurance, only.patient, only.insurance) == (
        D("50.00"), D("6.00"), D("56.00"), D("23.99"))


def test_a_met_out_of_pocket_maximum_leaves_the_patient_nothing() -> None:
    terms = Terms(**ACTIVE, coinsurance={"30": D(".3")}, deductible=Accumulator(D("3000"), D("0")),
                  out_of_pocket=Accumulator(D("7000.00"), D("0.00")))
    result = estimate_visit(visit(line("99213"), line("80053")), CODES, terms)
    assert [l.patient for l in result.lines] == [D("0"), D("0")]
    assert result.collect == D("0.00") and result.insurance == D("122.37")
    assert "out-of-pocket maximum reached" in result.lines[0].reason


def test_the_out_of_pocket_remaining_caps_the_share_across_lines() -> None:
    terms = Terms(**ACTIVE, coinsurance={"30": D(".2")}, deductible=Accumulator(D("500"), D("500")),
                  out_of_pocket=Accumulator(D("1000"), D("100.00")))
    result = estimate_visit(visit(line("99213"), line("80053")), CODES, terms)
    assert [l.patient for l in result.lines] == [D("100.00"), D("0.00")]
    assert result.patient == D("100.00") and result.insurance == D("22.37")


def test_without_a_contracted_rate_or_percent_the_charge_is_allowed() -> None:
    terms = Terms(**ACTIVE, coinsurance={"30": D(".1")})
    result = estimate_visit(visit(line("99213", payer="NOPCT")), CODES, terms)
    assert result.lines[0].allowed == D("135.00") and result.lines[0].coinsurance == D("13.50")
    assert result.notes == ("the payer gave no deductible remaining; none is assumed",)


def test_self_pay_owes_the_charges() -> None:
    result = estimate_visit(visit(line("99203", payer=None), line("80053", payer=None, units=2)),
                            CODES, None)
    assert result.status == SELF_PAY
    assert result.collect == D("250.00") and result.insurance == D("0.00")


@pytest.mark.parametrize("terms, words", [
    (None, "no eligibility answer"),
    (Terms("inactive"), "not active"),
    (Terms("rejected"), "rejected"),
    (Terms("active", plan_end=dt.date(2026, 6, 30)), "plan dates"),
    (Terms(**ACTIVE, other_payer="PRAIRIE HEALTH HMO (PRAHM)"), "another payer is primary"),
])
def test_coverage_in_doubt_is_flagged_not_guessed(terms: Terms | None, words: str) -> None:
    result = estimate_visit(visit(line("99213")), CODES, terms)
    assert result.status == FLAGGED and words in result.reason
    assert result.collect is None and result.insurance is None


def test_out_of_network_terms_alone_are_pointed_out() -> None:
    from medsheets.benefits.terms import terms_of
    from medsheets.x12.response271 import Benefit, MemberResponse

    member = MemberResponse(0, "BSTAR", "", "M1", False, benefits=[
        Benefit("1", "IND", ("30",), "", "", "", None, None, "", ""),
        Benefit("A", "IND", ("30",), "", "", "", None, D(".4"), "", "N")])
    terms = terms_of(member)
    assert terms.out_of_network_only and terms.coinsurance == {"30": D(".4")}
    result = estimate_visit(visit(line("99213")), CODES, terms)
    assert any("out-of-network" in note for note in result.notes)
    in_network = terms_of(MemberResponse(0, "BSTAR", "", "M1", False, benefits=[
        Benefit("1", "IND", ("30",), "", "", "", None, None, "", ""),
        Benefit("A", "IND", ("30",), "", "", "", None, D(".2"), "", "Y")]))
    assert not in_network.out_of_network_only
