"""The generic X12 reader on every real sample file, and on damaged files built here."""

from __future__ import annotations

import pytest
from shared_samples import SAMPLES as SHARED_SAMPLES
from shared_samples import needs_samples

from medsheets.errors import BadFileError
from medsheets.x12.errors import (
    EnvelopeMismatchError,
    MissingEnvelopeError,
    NotX12Error,
    StructureError,
    TruncatedError,
)
from medsheets.x12.reader import read_x12, read_x12_file

SAMPLES = SHARED_SAMPLES
ALL_SAMPLES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix != ".md")

# The ims_ files are parser fixtures whose SE01 was never updated (25 for 19..11486 segments);
# the multi-ST one also says GE01 = 1 for 2 transactions. The reader must refuse them.
REFUSED = {
    "k835_blue_cross_nc_sample.txt": MissingEnvelopeError,
    "ims_x12_bad_segment_identifier.txt": StructureError,
}
REFUSED_FOR_COUNTS = {p.name for p in ALL_SAMPLES if p.name.startswith("ims_")} - set(REFUSED)

# (file, transactions, segments in the first transaction)
EXPECTED = {
    "aff_nevada_medicaid.txt": ("835", 3, 22),
    "k835_united_healthcare_legacy_sample.txt": ("835", 1, 61),
    "lfh_managed-care.835": ("835", 1, 26),
    "lfh_demo.example1.837": ("837", 1, 40),
    "lfh_demo.drug.example10.2.837": ("837", 1, 65),
}


@needs_samples
def test_every_sample_is_read_or_refused_as_expected() -> None:
    assert len(ALL_SAMPLES) == 37
    for path in ALL_SAMPLES:
        if path.name in REFUSED:
            with pytest.raises(REFUSED[path.name]) as info:
                read_x12_file(path)
            assert path.name in str(info.value)
        elif path.name in REFUSED_FOR_COUNTS:
            with pytest.raises(EnvelopeMismatchError, match=r"SE01 says 25 segments"):
                read_x12_file(path)
        else:
            interchanges = read_x12_file(path)
            transactions = [t for i in interchanges for t in i.transactions()]
            assert transactions, path.name
            for t in transactions:
                assert t.segments[0].id == "ST" and t.segments[-1].id == "SE"
                assert int(t.segments[-1].element(1)) == len(t.segments)
                assert t.type == ("835" if path.parent.name == "835" else "837")


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_shapes(name: str) -> None:
    path = next(p for p in ALL_SAMPLES if p.name == name)
    (interchange,) = read_x12_file(path)
    kind, count, first_size = EXPECTED[name]
    transactions = list(interchange.transactions())
    assert [t.type for t in transactions] == [kind] * count
    assert len(transactions[0].segments) == first_size


@needs_samples
def test_envelope_less_835_is_refused_with_a_clear_message() -> None:
    with pytest.raises(MissingEnvelopeError) as info:
        read_x12_file(SAMPLES / "835" / "k835_blue_cross_nc_sample.txt")
    message = str(info.value)
    assert message.startswith("k835_blue_cross_nc_sample.txt: ")
    assert "without its ISA/GS envelope" in message and "ask the sender" in message
    assert isinstance(info.value, BadFileError)


@needs_samples
def test_nevada_non_fixed_isa_parses_with_warnings_and_strict_refuses() -> None:
    path = SAMPLES / "835" / "aff_nevada_medicaid.txt"
    (interchange,) = read_x12_file(path)
    assert interchange.sender == "NVMED" and interchange.receiver == "99999999"
    assert interchange.usage == "P" and interchange.control_number == "100000300"
    assert interchange.delimiters.repetition == "^"
    assert [t.control_number for t in interchange.transactions()] == ["0001", "0002", "0003"]
    assert any("IEA02" in w for w in interchange.warnings)
    assert any("not the fixed 106" in w for w in interchange.warnings)
    with pytest.raises(EnvelopeMismatchError, match="strict"):
        read_x12_file(path, strict=True)


@needs_samples
def test_component_separator_comes_from_isa16() -> None:
    (interchange,) = read_x12_file(SAMPLES / "835" / "k835_united_healthcare_legacy_sample.txt")
    assert interchange.delimiters.component == ">"
    svc = next(s for t in interchange.transactions() for s in t.segments if s.id == "SVC")
    assert svc.components(1)[0] == "HC" and len(svc.components(1)) >= 2


def _tiny(st_count: str = "3", ge_count: str = "1", iea_control: str = "000000001",
          terminator: str = "~", sep: str = "*") -> str:
    isa = sep.join(["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "A".ljust(15), "ZZ", "B".ljust(15),
                    "260101", "1200", "^", "00501", "000000001", "0", "T", ":"])
    rest = [f"GS{sep}HC{sep}A{sep}B{sep}20260101{sep}1200{sep}7{sep}X{sep}005010X222A1",
            f"ST{sep}837{sep}0001{sep}005010X222A1", f"BHT{sep}0019{sep}00{sep}1",
            f"SE{sep}{st_count}{sep}0001", f"GE{sep}{ge_count}{sep}7", f"IEA{sep}1{sep}{iea_control}"]
    return terminator.join([isa, *rest]) + terminator


def test_segment_positions_elements_and_helpers() -> None:
    (interchange,) = read_x12(_tiny(), "tiny.x12")
    assert len(_tiny().split("~")[0]) + 1 == 106
    (transaction,) = interchange.transactions()
    bht = transaction.body[0]
    assert (bht.id, bht.position, bht.elements) == ("BHT", 4, ("0019", "00", "1"))
    assert bht.element(9) == "" and bht.components(9) == ()
    assert transaction.version == "005010X222A1" and interchange.warnings == ()


def test_bom_crlf_and_other_delimiters_are_tolerated() -> None:
    text = _tiny(terminator="|", sep="!").replace("|", "|\r\n")
    (interchange,) = read_x12(b"\xef\xbb\xbf" + text.encode(), "bom.x12")
    assert interchange.delimiters.element == "!" and interchange.delimiters.segment == "|"
    assert len(next(iter(interchange.transactions())).segments) == 3


def test_several_interchanges_each_with_its_own_delimiters() -> None:
    text = _tiny() + "\n" + _tiny(terminator="\n", sep="|")
    first, second = read_x12(text, "two.x12")
    assert first.delimiters.element == "*" and second.delimiters.element == "|"
    assert next(iter(second.transactions())).segments[0].position == 10  # after 7 + ISA + GS


def test_a_long_file_of_interchanges_with_changing_delimiters() -> None:
    """Longer than the stretch the splitter cuts at a time (64 KiB), so interchanges start
    inside a stretch and straddle its end; each is read with its own delimiters."""
    kinds = [("~", "*"), ("\n", "|"), ("|", "!")]
    texts = [_tiny(terminator=t, sep=s) for _, (t, s) in zip(range(600), kinds * 200)]
    assert len("".join(texts)) > 2 * 65_536
    read = read_x12("".join(texts), "long.x12")
    assert [i.delimiters.element for i in read] == [s for _, s in kinds * 200]
    last = next(iter(read[-1].transactions())).segments[-1]
    assert (last.id, last.position) == ("SE", 599 * 7 + 5)
    with pytest.raises(TruncatedError, match="ends in the middle of a segment"):
        read_x12("".join(texts)[:-30], "cut.x12")


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("", NotX12Error, "is empty"),
        ("%PDF-1.7 binary", NotX12Error, "does not start with ISA"),
        ("ST*837*0001~SE*2*0001~", MissingEnvelopeError, "without its ISA/GS envelope"),
        (_tiny()[:-30], TruncatedError, "ends in the middle of a segment"),
        (_tiny().rsplit("GE*", 1)[0], TruncatedError, "ends before its IEA"),
        ("ISA*00*    *00", TruncatedError, "ends inside its ISA"),
        (_tiny(st_count="4"), EnvelopeMismatchError, "SE01 says 4 segments"),
        (_tiny(ge_count="2"), EnvelopeMismatchError, "GE01 says 2 transactions"),
        (_tiny().replace("SE*3*0001", "SE*3*0002"), EnvelopeMismatchError, "SE02"),
        (_tiny().replace("GE*1*7", "GE*1*8"), EnvelopeMismatchError, "GE02"),
        (_tiny().replace("IEA*1*", "IEA*2*"), EnvelopeMismatchError, "IEA01 says 2 groups"),
        (_tiny().replace("BHT", "bht"), StructureError, "no valid segment identifier"),
        (_tiny().replace("~ST*", "~GE*0*7~ST*"), StructureError, "outside a functional group"),
        (_tiny() + "JUNK", StructureError, "after the IEA"),
    ],
)
def test_damaged_files_are_refused(text: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        read_x12(text, "day.x12")
    assert str(info.value).startswith("day.x12: ")
    assert words in str(info.value)


def test_iea_control_mismatch_is_a_warning_only() -> None:
    (interchange,) = read_x12(_tiny(iea_control="000000002"), "x.x12")
    assert len(interchange.warnings) == 1 and "IEA02" in interchange.warnings[0]


@needs_samples
def test_volume_sample_reads_whole_once_its_count_is_fixed() -> None:
    """All 820 claims of the volume sample are read (its speed is benchmarks/' business)."""
    text = (SAMPLES / "837p" / "ims_x12_many_claims.txt").read_text()
    fixed = text.replace("SE*25*987654", "SE*11486*987654")
    (interchange,) = read_x12(fixed, "many.txt")
    (transaction,) = interchange.transactions()
    assert sum(1 for s in transaction.segments if s.id == "CLM") == 820
