"""Corrections of any field from the denial worklist: member id, rebill to another payer, notes."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from denials_support import (  # noqa: F401  (fixtures)
    NOW,
    billed_template_fixture,
    deny,
    edit_worklist,
    practice_fixture,
    reject,
    worklist_rows,
)
from pypdf import PdfReader
from x12_judge import validate_with_pyx12

from medsheets.denials.resubmit import resubmit_worklist
from medsheets.denials.worklist import make_worklist
from medsheets.ledger import Ledger
from medsheets.ledger.invariants import verify_ledger
from medsheets.ledger.schema import claim_events, claims, journal
from medsheets.paper.batch import PREPRINTED_SUFFIX
from medsheets.practice import Practice
from medsheets.x12.reader import read_x12

PAPER = "CHWF1"  # the example's union health fund takes paper claims


def first_claim(practice: Practice, payer: str | None = None) -> tuple[str, str, str]:
    """(encounter id, payer id, member id) of a billed claim, to `payer` if given."""
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        query = sa.select(claims.c.encounter_id, claims.c.payer_id, claims.c.member_id).where(
            claims.c.payer_id.is_not(None)).order_by(claims.c.id)
        rows = tx.conn.execute(query).all()
    ledger.close()
    return next(tuple(r) for r in rows if payer is None or r.payer_id == payer)


def made(practice: Practice) -> Path:
    return make_worklist(practice, practice.root / "made.xlsx", as_of=NOW.date()).path


def claim_row(practice: Practice, encounter_id: str):
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        row = tx.conn.execute(sa.select(claims).where(claims.c.encounter_id == encounter_id)).one()
        events = tx.conn.execute(sa.select(claim_events.c.event).where(
            claim_events.c.claim_id == row.id).order_by(claim_events.c.id)).scalars().all()
    ledger.close()
    return row, events


def claims_in(text: str) -> list[tuple[str, str, str, str, str]]:
    """(payer id, member id, CLM01, frequency, REF*F8) of every claim in an 837."""
    found = []
    (interchange,) = read_x12(text, "x.837")
    for transaction in interchange.transactions():
        payer = member = ""
        for seg in transaction.body:
            if seg.id == "NM1" and seg.element(1) == "IL":
                member = seg.element(9)
            elif seg.id == "NM1" and seg.element(1) == "PR":
                payer = seg.element(9)
            elif seg.id == "CLM":
                found.append([payer, member, seg.element(1), seg.components(5)[2], ""])
            elif seg.id == "REF" and seg.element(1) == "F8" and found:
                found[-1][4] = seg.element(2)
    return [tuple(item) for item in found]


def test_a_member_id_rejection_is_corrected_with_the_new_member_id(practice: Practice) -> None:
    eid, payer, member = first_claim(practice)
    reject(practice, eid, "A7-33-IL")
    path = made(practice)
    rows = [r for r in worklist_rows(path) if r["encounter_id"] == eid]
    assert rows[0]["member_id"] == member and rows[0]["bill_payer"] == payer
    assert "member_id" in rows[0]["suggested_action"]
    assert "the subscriber and the member id were not found" in rows[0]["explanation"]
    edited = edit_worklist(path, {(eid, 1): {"member_id": "NEW123456", "action": "correct"}})
    result = resubmit_worklist(practice, edited, now=NOW)
    assert not result.has_errors, result.problems
    assert result.sent_again == [eid] and result.batch_file is not None
    assert validate_with_pyx12(result.batch_file) == []
    assert claims_in(result.batch_file.read_text()) == [(payer, "NEW123456", eid, "1", "")]
    row, _ = claim_row(practice, eid)
    assert row.member_id == "NEW123456"


def test_a_claim_without_a_changed_member_id_goes_out_as_billed(practice: Practice) -> None:
    eid, payer, member = first_claim(practice)
    reject(practice, eid, "A7-562-85")
    edited = edit_worklist(made(practice), {(eid, 1): {"action": "correct"}})
    result = resubmit_worklist(practice, edited, now=NOW)
    assert result.batch_file is not None
    assert claims_in(result.batch_file.read_text()) == [(payer, member, eid, "1", "")]


def test_a_wrong_payer_denial_is_rebilled_to_the_new_payer_and_voided_once(practice: Practice) -> None:
    eid, payer, _ = first_claim(practice)
    other = "BSTAR" if payer != "BSTAR" else "PRAHM"
    deny(practice, eid, "CO-109", "ICN0109")
    path = made(practice)
    row = next(r for r in worklist_rows(path) if r["encounter_id"] == eid)
    assert row["suggested_action"].startswith("rebill:")
    edited = edit_worklist(path, {(eid, 1): {"action": "rebill", "bill_payer": other,
                                             "member_id": "W998877"}})
    result = resubmit_worklist(practice, edited, now=NOW)
    assert not result.has_errors, result.problems
    assert result.rebilled == [(eid, payer, other)] and result.voided == [eid]
    assert result.batch_file is not None and validate_with_pyx12(result.batch_file) == []
    sent = claims_in(result.batch_file.read_text())
    assert sorted(sent) == sorted([(payer, row["member_id"], eid, "8", "ICN0109"),
                                   (other, "W998877", eid, "1", "")])
    claim, events = claim_row(practice, eid)
    assert (claim.payer_id, claim.member_id, claim.status) == (other, "W998877", "billed")
    assert events.count("voided") == 1 and events.count("rebilled") == 1

    again = resubmit_worklist(practice, edited, now=NOW)
    assert again.rebilled == [] and again.voided == [] and again.batch_file is None
    assert claim_row(practice, eid)[1].count("voided") == 1
    assert breaches(practice) == []  # the first payer's entries stay with the payer it left


def breaches(practice: Practice) -> list[str]:
    ledger = Ledger.open(practice.db_url)
    try:
        return [str(b) for _, found in verify_ledger(ledger) for b in found]
    finally:
        ledger.close()


def test_an_entry_naming_a_payer_never_billed_still_breaks_the_ledger(practice: Practice) -> None:
    eid, payer, _ = first_claim(practice)
    other = "BSTAR" if payer != "BSTAR" else "PRAHM"
    deny(practice, eid, "CO-109", "ICN0109")
    edited = edit_worklist(made(practice), {(eid, 1): {"action": "rebill", "bill_payer": other}})
    assert not resubmit_worklist(practice, edited, now=NOW).has_errors
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        claim_id = tx.find_claim(eid).id
        charge = tx.conn.execute(sa.select(journal).where(journal.c.claim_id == claim_id)
                                 .order_by(journal.c.id.desc())).first()
    ledger.close()
    values = {name: getattr(charge, name) for name in journal.c.keys() if name != "id"}  # noqa: SIM118
    engine = sa.create_engine(practice.db_url)
    with engine.begin() as conn:  # the test-only path: a row written straight in, unchecked
        stray = conn.execute(journal.insert().values(**{**values, "payer_id": "NOTBILLED",
                                                        "amount_cents": 0})).inserted_primary_key[0]
    engine.dispose()
    assert breaches(practice) == [f"entry: entry {stray}: names another payer than claim {claim_id}'s"]


def test_a_rebill_to_a_paper_payer_is_printed_and_the_void_sent(practice: Practice) -> None:
    eid, payer, member = first_claim(practice)
    deny(practice, eid, "CO-109", "ICN0109")
    edited = edit_worklist(made(practice), {(eid, 1): {"action": "rebill", "bill_payer": PAPER,
                                                       "member_id": "CHW00990011"}})
    result = resubmit_worklist(practice, edited, now=NOW)
    assert not result.has_errors, result.problems
    assert result.rebilled == [(eid, payer, PAPER)] and result.rebilled_on_paper == [eid]
    assert result.batch_file is not None and validate_with_pyx12(result.batch_file) == []
    assert claims_in(result.batch_file.read_text()) == [(payer, member, eid, "8", "ICN0109")]
    plain, red = result.paper_files
    assert red.name == plain.name[:-4] + PREPRINTED_SUFFIX and plain.stat().st_mode & 0o777 == 0o600
    text = "\n".join(page.extract_text() for page in PdfReader(plain).pages)
    assert "CHW00990011" in text and eid in text and "CARPENTERS" in text
    claim, events = claim_row(practice, eid)
    assert (claim.payer_id, claim.member_id, claim.batch_id) == (PAPER, "CHW00990011", None)
    assert events.count("voided") == 1 and events.count("rebilled") == 1 and "billed" in events
    assert breaches(practice) == []

    plain.unlink()  # a run killed before its PDF was written: the next run restores it
    again = resubmit_worklist(practice, edited, now=NOW)
    assert plain.name in again.restored_files and plain.exists()
    assert again.rebilled == [] and again.paper_files == [] and again.batch_file is None
    assert claim_row(practice, eid)[1].count("voided") == 1


def test_a_rejected_claim_is_rebilled_with_a_ledger_only_void(practice: Practice) -> None:
    eid, payer, _ = first_claim(practice)
    other = "BSTAR" if payer != "BSTAR" else "PRAHM"
    reject(practice, eid, "A7-116-PR")
    edited = edit_worklist(made(practice), {(eid, 1): {"action": "rebill", "bill_payer": other}})
    result = resubmit_worklist(practice, edited, now=NOW)
    assert not result.has_errors, result.problems
    assert result.voided_in_ledger == [eid] and result.batch_file is not None
    assert [c[0] for c in claims_in(result.batch_file.read_text())] == [other]
    assert validate_with_pyx12(result.batch_file) == []


def test_rebill_to_an_unknown_payer_or_the_same_one_is_refused(practice: Practice) -> None:
    eid, payer, _ = first_claim(practice)
    deny(practice, eid, "CO-27", "ICN0027")
    path = made(practice)
    for target, code in (("NOSUCH", "MS-WL-REBILL-PAYER"), (payer, "MS-WL-REBILL-SAME")):
        edited = edit_worklist(path, {(eid, 1): {"action": "rebill", "bill_payer": target}},
                               practice.root / f"w-{code}.xlsx")
        result = resubmit_worklist(practice, edited, now=NOW)
        assert [p.code for p in result.problems if p.is_error] == [code]
        assert result.batch_file is None and claim_row(practice, eid)[1].count("voided") == 0


def test_a_note_is_kept_with_its_row(practice: Practice) -> None:
    eid, _, _ = first_claim(practice)
    deny(practice, eid, "CO-16 N290", "ICN0016")
    edited = edit_worklist(made(practice), {(eid, 1): {"note": "called payer 12/15, ref 8812"}})
    result = resubmit_worklist(practice, edited, now=NOW)
    assert result.noted == 1
    again = [r for r in worklist_rows(made(practice)) if r["encounter_id"] == eid]
    assert again[0]["note"] == "called payer 12/15, ref 8812"
    assert resubmit_worklist(practice, edited, now=NOW).noted == 0  # the same note is kept once
