"""Segment templates (grammar/template.py): the shape checked once, each use only its values.

The rule: `template.fill(*values)` is `checked(...)` of the same whole segment — the same text,
or the same error — whatever the values, and a refused segment stays refused however often
it comes and whatever was filled before it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medsheets.x12 import claim_loops
from medsheets.x12.compose import DelimiterInDataError
from medsheets.x12.grammar import template as template_module
from medsheets.x12.grammar.build import GrammarError, checked
from medsheets.x12.grammar.schema import HEADER, TransactionDef, loop
from medsheets.x12.grammar.segments import REF
from medsheets.x12.grammar.template import VALUE, SegmentTemplate
from medsheets.x12.grammar.x837p import X837P

# Every template the claim writer declares, as (template, the loop's segment id).
TEMPLATES = [
    claim_loops._SUBSCRIBER_HL, claim_loops._SUBSCRIBER_SBR, claim_loops._PAYER_NAME,
    *claim_loops._PERSON["2010BA"], *claim_loops._PERSON["2010CA"], claim_loops._CLAIM,
    claim_loops._PATIENT_PAID, claim_loops._PRIOR_AUTH, claim_loops._ORIGINAL_NUMBER,
    claim_loops._DIAGNOSES[1], claim_loops._DIAGNOSES[3], claim_loops._LINE_NUMBER,
    claim_loops._SERVICE, claim_loops._SERVICE_DATE, claim_loops._LINE_CONTROL,
]

# Values near the grammar's edges: empty, short, long, numbers, dates, codes, delimiters.
_TEXT = st.one_of(
    st.sampled_from(["", "1", "P", "18", "CI", "ABK", "HC", "99213", "25", "105", "105.5", "-3",
                     "20261125", "D8", "MI", "Y", "A", "B", "11", "0", "1.", ".5", "ZZ", "IL"]),
    st.text(alphabet="AB1 -.*:^~\n", max_size=6),
    st.text(alphabet="X", min_size=45, max_size=90),
)
_COMPOSITE = st.lists(_TEXT, min_size=0, max_size=9).map(tuple)


def _whole(template: SegmentTemplate, values: tuple) -> list:
    filled = iter(values)
    return [next(filled) if e is VALUE else e for e in template.elements]


def _outcome(call):
    try:
        return ("text", call())
    except (GrammarError, DelimiterInDataError) as exc:
        return (type(exc).__name__, str(exc))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), index=st.integers(0, len(TEMPLATES) - 1))
def test_a_template_answers_exactly_as_the_whole_segment_checked(data, index) -> None:
    template = TEMPLATES[index]
    values = tuple(data.draw(_COMPOSITE if declared.kind == "C" else _TEXT) for declared in template.declared)
    whole = _whole(template, values)
    expected = _outcome(lambda: checked(X837P, template.loop_id, template.segment_id, *whole))
    assert _outcome(lambda: template.fill(*values)) == expected
    assert _outcome(lambda: template.fill(*values)) == expected  # again: remembered or refused again


def test_a_refused_value_is_refused_every_time_even_after_good_ones() -> None:
    control = claim_loops._LINE_CONTROL
    assert control.fill("E1-1") == "REF*6R*E1-1"
    for _ in range(2):
        with pytest.raises(GrammarError, match="REF02"):
            control.fill("X" * 51)  # REF02 holds 50
        with pytest.raises(GrammarError, match="REF02"):
            control.fill("")  # required
        with pytest.raises(DelimiterInDataError):
            control.fill("E1*1")
    assert ("X" * 51,) not in control.made and ("E1*1",) not in control.made
    service = claim_loops._SERVICE
    good = service.fill(("HC", "99213"), "105", "1", "", ("1",))
    assert good == "SV1*HC:99213*105*UN*1***1"
    with pytest.raises(GrammarError, match="SV101-3"):
        service.fill(("HC", "99213", "255"), "105", "1", "", ("1",))  # a modifier is 2 long
    with pytest.raises(GrammarError, match="SV102"):
        service.fill(("HC", "99213"), "1O5", "1", "", ("1",))  # not a number
    with pytest.raises(DelimiterInDataError):
        service.fill(("HC", "99:13"), "105", "1", "", ("1",))
    assert service.fill(("HC", "99213"), "105", "1", "", ("1",)) == good
    procedure = service.rules[0]  # SV101's composites: only those that fit are remembered
    assert ("HC", "99213") in procedure.known
    assert ("HC", "99213", "255") not in procedure.known and ("HC", "99:13") not in procedure.known
    with pytest.raises(GrammarError, match="SV101-3"):
        service.fill(("HC", "99213", "255"), "105", "1", "", ("1",))  # refused again


def test_a_template_the_loop_refuses_is_refused_when_made() -> None:
    with pytest.raises(GrammarError, match="DTP02"):
        SegmentTemplate(X837P, "2400", "DTP", "472", "XX", VALUE)  # DTP02 must be D8 (or RD8)
    with pytest.raises(GrammarError, match="holds no"):
        SegmentTemplate(X837P, "2400", "CLM", VALUE)
    with pytest.raises(GrammarError, match="HI01"):
        SegmentTemplate(X837P, "2300", "HI")  # a required element left out
    with pytest.raises(DelimiterInDataError):
        SegmentTemplate(X837P, "2400", "REF", "6R", "A*B")
    twice = TransactionDef("837", "test", "T", (loop(HEADER, "header", None, None,
                                                     REF.use(codes={"qualifier": "G1"}),
                                                     REF.use(codes={"qualifier": "F8"})),))
    with pytest.raises(ValueError, match="once"):
        SegmentTemplate(twice, HEADER, "REF", VALUE, VALUE)  # REF*G1 or REF*F8: which one?
    assert SegmentTemplate(twice, HEADER, "REF", "F8", VALUE).fill("A1") == "REF*F8*A1"


def test_what_a_template_remembers_stays_bounded(monkeypatch) -> None:
    monkeypatch.setattr(template_module, "MAX_REMEMBERED", 5)
    made = SegmentTemplate(X837P, "2400", "REF", "6R", VALUE)
    for number in range(12):
        assert made.fill(f"E-{number}") == f"REF*6R*E-{number}"
        assert len(made.made) <= 5
    with pytest.raises(TypeError):
        made.fill("E-1", "E-2")
    diagnoses = SegmentTemplate(X837P, "2300", "HI", VALUE)
    for number in range(12):
        code = f"Z{number:02d}"
        assert diagnoses.fill(("ABK", code)) == f"HI*ABK:{code}"
        assert len(diagnoses.rules[0].known) <= 5
