"""The worklist's suggestions, explanations and deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medsheets.codes.reasons import ReasonCode, explain, parse_reason_codes
from medsheets.denials.advice import (
    BILL_PATIENT,
    CORRECT,
    VOID,
    WRITE_OFF,
    deadline,
    suggest,
)

ZERO = Decimal("0.00")


def test_reason_codes_are_read_with_their_group() -> None:
    assert parse_reason_codes("CO-16 N290") == (ReasonCode("CO", "16"), ReasonCode("", "N290"))
    assert parse_reason_codes("pr-1, OA:23") == (ReasonCode("PR", "1"), ReasonCode("OA", "23"))
    assert parse_reason_codes("A7:562") == (ReasonCode("", "A7:562"),)
    assert parse_reason_codes(None) == ()


@pytest.mark.parametrize(
    ("event", "codes", "action", "words"),
    [
        ("denied", "CO-16 N290", CORRECT, "missing"),
        ("denied", "CO-29", WRITE_OFF, "appeal"),
        ("denied", "CO-197", CORRECT, "authorization"),
        ("denied", "CO-18", VOID, "duplicate"),
        ("line_denied", "PR-204", BILL_PATIENT, "patient"),
        ("denied", "PR-96", BILL_PATIENT, "patient owes"),
        ("denied", "PR-999", BILL_PATIENT, "patient"),
        ("rejected", "A7:562", CORRECT, "rejected"),
        ("denied", "OA-999", "", "read the remittance"),
    ],
)
def test_each_common_denial_gets_its_usual_next_step(event: str, codes: str, action: str, words: str) -> None:
    advice = suggest(event, parse_reason_codes(codes), ZERO, Decimal("100.00"))
    assert advice.action == action
    assert words in advice.text


def test_a_balance_mostly_the_patients_suggests_billing_the_patient() -> None:
    advice = suggest("line_denied", parse_reason_codes("CO-16"), Decimal("80.00"), Decimal("100.00"))
    assert advice.action == BILL_PATIENT


def test_explanations_come_from_our_words_and_the_practice_overrides_them() -> None:
    codes = parse_reason_codes("CO-16 N290 A7:562")
    text = explain(codes, {})
    assert text.startswith("CO-16: ") and len(text.split(";")[0]) > len("CO-16: ")
    assert text.endswith("; A7:562")  # a 277CA code nobody explained stands alone
    assert explain(codes[:1], {"CO-16": "Ask Dana first"}) == "CO-16: Ask Dana first"
    assert explain(codes[:1], {"16": "Ask Dana"}) == "CO-16: Ask Dana"


def test_deadline_runs_from_service_for_rejections_and_from_the_denial_otherwise() -> None:
    service, denied = dt.date(2026, 1, 10), dt.date(2026, 3, 1)
    assert deadline("rejected", service, denied, 90) == dt.date(2026, 4, 10)
    assert deadline("denied", service, denied, 90) == dt.date(2026, 5, 30)
    assert deadline("denied", service, denied, None) is None
