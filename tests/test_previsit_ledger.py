"""What the ledger keeps from before the visit: the claim check warns of a date the payer said
was not covered, and a statement says what was estimated."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from clock import NOW
from invoices_support import pdf_text, self_pay_visit
from previsit_support import ADULT, DAY, SELF_PAY, plan_271, write_appointments
from workbook_factory import row, write_encounters

from medsheets.benefits.run import read_benefit_files
from medsheets.benefits.terms import Terms
from medsheets.check import check_workbook
from medsheets.eligibility.run import ask_eligibility
from medsheets.estimate.run import make_estimates
from medsheets.invoices import produce_statements
from medsheets.model import Person
from medsheets.practice import open_practice

ENCOUNTER = row(encounter_id="E70", date_of_service=dt.date(2026, 11, 20), patient_id="700001",
                payer_id="BSTAR", member_id="BST44120001", dx1="J06.9")


def check(practice_dir: Path, answers: dict) -> list[str]:
    book = write_encounters(practice_dir / "day.xlsx", [ENCOUNTER])
    result = check_workbook(book, open_practice(practice_dir), as_of=NOW.date(), coverage=answers)
    return [p.code for p in result.problems if p.code == "MS-COVERAGE-INACTIVE"]


def test_the_claim_check_warns_only_when_the_answer_does_not_cover_the_date(practice_dir: Path) -> None:
    key = ("700001", "BSTAR")
    assert check(practice_dir, {}) == []
    assert check(practice_dir, {key: Terms("active", dt.date(2026, 1, 1), dt.date(2026, 12, 31))}) == []
    assert check(practice_dir, {key: Terms("inactive")}) == ["MS-COVERAGE-INACTIVE"]
    assert check(practice_dir, {key: Terms("active", plan_end=dt.date(2026, 10, 31))}) == [
        "MS-COVERAGE-INACTIVE"]
    assert check(practice_dir, {key: Terms("rejected")}) == []  # nothing known either way


def test_check_reads_the_answer_from_the_ledger(practice_dir: Path, invoke) -> None:
    practice = open_practice(practice_dir)
    appointments = write_appointments(practice_dir / "a.xlsx", [ADULT])
    (_, inquiry), = ask_eligibility(practice, [appointments], now=NOW).asked
    answer = practice_dir / "remits" / "a.271"
    answer.write_text(plan_271(inquiry.trace, "BST44120001", ("EB*6**30",), dates=()))
    read_benefit_files(practice, [answer], as_of=NOW.date())
    book = write_encounters(practice_dir / "day.xlsx", [ENCOUNTER])
    result = invoke("check", book, "--practice", practice_dir, "--as-of", "2026-11-27")
    assert "MS-COVERAGE-INACTIVE encounter E70 on 2026-11-20" in result.output


def test_a_statement_says_what_was_estimated(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    appointments = write_appointments(practice_dir / "a.xlsx", [SELF_PAY])
    make_estimates(practice, [appointments], as_of=NOW.date(), now=NOW)
    person = Person("Brennan", "Maeve", dt.date(1990, 9, 9), "F", "1 Elm St", "Springfield", "IL",
                    "62701")
    self_pay_visit(practice, "700003", person, email=None, day=DAY, charge="175.00", code="99203")
    sister = replace(person, first_name="Niamh")  # another person: her own statement
    other = self_pay_visit(practice, "700004", sister, email=None, day=DAY, charge="80.00")
    assert other
    result = produce_statements(practice, as_of=dt.date(2026, 12, 1), workers=1)
    texts = {s.recipient.account: pdf_text(p.read_bytes())
             for s, p in zip(result.plan.new, result.files)}
    assert "Estimated before your visit" in texts["700003"]
    assert "we estimated your share at $175.00" in " ".join(texts["700003"].split())
    assert "Estimated before your visit" not in texts["700004"]
