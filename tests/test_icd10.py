"""The ICD-10-CM wrapper: status, suggestions and descriptions from the shipped release."""

from __future__ import annotations

import subprocess
import sys

import pytest

from medsheets.codes import icd10
from medsheets.codes.icd10 import DxStatus


@pytest.mark.parametrize("code", ["E119", "E11.9", "I10", "U071", "S72001A", "M5450"])
def test_billable_codes_with_or_without_the_dot(code: str) -> None:
    assert icd10.status(code) is DxStatus.BILLABLE


@pytest.mark.parametrize("code", ["E11", "R05", "M545", "M54.5", "Z3A"])
def test_categories_with_codes_beneath_are_headers(code: str) -> None:
    assert icd10.status(code) is DxStatus.HEADER


@pytest.mark.parametrize("code", ["E1199", "ZZZ", "E1", "A00-A09", "1", "99213", ""])
def test_codes_outside_the_release_are_unknown(code: str) -> None:
    assert icd10.status(code) is DxStatus.UNKNOWN


def test_suggestions_put_the_plain_case_first() -> None:
    assert icd10.billable_beneath("E11")[0] == "E11.9"
    assert icd10.billable_beneath("M545") == ("M54.50", "M54.51")
    assert icd10.billable_beneath("R05")[0] == "R05.9"
    assert all(icd10.status(c) is DxStatus.BILLABLE for c in icd10.billable_beneath("S72", 5))


def test_no_suggestions_for_billable_or_unknown_codes() -> None:
    assert icd10.billable_beneath("E119") == ()
    assert icd10.billable_beneath("E1199") == ()


def test_descriptions() -> None:
    assert icd10.description("E119") == "Type 2 diabetes mellitus without complications"
    assert icd10.description("E1199") is None


def test_shape_allows_u_codes_and_refuses_procedure_codes() -> None:
    assert icd10.has_icd10_shape("U07.1")
    assert icd10.has_icd10_shape("S72001A")
    assert not icd10.has_icd10_shape("99213")
    assert not icd10.has_icd10_shape("E11999999")


def test_look_ups_are_cached_per_code() -> None:
    icd10.status("K219")
    hits = icd10.status.cache_info().hits
    icd10.status("K219")
    assert icd10.status.cache_info().hits == hits + 1


def test_the_release_is_not_imported_until_a_code_is_looked_up() -> None:
    code = ("import sys, medsheets.codes.scrub, medsheets.codes.icd10; "
            "print('simple_icd_10_cm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
