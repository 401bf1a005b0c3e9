"""`medsheets acks` on 999s: a rejected transaction set rejects its claims, with the segment and
element at fault; an accepted one changes nothing; a file read twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from acks_support import (
    SentBatch,
    ack_999,
    billed_once,
    clm_position,
    copy_practice,
    ik3,
    query,
    sent_batch,
)
from shared_samples import SAMPLES as SHARED_SAMPLES
from shared_samples import needs_samples
from x12_judge import validate_with_pyx12

# The example's paper claim is billed with a claim event of its own (source 'paper'): the
# queries below leave it out, they are about what the acknowledgment said.


@pytest.fixture(scope="module")
def billed_template(practice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return billed_once(practice_template, tmp_path_factory.mktemp("acks999"))


@pytest.fixture
def billed(billed_template: Path, tmp_path: Path) -> Path:
    return copy_practice(billed_template, tmp_path / "practice")


@pytest.fixture(scope="module")
def sent(billed_template: Path) -> SentBatch:
    return sent_batch(billed_template)


def statuses(root: Path) -> dict[str, str]:
    return dict(query(root, "SELECT encounter_id, status FROM claims"))  # type: ignore[arg-type]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    assert validate_with_pyx12(path) == []
    return path


def rejecting_999(billed: Path, sent: SentBatch) -> tuple[str, list[str], int, str]:
    """A 999 accepting the first set and rejecting the second because of its second claim."""
    first, second = list(sent.sets)[:2]
    culprit = sent.sets[second][1]
    position = clm_position(billed, second, culprit)
    sets = [(first, "A", []),
            (second, "R", ik3("CLM", position, "2300", "8", None, ("5", "3"), "7"))]
    text = ack_999(sent.group_control, sets, "P", (len(sent.sets), len(sent.sets), len(sent.sets) - 1))
    return second, sent.sets[second], position, text


def test_a_rejected_set_rejects_each_of_its_claims_naming_the_fault(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    second, claims, position, text = rejecting_999(billed, sent)
    path = write(tmp_path, "batch1.999", text)
    before = statuses(billed)
    result = invoke("acks", "--practice", billed, path)
    assert result.exit_code == 0, result.output
    culprit = claims[1]
    lines = result.output.splitlines()
    assert (f"batch1.999: claim {culprit} rejected IK5-R CLM@{position}-8 CLM05:3-7: transaction "
            f"set {second} rejected: segment CLM at position {position} of the set (loop 2300): an "
            "element of this segment is wrong (see the element note); CLM05:3: the code is not one "
            "of the allowed values; one or more segments are wrong") in lines
    for other in (c for c in claims if c != culprit):
        assert any(line.startswith(f"batch1.999: claim {other} rejected IK5-R")
                   and f"because of an error in claim {culprit}" in line for line in lines)
    assert f"rejected: {len(claims)} claims; correct them first (medsheets denials)" in lines
    assert "999: 1 transaction sets accepted as well formed" in lines
    after = statuses(billed)
    assert {eid for eid, status in after.items() if status == "rejected"} == set(claims)
    assert {eid: s for eid, s in after.items() if eid not in claims} == {
        eid: s for eid, s in before.items() if eid not in claims}
    events = query(billed, "SELECT c.encounter_id, e.source, e.event, e.reason_codes, e.detail "
                           "FROM claim_events e JOIN claims c ON c.id = e.claim_id WHERE e.source <> 'paper'")
    assert sorted(e[0] for e in events) == sorted(claims)
    assert {(e[1], e[2]) for e in events} == {("999", "rejected")}
    at_fault = {e[0]: json.loads(e[4])["at_fault"] for e in events}
    assert at_fault == {c: c == culprit for c in claims}
    assert query(billed, "SELECT COUNT(*) FROM claims WHERE accepted_at IS NOT NULL") == [(0,)]


def test_the_same_999_again_changes_nothing(billed: Path, sent: SentBatch, tmp_path: Path, invoke) -> None:
    _, claims, _, text = rejecting_999(billed, sent)
    path = write(tmp_path, "batch1.999", text)
    assert invoke("acks", "--practice", billed, path).exit_code == 0
    events = query(billed, "SELECT * FROM claim_events WHERE source <> 'paper'")
    again = invoke("acks", "--practice", billed, path)
    assert again.exit_code == 0
    assert again.output == "batch1.999: already read (nothing changed)\n"
    assert query(billed, "SELECT * FROM claim_events WHERE source <> 'paper'") == events
    # The same answer re-sent under another interchange number is recognised claim by claim.
    resent = write(tmp_path, "resent.999", text.replace("000700001", "000700002")
                   .replace("*700001*", "*700002*").replace("GE*1*700001", "GE*1*700002"))
    third = invoke("acks", "--practice", billed, resent)
    assert third.exit_code == 0, third.output
    assert f"already recorded: {len(claims)} claim answers (nothing recorded twice)" in third.output
    assert query(billed, "SELECT * FROM claim_events WHERE source <> 'paper'") == events


def test_an_accepting_999_changes_no_claim(billed: Path, sent: SentBatch, tmp_path: Path, invoke) -> None:
    count = len(sent.sets)
    text = ack_999(sent.group_control, [(st02, "A", []) for st02 in sent.sets], "A", (count,) * 3)
    before = statuses(billed)
    result = invoke("acks", "--practice", billed, write(tmp_path, "ok.999", text))
    assert result.exit_code == 0
    assert result.output == f"999: {count} transaction sets accepted as well formed\n"
    assert statuses(billed) == before
    assert query(billed, "SELECT COUNT(*) FROM claim_events WHERE source <> 'paper'") == [(0,)]
    assert query(billed, "SELECT kind, file_name FROM ack_files") == [("999", "ok.999")]


def test_a_group_rejected_whole_rejects_every_claim_of_the_batch(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    text = ack_999(sent.group_control, [], "R", (len(sent.sets), len(sent.sets), 0))
    text = text.replace(f"AK9*R*{len(sent.sets)}*{len(sent.sets)}*0~",
                        f"AK9*R*{len(sent.sets)}*{len(sent.sets)}*0*5~")
    result = invoke("acks", "--practice", billed, write(tmp_path, "all.999", text))
    assert result.exit_code == 0
    assert result.output.splitlines()[0].endswith(
        "rejected AK9-R: transaction set 0001 rejected: GE01 does not count the transaction sets sent")
    every = [eid for claims in sent.sets.values() for eid in claims]
    assert f"rejected: {len(every)} claims; correct them first (medsheets denials)" in result.output
    assert query(billed, "SELECT DISTINCT reason_codes FROM claim_events WHERE source <> 'paper'") == [("AK9-R",)]
    assert sorted(e for e, s in statuses(billed).items() if s == "rejected") == sorted(every)


def test_a_999_for_a_batch_never_sent_exits_one(billed: Path, tmp_path: Path, invoke) -> None:
    text = ack_999(4242, [("0001", "R", [])], "R", (1, 1, 0))
    result = invoke("acks", "--practice", billed, write(tmp_path, "other.999", text))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "other.999: MS-ACK-UNKNOWN-BATCH 999 0001 answers group 4242, which medsheets did not "
        "send; check it is this practice's file")
    assert query(billed, "SELECT COUNT(*) FROM claim_events WHERE source <> 'paper'") == [(0,)]


def test_a_damaged_file_stops_the_run_and_changes_nothing(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    *_, text = rejecting_999(billed, sent)
    good = write(tmp_path, "good.999", text)
    cut = tmp_path / "cut.999"
    cut.write_text(text[: len(text) // 2])
    result = invoke("acks", "--practice", billed, good, cut)
    assert result.exit_code == 2
    assert result.stderr.startswith("medsheets: error: cut.999: ")
    assert query(billed, "SELECT COUNT(*) FROM claim_events WHERE source <> 'paper'") == [(0,)]
    assert query(billed, "SELECT COUNT(*) FROM ack_files") == [(0,)]


@needs_samples
def test_an_835_given_to_acks_is_refused_with_the_right_command(billed: Path, invoke) -> None:
    remit = SHARED_SAMPLES / "835" / "lfh_managed-care.835"
    result = invoke("acks", "--practice", billed, remit)
    assert result.exit_code == 2
    assert result.stderr == ("medsheets: error: lfh_managed-care.835: is a remittance (835); post "
                             "it with 'medsheets remit'; 'medsheets acks' reads 999 and 277CA files\n")


def test_an_error_in_the_set_header_is_every_claims_reason(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    st02 = next(iter(sent.sets))
    errors = ik3("NM1", 5, "1000", "8", None, ("9",), "4")
    text = ack_999(sent.group_control, [(st02, "R", errors)], "R", (1, 1, 0))
    result = invoke("acks", "--practice", billed, write(tmp_path, "head.999", text))
    assert result.exit_code == 0
    events = query(billed, "SELECT reason_codes, detail FROM claim_events WHERE source <> 'paper'")
    assert len(events) == len(sent.sets[st02]) + sum(
        len(claims) for number, claims in sent.sets.items() if number != st02)
    mine = [e for e in events if e[0].startswith("IK5-")]
    assert {e[0] for e in mine} == {"IK5-R NM1@5-8 NM109-4"}
    assert len(mine) == len(sent.sets[st02])
    assert all(json.loads(e[1])["explanation"].endswith("NM109: the value is too short; one or "
                                                        "more segments are wrong") for e in mine)
    assert all(not json.loads(e[1])["at_fault"] for e in mine)
    # The group was rejected as a whole: the sets the 999 does not name are rejected too.
    assert {e[0] for e in events if not e[0].startswith("IK5-")} == {"AK9-R"}
