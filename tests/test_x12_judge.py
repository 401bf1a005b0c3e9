"""The judges themselves must be able to fail: otherwise a passing 837 proves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_samples import needs_samples
from x12_judge import (
    NOW,
    PAYERS,
    SAMPLES,
    check_837_rules,
    make_config,
    make_encounter,
    validate_with_pyx12,
)

from medsheets.x12.claim837 import write_837p
from medsheets.x12.envelope import ControlNumbers

INVALID = sorted((SAMPLES / "837p" / "invalid").glob("*"))  # empty where the samples are absent


@needs_samples
@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_pyx12_rejects_every_broken_sample(path: Path) -> None:
    assert validate_with_pyx12(path) != []


@needs_samples
def test_pyx12_accepts_a_valid_sample_rewritten_to_x222a1(tmp_path: Path) -> None:
    source = (SAMPLES / "837p" / "lfh_demo.example1.837").read_text()
    assert validate_with_pyx12(SAMPLES / "837p" / "lfh_demo.example1.837") != []  # X222A2: no map
    target = tmp_path / "example1.837"
    target.write_text(source.replace("005010X222A2", "005010X222A1"))
    assert validate_with_pyx12(target) == []
    assert len(INVALID) == 7


def _good() -> str:
    encounters = [make_encounter("E1", {}, {"procedure_code": "36415", "diagnoses": ("E119", "I10")})]
    return write_837p(encounters, party=make_config().billing_party, payers=PAYERS, control=ControlNumbers(5, 5, 5),
                      now=NOW, line_control_numbers={})


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("XX*1234567893", "XX*1234567890", "NPI check digit"),
        ("627011234", "62701", "billing provider ZIP"),
        ("REF*EI*123456789", "REF*EI*12345678", "9-digit EIN"),
        ("HI*ABK:E119*ABF:I10", "HI*BK:E119*BF:I10", "qualifier BK"),
        ("HI*ABK:E119*ABF:I10", "HI*ABK:E11.9*ABF:I10", "billable ICD-10-CM"),
        ("HI*ABK:E119*ABF:I10", "HI*ABK:E11*ABF:I10", "billable ICD-10-CM"),
        ("***1:2~", "***1:3~", "SV107"),
        ("******BL~", "~", "SBR09"),
        ("CLM*E1*250", "CLM*E1*251", "CLM02"),
        ("SE*29*0005", "SE*28*0005", "SE at segment"),
        ("GE*1*5", "GE*2*5", "GE count"),
        ("IEA*1*000000005", "IEA*1*000000006", "IEA count"),
        ("HL*2*1*22*0", "HL*2*1*22*1", "child flag"),
        ("HL*2*1*22*0", "HL*3*1*22*0", "out of sequence"),
        ("REF*6R*E1-2", "REF*6R*E1-1", "REF*6R repeated"),
        ("N3*12 OAK ST", "N3*12 oak st", "outside the basic set"),
    ],
)
def test_rules_catch_what_pyx12_misses(old: str, new: str, words: str) -> None:
    good = _good()
    assert check_837_rules(good) == []
    assert old in good
    problems = check_837_rules(good.replace(old, new, 1))
    assert any(words in p for p in problems), problems
