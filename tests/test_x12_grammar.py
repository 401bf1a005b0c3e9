"""The declared X12 grammar: the builder refuses what the guide forbids, the reader finds loops.

Each builder rule has a passing and a failing case; the reader is tried on the 837s medsheets
writes, on every shared 835 and 837P sample, and on small 277CA/271 texts built here.
"""

from __future__ import annotations

import pytest
from shared_samples import samples_or_skip

from medsheets.x12.grammar import (
    X270,
    X271,
    X276,
    X277,
    X277CA,
    X835,
    X837P,
    X999,
    GrammarError,
    TransactionBuilder,
    checked,
    locate,
)
from medsheets.x12.grammar.schema import HEADER
from medsheets.x12.errors import X12FileError
from medsheets.x12.reader import read_x12

ALL = (X837P, X835, X999, X277CA, X270, X271, X276, X277)
NPI = "1234567893"


def test_a_valid_segment_is_written_as_compose_writes_it() -> None:
    text = checked(X837P, "2010AA", "NM1", "85", "2", "PRACTICE", "", "", "", "", "XX", NPI)
    assert text == f"NM1*85*2*PRACTICE*****XX*{NPI}"


@pytest.mark.parametrize(("loop", "segment", "elements", "where", "why"), [
    ("2010AA", "NM1", ("85", "2", "PRACTICE", "", "", "", "", "ZZ", NPI),
     "837P 2010AA NM108 (id_qualifier)", "not one of the codes the guide allows here (XX)"),
    ("2010AA", "NM1", ("85", "2", "", "", "", "", "", "XX", NPI),
     "837P 2010AA NM103 (last_name)", "is required and empty"),
    ("2010AA", "NM1", ("85", "2", "P", "", "", "", "", "XX", NPI, "01"),
     "837P 2010AA NM110 (relationship)", "not used in this loop"),
    ("2010AA", "NM1", ("85", "2", "P" * 61, "", "", "", "", "XX", NPI),
     "837P 2010AA NM103 (last_name)", "61 characters long; it takes 1 to 60"),
    ("2400", "SV1", (("HC", "99213"), "abc", "UN", "1", "", "", ("1",)),
     "837P 2400 SV102 (charge)", "not a decimal number"),
    ("2400", "DTP", ("472", "D8", "20261127"), None, None),
    ("2400", "LX", ("1", "2"), "837P 2400 LX", "has 2 elements, the segment holds 1"),
    ("2300", "CLM", ("E1", "10", "", "", ("11", "B", "3"), "Y", "A", "Y", "Y"),
     "837P 2300 CLM05-3 (frequency)", "(1, 7, 8)"),
    ("2300", "CLM", ("E1", "10", "", "", ("11", "B", "1", "X"), "Y", "A", "Y", "Y"),
     "837P 2300 CLM05 (facility)", "has 4 components, it holds 3"),
    ("2300", "NM1", ("82", "1", "DOE"), "837P 2300 NM1", "holds no NM1 segment"),
    ("HEADER", "BHT", ("0019", "00", "1", "2026-11-27", "1030", "CH"),
     "837P HEADER BHT04 (date)", "not a date CCYYMMDD"),
])
def test_the_builder_refuses_what_the_guide_forbids(loop, segment, elements, where, why) -> None:
    if where is None:  # the passing case of the table
        assert checked(X837P, loop, segment, *elements).startswith(segment)
        return
    with pytest.raises(GrammarError) as caught:
        checked(X837P, loop, segment, *elements)
    assert caught.value.where == where
    assert why in caught.value.problem


def test_messages_never_quote_the_value() -> None:
    with pytest.raises(GrammarError) as caught:
        checked(X837P, "2010BA", "NM1", "IL", "1", "SECRETNAME" * 7, "", "", "", "", "MI", "M1")
    assert "SECRET" not in str(caught.value)


def test_the_transaction_builder_collects_checked_segments() -> None:
    builder = TransactionBuilder(X270)
    builder.add(HEADER, "BHT", "0022", "13", "REF1", "20261127", "1030")
    builder.add("2000A", "HL", "1", "", "20", "1")
    builder.add("2100A", "NM1", "PR", "2", "PAYER", "", "", "", "", "PI", "12345")
    assert builder.segments[1] == "HL*1**20*1"
    with pytest.raises(GrammarError, match="270 2000B HL04"):
        builder.add("2000B", "HL", "2", "1", "21", "9")
    assert len(builder.segments) == 3


@pytest.mark.parametrize("transaction", ALL, ids=lambda t: t.name)
def test_every_declaration_is_consistent(transaction) -> None:
    for loop in transaction.loops:
        if loop.trigger is not None:
            opener = loop.find(loop.trigger.segment)
            assert opener is not None, f"{transaction.name} {loop.id} does not hold its own trigger"
        for definition in loop.segments:
            names = [element.name for element in definition.elements]
            assert len(names) == len(set(names)), f"{definition.id} names an element twice"
    assert transaction.loop(HEADER).parent is None


def _loops(text: str, grammar) -> list[tuple[str, str]]:
    """(loop, segment id) of every segment in every transaction of `text`."""
    (interchange,) = read_x12(text, "test.x12")
    return [(found.loop, found.id) for transaction in interchange.transactions()
            for found in locate(grammar, transaction.body)]


def test_the_reader_places_837_segments_in_their_loops() -> None:
    from test_x12_claim837 import day_batch, write  # the claim writer's own test batch

    loops = _loops(write(day_batch()[:-1]), X837P)  # the last one is self-pay
    assert ("2010AA", "NM1") in loops and ("2010BB", "NM1") in loops
    assert loops.count(("2400", "SV1")) == loops.count(("2400", "LX")) > 0
    assert all(loop in ("2300", "2310A", "2310B") for loop, seg in loops if seg == "HI")


SMALL_277CA = (
    "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*PRACTICE       *261127*1030*^*00501*"
    "000000001*0*T*:~GS*HN*CH*PR*20261127*1030*1*X*005010X214~ST*277*0001*005010X214~"
    "BHT*0085*08*B1*20261127*1030*TH~HL*1**20*1~NM1*AY*2*CH*****46*CH1~TRN*1*T1~"
    "DTP*050*D8*20261127~DTP*009*D8*20261127~HL*2*1*21*1~NM1*41*2*PRACTICE*****46*S1~"
    "TRN*2*000000001~STC*A1:19*20261127*WQ*100~HL*3*2*19*1~NM1*85*2*PRACTICE*****XX*1234567893~"
    "TRN*1*0~STC*A1:19*20261127*WQ*100~HL*4*3*PT~NM1*QC*1*DOE*JANE~TRN*2*E1~"
    "STC*A2:20*20261127*WQ*100~REF*1K*PAYER1~DTP*472*D8*20261120~SVC*HC:99213*100~"
    "STC*A2:20*20261127~REF*FJ*E1-1~DTP*472*D8*20261120~SE*26*0001~GE*1*1~IEA*1*000000001~"
)


def test_the_reader_places_277ca_segments_and_reads_by_name() -> None:
    loops = _loops(SMALL_277CA, X277CA)
    assert loops[loops.index(("2200D", "TRN"))] == ("2200D", "TRN")
    assert loops[-3:] == [("2220D", "STC"), ("2220D", "REF"), ("2220D", "DTP")]
    (interchange,) = read_x12(SMALL_277CA, "t")
    body = next(interchange.transactions()).body
    claim = [f for f in locate(X277CA, body) if f.loop == "2200D" and f.id == "STC"][0]
    assert claim.component("status", "category") == "A2"
    assert claim["charge"] == "100"


SMALL_271 = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PRACTICE       *261127*1030*^*00501*"
    "000000002*0*T*:~GS*HB*PAYER*PR*20261127*1030*2*X*005010X279A1~ST*271*0001*005010X279A1~"
    "BHT*0022*11*R1*20261127*1030~HL*1**20*1~NM1*PR*2*PAYER*****PI*12345~HL*2*1*21*1~"
    "NM1*1P*2*PRACTICE*****XX*1234567893~HL*3*2*22*0~TRN*2*T1*9876543210~NM1*IL*1*DOE*JANE****MI*M1~"
    "DMG*D8*19800517*F~EB*1*IND*30**PLAN~EB*B*IND*98***27*25~LS*2120~NM1*P3*1*SMITH*JOHN~LE*2120~"
    "EB*C*IND*30***23*500~SE*17*0001~GE*1*2~IEA*1*000000002~"
)


def test_the_reader_places_271_benefits_and_their_related_entities() -> None:
    loops = _loops(SMALL_271, X271)
    assert loops[loops.index(("2000C", "TRN"))]
    assert [loop for loop, seg in loops if seg == "EB"] == ["2110C"] * 3
    assert ("2120C", "NM1") in loops and ("2110C", "LE") in loops


def test_every_shared_sample_is_placed_loop_by_loop() -> None:
    folder = samples_or_skip()
    grammars = {"835": X835, "837": X837P}
    read = 0
    for path in sorted([*(folder / "835").glob("*"), *(folder / "837p").glob("*")]):
        if not path.is_file():
            continue
        try:
            interchanges = read_x12(path.read_bytes(), path.name)
        except X12FileError:  # the fragment without its envelope: refused, as the remit tests show
            continue
        for interchange in interchanges:
            for transaction in interchange.transactions():
                placed = list(locate(grammars[transaction.type], transaction.body))
                assert len(placed) == len(transaction.body)
                claims = [found for found in placed if found.id in ("CLP", "CLM")]
                assert all(found.loop in ("2100", "2300") for found in claims), path.name
                read += 1
    assert read > 10


def test_an_835_without_lx_still_finds_its_claims_and_lines() -> None:
    text = (
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PRACTICE       *261127*1030*^*00501*"
        "000000003*0*T*:~GS*HP*PAYER*PR*20261127*1030*3*X*005010X221A1~ST*835*0001~"
        "BPR*I*10*C*CHK************20261127~TRN*1*CHK1*1234567890~N1*PR*PAYER~N1*PE*PRACTICE*XX*1234567893~"
        "CLP*E1*1*10*10**12*P1~SVC*HC:99213*10*10~CAS*CO*45*0~CLP*E2*1*5*0**12*P2~PLB*1234567893*20261231*WO*1~"
        "SE*11*0001~GE*1*3~IEA*1*000000003~"
    )
    assert _loops(text, X835)[4:] == [("2100", "CLP"), ("2110", "SVC"), ("2110", "CAS"),
                                      ("2100", "CLP"), ("SUMMARY", "PLB")]


def test_a_segment_checked_again_is_the_same_and_a_refused_one_is_refused_again() -> None:
    from medsheets.x12.grammar import build

    elements = ("85", "2", "PRACTICE", "", "", "", "", "XX", NPI)
    first = checked(X837P, "2010AA", "NM1", *elements)
    assert checked(X837P, "2010AA", "NM1", *elements) == first
    assert build._PASSED.get((id(X837P), "2010AA", "NM1", elements)) == first  # remembered
    wrong = ("85", "2", "PRACTICE", "", "", "", "", "ZZ", NPI)
    for _ in range(2):
        with pytest.raises(GrammarError, match="NM108"):
            checked(X837P, "2010AA", "NM1", *wrong)
    assert build._PASSED.get((id(X837P), "2010AA", "NM1", wrong)) is None
    with pytest.raises(GrammarError):  # the same elements in another loop: checked there
        checked(X837P, "2010BA", "NM1", *elements)


def test_what_is_remembered_stays_bounded_and_keeps_what_is_used() -> None:
    from medsheets.x12.grammar.build import _Passed

    passed = _Passed(3)
    for number in range(10):
        passed.keep((1, "L", "S", (str(number),)), f"S*{number}", X837P)
        assert passed.get((1, "L", "S", ("0",))) == "S*0"  # used all along: never dropped
    assert len(passed.newer) + len(passed.older) <= 6
    assert passed.get((1, "L", "S", ("1",))) is None  # not used since: dropped
