"""The 837P writer: realistic batches pass pyx12 and the clearinghouse rules; bad input is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from x12_judge import (
    NOW,
    PAYERS,
    REFERRING_NPI,
    RENDERING_NPI,
    check_837_rules,
    make_config,
    make_encounter,
    validate_with_pyx12,
)

from medsheets.errors import ConfigError
from medsheets.model import Encounter, Payer, Person
from medsheets.x12 import claim837
from medsheets.x12.claim837 import write_837p
from medsheets.x12.envelope import ControlNumbers
from medsheets.x12.errors import ClaimInputError
from medsheets.x12.read837 import read_837p
from medsheets.x12.reader import read_x12

CONTROL = ControlNumbers(interchange=17, group=17, first_transaction=1)
TWELVE = ("E119", "I10", "J069", "Z0000", "M5450", "R509", "E1165", "F329", "J45909", "K219", "N390", "R051")
MOTHER = Person("Smith", "Ann", dt.date(1980, 1, 2), "F")


def day_batch() -> list[Encounter]:
    """A front desk's day: every shape of claim the writer must get right, plus a self-pay visit."""
    return [
        make_encounter("E1", {"modifiers": ("25",), "copay_collected": Decimal("20.00")},
                       {"procedure_code": "36415", "charge": Decimal("15.50"), "diagnoses": ("E119", "I10")}),
        make_encounter("E2", {"payer_id": "AETNA", "subscriber_relationship": "child", "subscriber": MOTHER,
                              "patient": Person("Smith", "Léa", dt.date(2015, 3, 4), "F", "9 Elm Rd",
                                                "Springfield", "IL", "627040001"),
                              "referring_npi": REFERRING_NPI, "referring_name": "Jones, Mary",
                              "prior_auth": "PA998877"}),
        make_encounter("E3", {"payer_id": "MCR01", "member_id": "1EG4TE5MK72", "group_number": None,
                              "rendering_npi": RENDERING_NPI},
                       {"procedure_code": "G0008", "charge": Decimal(30), "diagnoses": ("Z23",),
                        "rendering_npi": "5556667777", "place_of_service": "02"}),
        make_encounter("E4", *({"procedure_code": code, "diagnoses": TWELVE[i * 3:i * 3 + 3],
                                "modifiers": ("59", "LT") if i == 1 else ()}
                               for i, code in enumerate(("99214", "20610", "81002", "90471")))),
        make_encounter("E5", {"payer_id": "BCBS1", "subscriber_relationship": "spouse",
                              "subscriber": Person("García", "Luis", None, None)}),
        make_encounter("E6", {"payer_id": None, "member_id": None}),  # self-pay: never billed
    ]


def write(encounters: list[Encounter], **kwargs: object) -> str:
    options: dict[str, object] = {"party": make_config().billing_party, "payers": PAYERS, "control": CONTROL, "now": NOW,
                                      "line_control_numbers": {}}
    options.update(kwargs)
    return write_837p(encounters, **options)  # type: ignore[arg-type]


def test_a_realistic_day_passes_pyx12_and_the_clearinghouse_rules(tmp_path: Path) -> None:
    billable = [e for e in day_batch() if not e.is_self_pay]
    text = write(billable, line_control_numbers={("E1", 1): "LAB0001"})
    path = tmp_path / "day.837"
    path.write_text(text)
    assert validate_with_pyx12(path) == []
    assert check_837_rules(text) == []

    (interchange,) = read_x12(text, "day.837")
    transactions = list(interchange.transactions())
    payers = [next(s.element(9) for s in t.segments if s.id == "NM1" and s.element(1) == "PR")
              for t in transactions]
    assert payers == ["BCBS1", "AETNA", "MCR01"]  # one ST per payer, in first-seen order
    lines = text.splitlines()
    assert "HL*2*1*22*1~" in lines and "HL*3*2*23*0~" in lines and "PAT*19~" in lines
    assert "NM1*QC*1*SMITH*LEA~" in lines and "SBR*P**GRP001******CI~" in lines
    assert "NM1*IL*1*GARCIA*LUIS****MI*XYZ123456789~" in lines and "PAT*01~" in lines
    assert "SBR*P*18*******MB~" in lines  # Medicare: no group number
    assert "HI*ABK:E119*" + "*".join(f"ABF:{c}" for c in TWELVE[1:]) + "~" in lines
    assert "SV1*HC:20610:59:LT*125*UN*1***4:5:6~" in lines
    assert "SV1*HC:90471*125*UN*1***10:11:12~" in lines
    assert "SV1*HC:G0008*30*UN*1*02**2~" in lines  # its own place of service
    assert "NM1*82*1*MAPLE STREET FAMILY MEDICINE*****XX*5556667777~" in lines  # 2420A
    assert "NM1*DN*1*JONES*MARY****XX*1112223338~" in lines and "REF*G1*PA998877~" in lines
    assert "REF*6R*LAB0001~" in lines and "REF*6R*E1-1~" in lines and "AMT*F5*20~" in lines


def test_read_back_gives_the_same_claims() -> None:
    billable = [e for e in day_batch() if not e.is_self_pay]
    claims = {c.claim_id: c for c in read_837p(write(billable), "day.837")}
    assert set(claims) == {"E1", "E2", "E3", "E4", "E5"}
    for encounter in billable:
        claim = claims[encounter.encounter_id]
        assert claim.total == encounter.total_charge
        assert claim.diagnoses == encounter.diagnoses
        assert [line.procedure_code for line in claim.lines] == [x.procedure_code for x in encounter.lines]
    assert claims["E1"].total == Decimal("140.50") and claims["E1"].patient_paid == Decimal(20)
    assert claims["E2"].patient_name == ("SMITH", "LEA") and claims["E2"].subscriber_name == ("SMITH", "ANN")
    assert claims["E4"].lines[3].pointers == (10, 11, 12)


def test_golden_single_claim() -> None:
    text = write([make_encounter("E1")], control=ControlNumbers(1, 2, 3))
    body = text.split("\n")[2:-3]
    assert body == [
        "ST*837*0003*005010X222A1~", "BHT*0019*00*0000000010003*20261127*1405*CH~",
        "NM1*41*2*MAPLE STREET FAMILY MEDICINE*****46*MAPLE01~", "PER*IC*PAT DOE*TE*2175550100~",
        "NM1*40*2*EXAMPLE CLEARINGHOUSE*****46*CLEARHOUSE01~", "HL*1**20*1~", "PRV*BI*PXC*207Q00000X~",
        "NM1*85*2*MAPLE STREET FAMILY MEDICINE*****XX*1234567893~", "N3*100 MAPLE ST~",
        "N4*SPRINGFIELD*IL*627011234~", "REF*EI*123456789~", "HL*2*1*22*0~", "SBR*P*18*GRP001******BL~",
        "NM1*IL*1*GARCIA*JOSE****MI*XYZ123456789~", "N3*12 OAK ST~", "N4*SPRINGFIELD*IL*62701~",
        "DMG*D8*19700501*M~", "NM1*PR*2*BLUE CROSS BLUE SHIELD OF ILLINOIS*****PI*BCBS1~",
        "CLM*E1*125***11:B:1*Y*A*Y*Y~", "HI*ABK:E119~", "LX*1~", "SV1*HC:99213*125*UN*1***1~",
        "DTP*472*D8*20261120~", "REF*6R*E1-1~", "SE*25*0003~",
    ]


def test_claims_past_the_transaction_limit_start_a_new_st(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claim837, "MAX_CLAIMS_PER_TRANSACTION", 2)
    text = write([make_encounter(f"E{n}") for n in range(5)])
    assert [line for line in text.splitlines() if line.startswith("ST*")] == [
        "ST*837*0001*005010X222A1~", "ST*837*0002*005010X222A1~", "ST*837*0003*005010X222A1~"]
    assert check_837_rules(text) == []


@pytest.mark.parametrize(
    ("encounters", "words"),
    [
        ([make_encounter("E6", {"payer_id": None})], "self-pay"),
        ([make_encounter("E1"), make_encounter("E1")], "appears twice"),
        ([make_encounter("E1", {"payer_id": "NOPE"})], "not on the Payers sheet"),
        ([make_encounter("E1", {"member_id": "AB*12"})], "Encounters!Q2: member_id contains '*'"),
        ([make_encounter("E1", {"charge": None})], "Encounters!V2: charge is missing"),
        ([make_encounter("E1", {"patient": Person("李", "小龙", dt.date(1990, 1, 1), "M",
                                                  "1 A St", "X", "IL", "62701")})], "patient_last_name"),
        ([make_encounter("E1", {"diagnoses": TWELVE[:4]}, {"diagnoses": TWELVE[4:8]},
                         {"diagnoses": TWELVE[8:] + ("Z23",)})], "more than 12 diagnoses"),
        ([make_encounter("E1", {"subscriber_relationship": "child", "subscriber": None})],
         "subscriber_last_name"),
        ([make_encounter("E1", {"referring_npi": REFERRING_NPI})], "referring_name is needed"),
        ([make_encounter("E1", {"rendering_npi": "1234567890"})], "not a valid NPI"),
        ([make_encounter("E1", {"patient": Person("Doe", "J", dt.date(1990, 1, 1), "M",
                                                  "1 A St", "Xy", "IL", "6270")})], "ZIP"),
        ([make_encounter("E1", {"patient": Person("Doe", "J", dt.date(1990, 1, 1), "M",
                                                  "1 A St", "X~", "IL", "62701")})],
         "patient_city is shorter than the 2 characters"),
        ([make_encounter("E1", {"member_id": "A"})], "member_id is shorter"),
        # a later line's own values, after a first line whose procedure and place passed
        ([make_encounter("E1", {}, {"modifiers": ("2*",)})], "modifier1 contains '*'"),
        ([make_encounter("E1"), make_encounter("E2", {"procedure_code": "992*3"})],
         "procedure_code contains '*'"),
        ([make_encounter("E1", {}, {"place_of_service": "2"})], "place_of_service must be a 2-digit"),
    ],
)
def test_data_the_checks_should_have_held_back_is_refused(encounters: list[Encounter], words: str) -> None:
    with pytest.raises((ClaimInputError, ValueError)) as info:
        write(encounters)
    assert words in str(info.value)
    for secret in ("AB*12", "李", "XYZ123456789", "GARCIA"):
        assert secret not in str(info.value)


def test_config_that_cannot_fill_the_envelope_is_a_config_error() -> None:
    config = make_config(phone="")
    bad = type(config)(config.practice, type(config.submitter)("MAPLE01", "M", "", ""), config.receiver)
    with pytest.raises(ConfigError, match=r"\[submitter\] phone"):
        write([make_encounter("E1")], party=bad.billing_party)
    bad_id = type(config)(config.practice, type(config.submitter)("MAPLE~01", "M"), config.receiver)
    with pytest.raises(ConfigError, match=r"\[submitter\] id contains '~'"):
        write([make_encounter("E1")], party=bad_id.billing_party)
    with pytest.raises(ValueError, match="no encounters"):
        write([])


def test_a_thousand_claims_write_and_read_back() -> None:
    """(How fast is measured in benchmarks/, never asserted in a test.)"""
    encounters = [make_encounter(f"E{n}", {}, {"procedure_code": "36415"}) for n in range(1000)]
    text = write(encounters)
    claims = read_837p(text, "big.837")
    assert len(claims) == 1000 and check_837_rules(text) == []


def test_hostile_practice_and_payer_names_are_cleaned() -> None:
    payers = {"BCBS1": Payer("BCBS1", "Blue*Cross~Ünited:\nPlan^", "BL")}
    text = write([make_encounter("E1")], party=make_config(name="Maple & Sons*~ Clinic\n").billing_party,
                 payers=payers)
    assert "NM1*85*2*MAPLE & SONS CLINIC*****XX*1234567893~" in text.splitlines()
    assert "NM1*PR*2*BLUE CROSS UNITED PLAN*****PI*BCBS1~" in text.splitlines()
    assert check_837_rules(text) == []
