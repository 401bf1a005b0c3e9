"""271 answers read right: active, inactive, copay, deductible + coinsurance, dependent, AAA."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from clock import NOW
from previsit_support import (
    ADULT,
    CHILD,
    COPAY_PLAN,
    DEDUCTIBLE_PLAN,
    envelope_271,
    plan_271,
    source_and_receiver,
    subscriber,
    write_appointments,
)

from medsheets.benefits.run import read_benefit_files
from medsheets.benefits.terms import terms_of
from medsheets.eligibility.run import ask_eligibility
from medsheets.ledger import Ledger
from medsheets.ledger import eligibility as store
from medsheets.practice import open_practice
from medsheets.x12.reader import read_x12
from medsheets.x12.response271 import read_271

TODAY = NOW.date()


def members(text: str):
    (interchange,) = read_x12(text, "t.271")
    (transaction,) = list(interchange.transactions())
    return read_271(transaction)


def test_the_test_271s_are_valid_for_an_independent_reader() -> None:
    io = pytest.importorskip("x12sdk.io", reason="x12sdk (the test extra) judges the 271s")
    with io.X12ModelReader(plan_271("A1-1", "BST44120001", DEDUCTIBLE_PLAN)) as reader:
        (model,) = list(reader.models())
    (member,) = list(model.members())
    assert member.member_id == "BST44120001" and "30" in member.service_type_codes


def test_a_copay_plan() -> None:
    (member,) = members(plan_271("A1-1", "BST44120001", COPAY_PLAN))
    terms = terms_of(member)
    assert member.trace == "A1-1" and member.payer_id == "BSTAR"
    assert terms.status == "active"
    assert (terms.plan_begin, terms.plan_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert terms.copay == {"98": Decimal("25.00")}
    assert terms.deductible.total == Decimal("1500.00") and terms.deductible.remaining == 0
    assert terms.covers(dt.date(2026, 11, 30)) and not terms.covers(dt.date(2027, 1, 2))


def test_a_deductible_and_coinsurance_plan_keeps_the_in_network_individual_terms() -> None:
    (member,) = members(plan_271("A1-1", "BST44120001", DEDUCTIBLE_PLAN))
    terms = terms_of(member)
    assert terms.deductible.total == Decimal("2000.00")
    assert terms.deductible.remaining == Decimal("100.00")
    assert terms.coinsurance == {"30": Decimal(".2")}  # not the out-of-network 40%
    assert (terms.out_of_pocket.total, terms.out_of_pocket.remaining) == (Decimal("6000.00"),
                                                                         Decimal("4000.00"))


def test_year_to_date_gives_the_remaining_deductible() -> None:
    (member,) = members(plan_271("A1-1", "M1", ("EB*1*IND*30", "EB*C*IND*30***23*1000",
                                                 "EB*C*IND*30***24*350")))
    assert terms_of(member).deductible.remaining == Decimal("650.00")


def test_inactive_coverage() -> None:
    (member,) = members(plan_271("A1-1", "BST44120001", ("EB*6**30",),
                                 dates=("DTP*347*D8*20260630",)))
    terms = terms_of(member)
    assert terms.status == "inactive" and terms.plan_end == dt.date(2026, 6, 30)
    assert not terms.covers(dt.date(2026, 11, 30))


def test_a_dependent_under_the_subscriber() -> None:
    body = (source_and_receiver("NEMUT") + subscriber("", "NEM8800231", "LINDQVIST", "KARIN", child=True)
            + ["HL*4*3*23*0", "TRN*2*A2-1*1123456789", "NM1*03*1*LINDQVIST*NILS",
               "DMG*D8*20160609*M", "EB*1*FAM*30", "EB*B*IND*98***27*40*****Y"])
    (member,) = members(envelope_271(body))
    assert member.is_dependent and member.trace == "A2-1" and member.member_id == "NEM8800231"
    assert terms_of(member).copay == {"98": Decimal("40.00")}


def test_an_aaa_rejection_is_rejected_with_its_reason() -> None:
    body = (source_and_receiver() + ["HL*3*2*22*0", "TRN*2*A1-1*1123456789",
                                     "NM1*IL*1*OKAFOR*GRACE****MI*BST44120009",
                                     "AAA*N**72*C"])
    (member,) = members(envelope_271(body))
    terms = terms_of(member)
    assert terms.status == "rejected" and terms.rejections == (("72", "C"),)
    assert not terms.covers(dt.date(2026, 11, 30))


def test_benefits_are_matched_recorded_once_and_problems_told(practice_dir: Path, invoke) -> None:
    practice = open_practice(practice_dir)
    book = write_appointments(practice_dir / "a.xlsx", [ADULT, CHILD])
    asked = ask_eligibility(practice, [book], now=NOW)
    traces = {p: i.trace for p, i in asked.asked}
    answers = envelope_271(
        source_and_receiver() + subscriber(traces["700001"], "BST44120001")
        + ["EB*6**30"])
    other = plan_271(traces["700002"], "NEM8800231",
                     ("EB*1*IND*30", "EB*R**30", "LS*2120", "NM1*PR*2*PRAIRIE HEALTH HMO*****PI*PRAHM",
                      "LE*2120"), payer_id="NEMUT")
    files = [practice_dir / "remits" / "a.271", practice_dir / "remits" / "b.271"]
    files[0].write_text(answers)
    files[1].write_text(other)
    result = invoke("benefits", *files, "--practice", practice_dir, "--as-of", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert "account 700001 (A1), BSTAR: inactive" in result.output
    assert "MS-COVERAGE-INACTIVE account 700001, appointment A1" in result.output
    assert "MS-OTHER-PAYER-PRIMARY account 700002, appointment A2" in result.output
    assert "PRAIRIE HEALTH HMO (PRAHM)" in result.output
    assert "Okafor" not in result.output and "OKAFOR" not in result.output
    again = read_benefit_files(practice, files, as_of=TODAY)
    assert again.answers == [] and again.already_read == ["a.271", "b.271"]
    with Ledger.open(practice.db_url) as ledger, ledger.reading() as tx:
        latest = store.latest_benefits(tx, as_of=dt.date(2026, 11, 28))
    assert latest[("700001", "BSTAR")].status == "inactive"
    assert latest[("700002", "NEMUT")].status == "active"


def test_a_file_without_a_271_cannot_be_read(practice_dir: Path, invoke) -> None:
    path = practice_dir / "x.271"
    path.write_text(envelope_271(source_and_receiver()).replace("ST*271", "ST*270"))
    result = invoke("benefits", path, "--practice", practice_dir)
    assert result.exit_code == 2 and "holds no X12 271" in result.stderr


def test_a_benefit_date_and_a_segment_medsheets_does_not_know_change_nothing() -> None:
    """DTP in 2110C is the benefit's date, not the plan's; an undeclared segment is skipped."""
    plain = members(plan_271("A1-1", "BST44120001", COPAY_PLAN))
    noisy = members(plan_271("A1-1", "BST44120001",
                             (*COPAY_PLAN, "DTP*292*D8*20270101", "ZZZ*1*2")))
    assert noisy[0].dates == plain[0].dates
    assert [b.info for b in noisy[0].benefits] == [b.info for b in plain[0].benefits]
    assert terms_of(noisy[0]).copay == terms_of(plain[0]).copay
