"""Every 835 sample: posted against claims billed to match it, or reported unmatched, or refused.

For each sample that balances, the test first bills, from the sample itself, a claim per CLP
with the same encounter id, lines and charges (as `medsheets claims` would have billed them),
then posts the sample and checks the books claim by claim against what the payer said.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from remit_support import (NOW, SAMPLES, assert_journal_balances, bill_from_835, db_url,
                           paid_to_anyone, rows)
from shared_samples import needs_samples

from medsheets.ledger.schema import journal, remit_claims
from medsheets.practice import open_practice
from medsheets.remit.files import read_remit_file
from medsheets.remit.records import DENIED, PROCESSED
from medsheets.remit.results import POSTED, REFUSED
from medsheets.remit.run import post_remit_files
from medsheets.x12.errors import MissingEnvelopeError

BALANCED = ["aff_nevada_medicaid.txt", "k835_united_healthcare_legacy_sample.txt",
            "lfh_cob-contractural-adjustment.835", "lfh_managed-care.835",
            "lfh_medicare-part-a.835", "lfh_secondary-payment.835", "x12sdk_835_seed7.x12"]


@needs_samples
@pytest.mark.parametrize("name", BALANCED)
def test_a_balanced_sample_posts_every_claim_and_the_books_agree(practice_dir: Path, name: str) -> None:
    sample = SAMPLES / name
    url = db_url(practice_dir)
    billed = bill_from_835(url, sample.read_bytes(), name)
    result = post_remit_files(paid_to_anyone(practice_dir), [sample], now=NOW)
    assert {o.status for o in result.outcomes} == {POSTED} and not result.has_errors
    read = read_remit_file(sample)
    for transaction in read.transactions:
        assert transaction.remittance is not None
        for claim in transaction.remittance.claims:
            claim_id, _ = billed.claims[claim.patient_control_number]
            sums = assert_journal_balances(url, claim_id)
            patient = sum((a.amount for a in claim.all_adjustments if a.group == "PR"), Decimal(0))
            if claim.status in PROCESSED:  # adjudicated: nothing left to the payer
                assert sums["payment"] == claim.paid, (name, claim.patient_control_number)
                assert (sums["payer"], sums["patient"]) == (0, patient)
            elif claim.status == DENIED:  # open for the worklist, nothing posted
                assert sums["payer"] == claim.charge and sums["payment"] == 0
    assert all(r.claim_id is not None for r in rows(url, remit_claims))
    assert result.report_file is not None and result.report_file.is_file()


@needs_samples
def test_samples_for_claims_we_never_billed_are_recorded_as_unmatched(practice_dir: Path) -> None:
    paths = [SAMPLES / name for name in BALANCED]
    result = post_remit_files(paid_to_anyone(practice_dir), paths, now=NOW)
    url = db_url(practice_dir)
    assert {o.status for o in result.outcomes} == {POSTED}
    assert {p.code for p in result.problems if p.is_error} == {"MS-REMIT-UNMATCHED-CLAIM"}
    recorded = rows(url, remit_claims)
    assert len(recorded) == 16 and all(r.claim_id is None for r in recorded)
    assert not [r for r in rows(url, journal) if r.reference not in (None, "copay")]
    codes = {p.code for p in result.problems}
    assert "MS-REMIT-UNMATCHED-CLAIM" in codes and "MS-REMIT-ENVELOPE" in codes


@needs_samples
def test_the_tertiary_sample_does_not_balance_and_is_refused_whole(practice_dir: Path) -> None:
    sample = SAMPLES / "lfh_tertiary-payment.835"
    url = db_url(practice_dir)
    bill_from_835(url, sample.read_bytes(), sample.name)
    before = len(rows(url, journal))
    result = post_remit_files(open_practice(practice_dir), [sample], now=NOW)
    assert [o.status for o in result.outcomes] == [REFUSED] and result.has_errors
    [problem] = result.problems
    assert str(problem.source) == "lfh_tertiary-payment.835:segment 20"
    assert problem.code == "MS-REMIT-UNBALANCED"
    assert "charge 24,599.00 minus adjustments 1,579.00 is 23,020.00" in problem.message
    assert len(rows(url, journal)) == before and not rows(url, remit_claims)


@needs_samples
def test_the_fragment_without_an_envelope_is_refused_before_the_ledger(practice_dir: Path) -> None:
    with pytest.raises(MissingEnvelopeError, match="k835_blue_cross_nc_sample.txt: holds an ST..SE"):
        post_remit_files(open_practice(practice_dir), [SAMPLES / "lfh_managed-care.835",
                                                       SAMPLES / "k835_blue_cross_nc_sample.txt"],
                         now=NOW)
    assert not (practice_dir / "medsheets.db").exists()
