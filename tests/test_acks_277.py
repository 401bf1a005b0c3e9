"""`medsheets acks` on 277CAs: claims accepted (acceptance date kept once, payer claim number)
or rejected with their STC codes; unknown claims reported; adjudicated claims keep their status."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from acks_support import SentBatch, ack_277, billed_once, copy_practice, query, sent_batch
from x12_judge import validate_with_pyx12

from medsheets.acks.ack277 import read_277ca
from medsheets.ledger import ClaimStatus, Ledger
from medsheets.practice import open_practice
from medsheets.x12.reader import read_x12

# The example's paper claim is billed with a claim event of its own (source 'paper'): the
# queries below leave it out, they are about what the acknowledgment said.


@pytest.fixture(scope="module")
def billed_template(practice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return billed_once(practice_template, tmp_path_factory.mktemp("acks277"))


@pytest.fixture
def billed(billed_template: Path, tmp_path: Path) -> Path:
    return copy_practice(billed_template, tmp_path / "practice")


@pytest.fixture(scope="module")
def sent(billed_template: Path) -> SentBatch:
    return sent_batch(billed_template)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    assert validate_with_pyx12(path) == []
    return path


def said(sent: SentBatch, eid: str, *statuses: str) -> tuple[str, str, str, list[str]]:
    return (eid, sent.charges[eid], sent.members[eid], list(statuses))


def reference(sent: SentBatch, st02: str) -> str:
    return f"{sent.interchange_control:09d}{st02}"


def claim_row(root: Path, eid: str) -> tuple:  # type: ignore[type-arg]
    [row] = query(root, "SELECT status, accepted_at, payer_claim_number FROM claims "
                        f"WHERE encounter_id = '{eid}'")
    return row


def test_277ca_accepts_some_claims_and_rejects_others(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    st02 = next(iter(sent.sets))
    a, b, c = sent.sets[st02][:3]
    text = ack_277(reference(sent, st02), [
        said(sent, a, "A2:20:PR|1K:PCN-0001"),
        said(sent, b, "A7:562:85", "A6:35:IL"),
        said(sent, c, "A1:19:PR"),
    ])
    result = invoke("acks", "--practice", billed, write(tmp_path, "day.277", text))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        (f"day.277: claim {b} rejected A7-562-85 A6-35-IL: A7-562-85 rejected: information is not "
        "valid: the entity's National Provider Identifier (NPI) (about the billing provider); "
        "A6-35-IL rejected: information is missing: the payer has no record of this claim (about "
        "the subscriber)"),
        "accepted: 2 claims",
        "rejected: 1 claims; correct them first (medsheets denials)",
    ]
    accepted_on = "2026-11-26 00:00:00.000000"
    assert claim_row(billed, a) == ("accepted", accepted_on, "PCN-0001")
    assert claim_row(billed, b) == ("rejected", None, None)
    assert claim_row(billed, c) == ("accepted", accepted_on, None)
    events = query(billed, "SELECT c.encounter_id, e.source, e.event, e.reason_codes, "
                           "e.payer_claim_number, e.effective_date FROM claim_events e "
                           "JOIN claims c ON c.id = e.claim_id WHERE e.source <> 'paper' ORDER BY e.id")
    assert events == [
        (a, "277CA", "accepted", "A2-20-PR", "PCN-0001", "2026-11-26"),
        (b, "277CA", "rejected", "A7-562-85 A6-35-IL", None, "2026-11-26"),
        (c, "277CA", "accepted", "A1-19-PR", None, "2026-11-26"),
    ]
    untouched = query(billed, f"SELECT DISTINCT status FROM claims WHERE encounter_id NOT IN "
                              f"('{a}', '{b}', '{c}') AND payer_id IS NOT NULL")
    assert untouched == [("billed",)]


def test_the_acceptance_date_is_kept_from_the_first_acceptance(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    st02 = next(iter(sent.sets))
    eid = sent.sets[st02][0]
    first = write(tmp_path, "first.277", ack_277(reference(sent, st02), [said(sent, eid, "A1:19:PR")]))
    later = ack_277(reference(sent, st02), [said(sent, eid, "A2:20:PR|1K:PAYER-77")], control=800002)
    later_path = write(tmp_path, "later.277", later.replace("20261126", "20261130"))
    assert invoke("acks", "--practice", billed, first).exit_code == 0
    assert invoke("acks", "--practice", billed, later_path).exit_code == 0
    assert claim_row(billed, eid) == ("accepted", "2026-11-26 00:00:00.000000", "PAYER-77")
    assert query(billed, "SELECT event, effective_date FROM claim_events WHERE source <> 'paper' ORDER BY id") == [
        ("accepted", "2026-11-26"), ("accepted", "2026-11-30")]


def test_an_adjudicated_claim_keeps_its_status_but_the_event_is_recorded(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    st02 = next(iter(sent.sets))
    eid = sent.sets[st02][0]
    ledger = Ledger.open(open_practice(billed).db_url)
    with ledger.transaction() as tx:
        claim = tx.find_claim(eid)
        assert claim is not None
        tx.set_claim_status(claim.id, ClaimStatus.PAID)
    ledger.close()
    text = ack_277(reference(sent, st02), [said(sent, eid, "A3:21")])
    result = invoke("acks", "--practice", billed, write(tmp_path, "late.277", text))
    assert result.exit_code == 0
    assert f"claim {eid} rejected A3-21 (already adjudicated: status kept)" in result.output
    assert claim_row(billed, eid)[0] == "paid"
    assert query(billed, "SELECT event FROM claim_events WHERE source <> 'paper'") == [("rejected",)]


def test_a_claim_medsheets_never_billed_is_reported_and_exits_one(
    billed: Path, sent: SentBatch, tmp_path: Path, invoke
) -> None:
    st02 = next(iter(sent.sets))
    known = sent.sets[st02][0]
    text = ack_277(reference(sent, st02), [said(sent, known, "A1:19:PR"),
                                           ("E999999-01", "100", "XYZ", ["A7:21"])])
    result = invoke("acks", "--practice", billed, write(tmp_path, "mixed.277", text))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "mixed.277: MS-ACK-UNKNOWN-CLAIM 277CA names claim E999999-01, which medsheets never "
        "billed; check it is this practice's file")
    assert claim_row(billed, known)[0] == "accepted"


def test_a_277_of_another_guide_is_refused(billed: Path, sent: SentBatch, tmp_path: Path, invoke) -> None:
    st02 = next(iter(sent.sets))
    text = ack_277(reference(sent, st02), [said(sent, sent.sets[st02][0], "A1:19:PR")])
    path = tmp_path / "status.277"
    path.write_text(text.replace("005010X214", "005010X213"))  # a request-for-information 277
    result = invoke("acks", "--practice", billed, path)
    assert result.exit_code == 2
    assert "not a 999, a 277CA (005010X214) or a 277 (005010X212)" in result.stderr


def test_the_reader_keeps_line_statuses_and_extra_status_composites(tmp_path: Path) -> None:
    text = ack_277("0000000010001", [("E1", "100", "M1", ["A2:20:PR"])])
    text = text.replace("DTP*472*D8*20261123~", "DTP*472*D8*20261123~\nSVC*HC:99213*100~\n"
                        "STC*A7:453:82*20261126*U*******A7:21~\nREF*FJ*E1-1~")
    text = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m.group(1)) + 3}*", text)
    write(tmp_path, "lines.277", text)
    [interchange] = read_x12(text, "lines.277")
    [transaction] = interchange.transactions()
    report = read_277ca(transaction)
    assert report.batch_reference == "0000000010001"
    [claim] = report.claims
    assert [s.token for s in claim.all_statuses] == ["A2-20-PR", "A7-453-82", "A7-21"]
    assert claim.lines[0].control_number == "E1-1" and claim.lines[0].procedure_code == "99213"
    assert claim.outcome == "rejected"
    assert claim.effective_date == dt.date(2026, 11, 26)
