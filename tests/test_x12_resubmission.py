"""The 837P writer's corrected (frequency 7) and void (8) claims: CLM05-3 and REF*F8."""

from __future__ import annotations

from pathlib import Path

import pytest
from x12_judge import NOW, PAYERS, check_837_rules, make_config, make_encounter, validate_with_pyx12

from medsheets.x12.claim837 import write_837p
from medsheets.x12.claim_loops import Resubmission
from medsheets.x12.envelope import ControlNumbers
from medsheets.x12.errors import ClaimInputError


def write(resubmissions: dict[str, Resubmission], *encounter_ids: str) -> str:
    encounters = [make_encounter(eid, {"prior_auth": "PA77"} if eid == "E1" else {})
                  for eid in encounter_ids or ("E1", "E2", "E3")]
    return write_837p(encounters, party=make_config().billing_party, payers=PAYERS, control=ControlNumbers(9, 9, 1),
                      now=NOW, line_control_numbers={}, resubmissions=resubmissions)


def claim_segments(text: str, encounter_id: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"CLM*{encounter_id}*")))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("HI*", "HL*", "SE*")))
    return lines[start:end]


def test_corrected_void_and_original_claims_in_one_batch_pass_pyx12(tmp_path: Path) -> None:
    text = write({"E1": Resubmission("7", "ICN-2026-0001"), "E2": Resubmission("8", "99001234")})
    path = tmp_path / "resubmit.837"
    path.write_text(text)
    assert validate_with_pyx12(path) == []
    assert check_837_rules(text) == []
    assert claim_segments(text, "E1") == ["CLM*E1*125***11:B:7*Y*A*Y*Y~", "REF*G1*PA77~",
                                          "REF*F8*ICN-2026-0001~"]
    assert claim_segments(text, "E2") == ["CLM*E2*125***11:B:8*Y*A*Y*Y~", "REF*F8*99001234~"]
    assert claim_segments(text, "E3") == ["CLM*E3*125***11:B:1*Y*A*Y*Y~"]


def test_without_resubmissions_every_claim_is_an_original() -> None:
    text = write({})
    assert all(line.split("*")[5] == "11:B:1" for line in text.splitlines() if line.startswith("CLM*"))
    assert "REF*F8" not in text


@pytest.mark.parametrize(
    ("resubmission", "words"),
    [
        (Resubmission("7", ""), "payer claim number of claim E1 is empty"),
        (Resubmission("8", "ICN*1"), "contains '*'"),
        (Resubmission("7", "9" * 51), "longer than 50"),
    ],
)
def test_a_payer_claim_number_that_cannot_be_sent_is_refused(resubmission: Resubmission, words: str) -> None:
    with pytest.raises(ClaimInputError, match=words) as info:
        write({"E1": resubmission}, "E1")
    assert "Encounters!" in str(info.value)


def test_only_replacement_and_void_are_resubmissions() -> None:
    with pytest.raises(ValueError, match="not 7"):
        write({"E1": Resubmission("1", "ICN1")}, "E1")
