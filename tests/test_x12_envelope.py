"""ISA/GS/ST envelopes: fixed width, counts, control numbers, and the segment guard."""

from __future__ import annotations

import datetime as dt

import pytest

from medsheets.x12.compose import DelimiterInDataError, segment
from medsheets.x12.envelope import ControlNumbers, EnvelopeHeader, write_interchange
from medsheets.x12.reader import read_x12

HEADER = EnvelopeHeader("MAPLE01", "CLEARHOUSE01", "T", "HC", "837", "005010X222A1")
NOW = dt.datetime(2026, 11, 27, 9, 7)


def test_isa_is_fixed_width_and_dated_from_now() -> None:
    text = write_interchange([["BHT*0019*00*1*20261127*0907*CH"]], header=HEADER,
                             control=ControlNumbers(42, 7, 1), now=NOW)
    isa = text.split("\n")[0]
    assert len(isa) == 106
    assert isa == ("ISA*00*          *00*          *ZZ*MAPLE01        *ZZ*CLEARHOUSE01   "
                   "*261127*0907*^*00501*000000042*0*T*:~")
    lines = text.splitlines()
    assert lines[1] == "GS*HC*MAPLE01*CLEARHOUSE01*20261127*0907*7*X*005010X222A1~"
    assert lines[-2:] == ["GE*1*7~", "IEA*1*000000042~"]
    assert text.endswith("~\n")


def test_transactions_are_numbered_and_counted() -> None:
    bodies = [["BHT*0019*00*1*20261127*0907*CH"], ["BHT*0019*00*2*20261127*0907*CH", "NM1*41*2*X"]]
    text = write_interchange(bodies, header=HEADER, control=ControlNumbers(1, 1, 998), now=NOW)
    (interchange,) = read_x12(text, "out.837")
    transactions = list(interchange.transactions())
    assert [t.control_number for t in transactions] == ["0998", "0999"]
    assert [len(t.segments) for t in transactions] == [3, 4]
    assert "GE*2*1~" in text


@pytest.mark.parametrize("value", [0, -1, 1_000_000_000, True])
def test_control_numbers_must_fit_nine_digits(value: int) -> None:
    with pytest.raises(ValueError, match="control number interchange"):
        ControlNumbers(value, 1, 1)


@pytest.mark.parametrize(("sender", "words"), [("MAPLE*01", "'*'"), ("A" * 16, "15 characters"), ("", "empty")])
def test_bad_party_ids_are_refused(sender: str, words: str) -> None:
    header = EnvelopeHeader(sender, "CLEARHOUSE01", "T", "HC", "837", "005010X222A1")
    with pytest.raises(ValueError, match=r"\[submitter\] id") as info:
        write_interchange([["BHT*1"]], header=header, control=ControlNumbers(1, 1, 1), now=NOW)
    assert words in str(info.value)


def test_empty_interchange_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one transaction"):
        write_interchange([], header=HEADER, control=ControlNumbers(1, 1, 1), now=NOW)


def test_segment_drops_trailing_empties_and_joins_composites() -> None:
    assert segment("NM1", "PR", "2", "AETNA", "", "", "", "", "PI", "AETNA") == "NM1*PR*2*AETNA*****PI*AETNA"
    assert segment("SBR", "P", "", "", "") == "SBR*P"
    assert segment("SV1", ("HC", "99213", "", ""), "10") == "SV1*HC:99213*10"


@pytest.mark.parametrize("value", ["A*B", "A~B", "A:B", "A^B", "A\nB", ("HC", "99:213")])
def test_segment_refuses_delimiters_in_data(value: str | tuple[str, ...]) -> None:
    with pytest.raises(DelimiterInDataError, match="NM103"):
        segment("NM1", "IL", "1", value)
