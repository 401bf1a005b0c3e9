"""Cleaning of human text for X12, and the judgement of identifiers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medsheets.identifiers import (
    BASIC_CHARACTERS,
    MAX_LENGTH,
    address_lines,
    clean,
    id_problem,
    text_problem,
    x12_text,
)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("José", "JOSE"),
        ("  Núñez-O'Brien ", "NUNEZ-O'BRIEN"),
        ("Smith*Jones~Jr^:", "SMITH JONES JR"),
        ("Line1\nLine2\r\n", "LINE1 LINE2"),
        ("<script>alert(1)</script>", "SCRIPT ALERT(1) /SCRIPT"),
        ("=HYPERLINK(\"x\")", "=HYPERLINK(\"X\")"),
        ("Straße", "STRASSE"),
        ("Søren Ærø", "SOREN AERO"),
        ("D’Angelo – Łódź", "D'ANGELO - LODZ"),
        ("ＡＢＣ", "ABC"),
        ("李小龙", ""),
        ("😀", ""),
        (None, ""),
    ],
)
def test_clean(raw: str | None, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_lengths_follow_the_elements() -> None:
    assert MAX_LENGTH == {"NM103": 60, "NM104": 35, "N301": 55, "N302": 55, "N401": 30, "PER02": 60}
    assert x12_text("A" * 80, "NM103") == "A" * 60
    assert x12_text("B" * 40, "NM104") == "B" * 35
    # cut at a word when one is near the limit, else at the limit; never a trailing space
    assert x12_text("NORTH " + "X" * 30, "N401") == "NORTH " + "X" * 24
    assert x12_text("X" * 20 + " NORTHWESTERN", "N401") == "X" * 20
    assert x12_text("SAINT " * 10, "N401") == "SAINT SAINT SAINT SAINT SAINT"


def test_long_addresses_continue_on_the_second_line() -> None:
    first, second = address_lines("1234 Long Avenue Name Here, Building 7, Suite 1200, Attention Billing Dept")
    assert first == "1234 LONG AVENUE NAME HERE, BUILDING 7, SUITE 1200,"
    assert second == "ATTENTION BILLING DEPT"
    assert address_lines("12 Oak St") == ("12 OAK ST", "")


@settings(max_examples=200)
@given(st.text(), st.sampled_from(sorted(MAX_LENGTH)))
def test_cleaned_text_is_always_safe(raw: str, element: str) -> None:
    out = x12_text(raw, element)
    assert set(out) <= BASIC_CHARACTERS
    assert not set(out) & set("*:^~\r\n")
    assert len(out) <= MAX_LENGTH[element]
    assert out == out.strip() and "  " not in out


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("XYZ123456789", None),
        ("W-123/45.6", None),
        ("", "is empty"),
        (None, "is empty"),
        (" XYZ1", "space"),
        ("AB*12", "'*'"),
        ("AB~12", "'~'"),
        ("AB:12", "':'"),
        ("AB^12", "'^'"),
        ("AB\n12", "line break"),
        ("ab12", None),  # 5010 extended set: lower case is sent as written
        ("AB<12", "'<'"),
        ("ABÉ12", "latin capital letter e with acute"),
    ],
)
def test_id_problem(value: str | None, words: str | None) -> None:
    problem = id_problem(value)
    if words is None:
        assert problem is None
    else:
        assert problem is not None and words in problem


def test_id_problem_never_quotes_the_id() -> None:
    problem = id_problem("SECRET123*")
    assert problem is not None and "SECRET" not in problem


def test_text_problem_for_required_elements() -> None:
    assert text_problem("Springfield", "N401") is None
    assert text_problem("李", "NM103") is not None and "Latin letters" in text_problem("李", "NM103")  # type: ignore[operator]
    assert text_problem("Å*", "N401") == "is shorter than the 2 characters a claim needs here"
    assert text_problem("O", "NM103") is None


@given(st.text(alphabet="AbZz09!\"&'()+,./;?= -", max_size=12), st.sampled_from(["NM103", "N401"]))
def test_text_problem_fast_path_agrees_with_full_cleaning(value: str, element: str) -> None:
    from medsheets.identifiers import MIN_LENGTH

    cleaned = x12_text(value, element)
    slow = None if cleaned and len(cleaned) >= MIN_LENGTH.get(element, 1) else "problem"
    assert (text_problem(value, element) is None) == (slow is None)


@given(st.text(alphabet="AbZz09!\"&'()+,./;?= -", max_size=16))
def test_clean_fast_path_agrees_with_full_cleaning(value: str) -> None:
    # A combining accent sends the text down the full path and is itself dropped there.
    assert clean(value) == clean(value + "\u0301")
    assert clean(value) == clean(" \u0301" + value)


def test_clean_full_path_is_taken_for_text_that_is_not_plain() -> None:
    assert clean("josé\tnuñez") == "JOSE NUNEZ" and clean("Straße") == "STRASSE"
