"""Payer edits: a known payer, member and subscriber details, relationship, timely filing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from edits_factory import TODAY, assert_problem, line, problems

from medsheets.model import Person


def test_a_payer_not_in_the_payers_sheet() -> None:
    problem = assert_problem(problems(line(payer_id="CIGNA")), "MS-PAYER-UNKNOWN", "payer_id")
    assert "CIGNA" in problem.message


def test_an_insured_row_needs_a_member_id() -> None:
    assert_problem(problems(line(member_id=None)), "MS-REQUIRED", "member_id")


def test_a_self_pay_row_needs_no_insurance() -> None:
    assert problems(line(payer_id=None, member_id=None)) == []


def test_a_relationship_that_is_not_one_of_the_four() -> None:
    found = problems(line(subscriber_relationship="cousin"))
    assert_problem(found, "MS-RELATIONSHIP", "subscriber_relationship")


@pytest.mark.parametrize("name", ["last_name", "first_name", "dob", "sex"])
def test_a_dependant_needs_the_subscriber(name: str) -> None:
    subscriber = replace(Person("Doe", "John", dt.date(1979, 2, 3), "M"), **{name: None})
    found = problems(line(subscriber_relationship="spouse", subscriber=subscriber))
    assert_problem(found, "MS-REQUIRED", f"subscriber_{name}")


def test_a_dependant_without_any_subscriber_details() -> None:
    found = problems(line(subscriber_relationship="child", subscriber=None))
    assert sorted(p.source.field or "" for p in found) == [
        "subscriber_dob", "subscriber_first_name", "subscriber_last_name", "subscriber_sex"]


def test_a_dependant_with_the_subscriber() -> None:
    subscriber = Person("Doe", "John", dt.date(1979, 2, 3), "M")
    assert problems(line(subscriber_relationship="spouse", subscriber=subscriber)) == []


def test_past_the_payers_timely_filing_limit() -> None:
    old = TODAY - dt.timedelta(days=91)
    problem = assert_problem(problems(line(date_of_service=old)), "MS-TIMELY-FILING",
                             "date_of_service")
    assert "91 days" in problem.message and "90 days" in problem.message


def test_within_the_timely_filing_limit() -> None:
    assert problems(line(date_of_service=TODAY - dt.timedelta(days=90))) == []
    assert problems(line(payer_id="MCR", date_of_service=TODAY - dt.timedelta(days=91))) == []
