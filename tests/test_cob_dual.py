"""Medicare + Medicaid (a dual-eligible patient), from the workbook to the balance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cob_support import (
    DUAL,
    LATER,
    bill,
    by_payer,
    medicaid_835,
    medicare_835,
    patient_owes,
    payer_owes,
    post,
    segments,
    transaction_to,
    visit,
    write_day,
)


def test_dual_eligible_medicaid_billed_once_after_medicare_then_paid(practice_dir: Path) -> None:
    day = write_day(practice_dir, visit("EDUAL1", **DUAL))
    first = bill(practice_dir, [day])
    assert [e.encounter_id for e in first.billed] == ["EDUAL1"] and first.secondary == []
    to_medicare = transaction_to(first.batch_file, "MCRB1")
    # the primary claim names the secondary: 2320 SBR*S, 2330A the insured, 2330B the payer
    assert "SBR*S*18*******MC" in to_medicare and "OI***Y***Y" in to_medicare
    assert "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in to_medicare
    assert "NM1*PR*2*PRAIRIE STATE MEDICAID (EXAMPLE)*****PI*ILMCD" in to_medicare
    assert not any(s.startswith(("AMT*D", "SVD")) for s in to_medicare)

    assert bill(practice_dir, []).secondary == []  # nothing adjudicated yet: no COB claim
    post(practice_dir, medicare_835("EDUAL1"), "medicare.835")
    assert patient_owes(practice_dir, "900100") == Decimal("19.11")

    cob = bill(practice_dir, [], now=LATER)
    assert [(c.encounter.encounter_id, c.payer_id) for c in cob.secondary] == [("EDUAL1", "ILMCD")]
    sent = transaction_to(cob.batch_file, "ILMCD")
    assert "SBR*S*18*******MC" in sent  # 2000B: this claim is to the secondary
    assert "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in sent
    assert "SBR*P*18*******MB" in sent  # 2320: the primary, with what it decided
    assert "AMT*D*76.44" in sent and "AMT*EAF*19.11" in sent
    assert "NM1*PR*2*MEDICARE PART B (EXAMPLE CONTRACTOR)*****PI*MCRB1" in sent
    lines = sent[sent.index("LX*1"):]
    assert lines[lines.index("SVD*MCRB1*70.2*HC:99213**1") + 1:][:3] == [
        "CAS*CO*45*47.25", "CAS*PR*2*17.55", "DTP*573*D8*20261201"]
    assert "SVD*MCRB1*6.24*HC:36415**1" in lines
    assert "CLM*EDUAL1*147***11:B:1*Y*A*Y*Y" in sent

    # re-running bills the secondary never twice, with or without the workbook
    assert bill(practice_dir, [], now=LATER).secondary == []
    again = bill(practice_dir, [day], now=LATER)
    assert again.secondary == [] and again.already_billed == ["EDUAL1"]

    post(practice_dir, medicaid_835("EDUAL1"), "medicaid.835")
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")
    money = by_payer(practice_dir)
    assert money[("payment", "MCRB1")] == Decimal("76.44")
    assert money[("payment", "ILMCD")] == Decimal("17.11")  # the Medicaid money under Medicaid
    assert money[("adjustment", "ILMCD")] == Decimal("2.00")
    assert "MCRB1" not in payer_owes(practice_dir) and "ILMCD" not in payer_owes(practice_dir)
    assert segments(cob.batch_file)[0].startswith("ISA")
