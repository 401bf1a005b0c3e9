"""Reading 835 files: every sample, the tolerated oddities, and what is refused as not an 835."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from remit_support import SAMPLES, Clp, Plb, Svc, era
from shared_samples import SAMPLES as SHARED_SAMPLES
from shared_samples import needs_samples

from medsheets.errors import BadFileError
from medsheets.remit.files import read_remit_bytes, read_remit_file
from medsheets.x12.errors import MissingEnvelopeError, NotX12Error

D = Decimal


@needs_samples
def test_every_sample_with_an_envelope_reads_and_the_fragment_is_refused() -> None:
    names = sorted(p.name for p in SAMPLES.iterdir())
    assert len(names) == 9
    for name in names:
        if name == "k835_blue_cross_nc_sample.txt":
            with pytest.raises(MissingEnvelopeError, match="without its ISA/GS envelope"):
                read_remit_file(SAMPLES / name)
            continue
        read = read_remit_file(SAMPLES / name)
        assert read.transactions and all(t.remittance for t in read.transactions), name
        assert len(read.sha256) == 64


@needs_samples
def test_nevada_three_transactions_denials_plb_and_its_envelope_oddities() -> None:
    read = read_remit_file(SAMPLES / "aff_nevada_medicaid.txt")
    assert [t.control_number for t in read.transactions] == ["0001", "0002", "0003"]
    first = read.transactions[0].remittance
    assert first is not None and first.trace_number == "100004762"
    assert first.payer_key == "1388600002" and first.payment == D("0.00")
    claim = first.claims[0]
    assert (claim.status, claim.charge, claim.payer_claim_number) == ("4", D("72232.00"), "6666666666666")
    assert [a.code for a in claim.adjustments] == ["OA-147", "CO-26"]
    plb = read.transactions[2].remittance.provider_adjustments  # type: ignore[union-attr]
    assert [(p.reason, p.reference, p.amount) for p in plb][:2] == [
        ("CT", "888888888", D("-1092.46")), ("CT", "888888888", D("-719.81"))]
    assert plb[0].fiscal_period_date == dt.date(2018, 12, 31)
    notes = " ".join(n.message for n in read.notes)
    assert "not the fixed 106" in notes and "IEA02" in notes


@needs_samples
def test_line_details_and_a_cas_with_two_reasons() -> None:
    read = read_remit_file(SAMPLES / "k835_united_healthcare_legacy_sample.txt")
    remittance = read.transactions[0].remittance
    assert remittance is not None and remittance.payment_date == dt.date(2021, 2, 4)
    last = remittance.claims[1].services[2]
    assert (last.code, last.charge, last.paid, last.control_number) == ("B4154", D("328.50"),
                                                                         D("29.05"), "123456789014")
    assert [(a.code, a.amount, a.quantity) for a in last.adjustments] == [
        ("PR-2", D("5.13"), None), ("PR-1", D("110.00"), None), ("CO-45", D("184.32"), None)]
    assert last.allowed == D("144.18") and last.service_date == dt.date(2021, 1, 1)


@needs_samples
def test_composites_written_with_another_separator_are_read_and_noted() -> None:
    read = read_remit_file(SAMPLES / "lfh_secondary-payment.835")
    remittance = read.transactions[0].remittance
    assert remittance is not None
    line = remittance.claims[1].services[0]
    assert (line.code, line.modifiers) == ("12345", ("26",))
    assert len(remittance.warnings) == 1 and "'>' although the ISA declares ':'" in remittance.warnings[0]


def test_original_code_negative_cas_and_a_bad_payment_date() -> None:
    text = era([Clp("E1", "1", "100", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "25"), ("OA", "94", "-5")),
                                                        original="99214", modifiers=("25",)),))])
    remittance = read_remit_bytes(text.encode(), "t.835").transactions[0].remittance
    assert remittance is not None
    line = remittance.claims[0].services[0]
    assert (line.billed_code, line.billed_modifiers) == ("99214", ())
    assert line.adjustments[1].amount == D("-5")
    broken = text.replace("*20261201~\nTRN", "*20261399~\nTRN")
    remittance = read_remit_bytes(broken.encode(), "t.835").transactions[0].remittance
    assert remittance is not None and remittance.payment_date is None
    assert remittance.effective_date == dt.date(2026, 12, 1)  # DTM*405
    assert any("BPR16" in w for w in remittance.warnings)


def test_own_delimiters_bom_line_breaks_and_two_interchanges() -> None:
    one = era([Clp("E1", "1", "100", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "20"),)),))],
              e="|", c=">", t="\\", newline="\r\n")
    two = era([Clp("E2", "1", "50", "50")], trace="T2")
    read = read_remit_bytes(("\ufeff" + one + two).encode(), "two.835")
    traces = [t.remittance.trace_number for t in read.transactions if t.remittance]
    assert traces == ["TRACE1", "T2"]
    assert read.transactions[0].remittance.claims[0].services[0].code == "99213"  # type: ignore[union-attr]


def test_same_remittance_hashes_the_same_under_other_delimiters_and_control_numbers() -> None:
    claims = [Clp("E1", "1", "100", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "20"),)),))]
    plain = read_remit_bytes(era(claims).encode(), "a.835").transactions[0].remittance
    other = re.sub(r"(S[TE]\|(?:835|\d+))\|0001", r"\1|0042", era(claims, e="|", c=">"))
    moved = read_remit_bytes(other.encode(), "b.835").transactions[0]
    assert moved.control_number == "0042"
    assert moved.remittance is not None and plain is not None
    assert moved.remittance.content_sha256 == plain.content_sha256
    edited = era(claims).replace("CAS*CO*45*20", "CAS*CO*45*20.00")
    changed = read_remit_bytes(edited.encode(), "c.835").transactions[0].remittance
    assert changed is not None and changed.content_sha256 != plain.content_sha256


@pytest.mark.parametrize(("data", "message"), [
    (b"ST*835*0001~BPR*I*0*C*NON~SE*3*0001~", "without its ISA/GS envelope"),
    (b"%PDF-1.4 not a remittance", "is not an X12 file"),
    (b"", "is empty"),
])
def test_what_is_not_an_835_file_is_refused_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(BadFileError, match=message) as info:
        read_remit_bytes(data, "x.835")
    assert "\n" not in str(info.value) and str(info.value).startswith("x.835: ")


@needs_samples
def test_a_claim_file_or_an_acknowledgment_is_refused_naming_the_command() -> None:
    claim_file = SHARED_SAMPLES / "837p" / "lfh_demo.example1.837"
    with pytest.raises(BadFileError, match=r"holds claims \(837\), not a remittance"):
        read_remit_file(claim_file)
    ack = era([Clp("E1", "1", "1", "1")]).replace("ST*835", "ST*999").replace("GS*HP", "GS*FA")
    with pytest.raises(BadFileError, match="medsheets acks"):
        read_remit_bytes(ack.encode(), "ack.999")
    with pytest.raises(NotX12Error):
        read_remit_bytes(b"ISA", "short.835")


def test_a_missing_file_is_refused() -> None:
    with pytest.raises(BadFileError, match="nowhere.835: no such file"):
        read_remit_file(Path("/nonexistent/nowhere.835"))


@pytest.mark.parametrize(("old", "new", "message"), [
    ("CLP*E1*1*", "CLP*E1*9*", "CLP02 claim status '9'"),
    ("CAS*CO*45*20", "CAS*XX*45*20", "CAS01 group 'XX'"),
    ("CAS*CO*45*20", "CAS*CO*45*2O", "not an amount"),
    ("SVC*HC:99213*100*80", "SVC*HC:99213*100*80.001", "fraction of a cent"),
    ("TRN*1*TRACE1*", "TRN*1**", "TRN02"),
])
def test_a_transaction_that_cannot_be_interpreted_is_refused_naming_its_segment(
        old: str, new: str, message: str) -> None:
    text = era([Clp("E1", "1", "100", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "20"),)),))])
    assert old in text
    read = read_remit_bytes(text.replace(old, new).encode(), "bad.835").transactions[0]
    assert read.remittance is None
    assert any(message in p.message for p in read.problems), [p.message for p in read.problems]
    assert all(p.is_error and str(p.source).startswith("bad.835:segment ") for p in read.problems)


def test_plb_pairs_with_and_without_reference() -> None:
    text = era([Clp("E1", "1", "100", "100")], plbs=[Plb("L6", "-2.50"), Plb("WO", "30", "ICN77")])
    remittance = read_remit_bytes(text.encode(), "p.835").transactions[0].remittance
    assert remittance is not None
    assert [(p.reason, p.reference, p.amount) for p in remittance.provider_adjustments] == [
        ("L6", "", D("-2.50")), ("WO", "ICN77", D("30.00"))]
    assert remittance.payment == D("72.5")
