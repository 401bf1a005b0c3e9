"""Property: whatever people type, every batch written reads back to the same claims.

Names and addresses are drawn from all of Unicode plus the X12 delimiters, line breaks, '<'
and '='; codes and amounts from realistic sets. The written file must parse with the reader
(its SE/GE/IEA counts hold), pass the clearinghouse rules, and give back the claims we meant.
"""

from __future__ import annotations

import datetime as dt
import string
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from x12_judge import (
    NOW,
    PAYERS,
    REFERRING_NPI,
    check_837_rules,
    make_config,
    make_line,
    validate_with_pyx12,
)

from medsheets.identifiers import x12_text
from medsheets.model import Encounter, Person
from medsheets.x12.claim837 import write_837p
from medsheets.x12.envelope import ControlNumbers
from medsheets.x12.read837 import read_837p
from medsheets.x12.reader import read_x12

BILLABLE = ("E119", "I10", "J069", "Z0000", "M5450", "R509", "E1165", "F329", "J45909", "K219",
            "N390", "R051", "Z23", "H6691", "L309", "B349", "E785", "M25561", "R1030")
PROCEDURES = ("99213", "99214", "36415", "81002", "90471", "G0008", "J3301", "20610", "0001U")
MODIFIERS = ("25", "59", "LT", "RT", "GT", "95", "XU")
UPPER_ID = string.ascii_uppercase + string.digits

hostile = st.text(st.one_of(st.characters(codec="utf-8"),
                            st.sampled_from("*~:^\n\r<=>'\"&\\|\t")), max_size=25)


def typed(letters: int = 1) -> st.SearchStrategy[str]:
    """Hostile text with some Latin letters in it, so that cleaning leaves enough to send."""
    return st.builds(lambda a, b, c: a + b + c, hostile,
                     st.text(string.ascii_letters, min_size=letters, max_size=6), hostile)


dates = st.dates(dt.date(1920, 1, 1), dt.date(2026, 11, 1))
zips = st.from_regex(r"\A[0-9]{5}([0-9]{4})?\Z")
people = st.builds(Person, typed(), st.one_of(st.none(), hostile), dates, st.sampled_from("MFU"),
                   typed(), typed(2), st.sampled_from(("IL", "NY", "PR", "DC")), zips)  # city: 2+
money = st.integers(0, 999_999).map(lambda cents: Decimal(cents) / 100)


@st.composite
def encounters(draw: st.DrawFn, encounter_id: str) -> Encounter:
    pool = draw(st.lists(st.sampled_from(BILLABLE), min_size=1, max_size=12, unique=True))
    relationship = draw(st.sampled_from(("self", "child", "spouse", "other")))
    claim = {
        "patient": draw(people), "payer_id": draw(st.sampled_from(sorted(PAYERS))),
        "member_id": draw(st.text(UPPER_ID, min_size=2, max_size=20)),
        "group_number": draw(st.one_of(st.none(), st.text(UPPER_ID, min_size=1, max_size=10))),
        "subscriber_relationship": relationship,
        "subscriber": draw(people) if relationship != "self" else None,
        "prior_auth": draw(st.one_of(st.none(), st.text(UPPER_ID, min_size=1, max_size=12))),
        "referring_npi": draw(st.one_of(st.none(), st.just(REFERRING_NPI))),
        "referring_name": draw(st.sampled_from(("Jones, Mary", "Dr. O'Neil", "Núñez"))),
    }
    count = draw(st.integers(1, 4))
    lines = []
    for _ in range(count):
        own = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        lines.append(make_line(
            encounter_id, **claim, procedure_code=draw(st.sampled_from(PROCEDURES)),
            modifiers=tuple(draw(st.lists(st.sampled_from(MODIFIERS), max_size=2, unique=True))),
            units=draw(st.integers(1, 12)), charge=draw(money), diagnoses=tuple(own),
            date_of_service=draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 11, 27))),
        ))
    return Encounter(encounter_id, tuple(lines))


@st.composite
def batches(draw: st.DrawFn, min_size: int = 1) -> list[Encounter]:
    count = draw(st.integers(min_size, 5))
    return [draw(encounters(f"E{n}{draw(st.text(UPPER_ID, max_size=6))}")) for n in range(count)]


def _write(batch: list[Encounter]) -> str:
    return write_837p(batch, party=make_config().billing_party, payers=PAYERS, control=ControlNumbers(3, 3, 1),
                      now=NOW, line_control_numbers={})


def _assert_same_claims(batch: list[Encounter], text: str) -> None:
    claims = {c.claim_id: c for c in read_837p(text, "prop.837")}
    assert set(claims) == {e.encounter_id for e in batch}
    for encounter in batch:
        claim, first = claims[encounter.encounter_id], encounter.first
        assert claim.total == encounter.total_charge
        assert claim.payer_id == first.payer_id and claim.member_id == first.member_id
        assert claim.diagnoses == encounter.diagnoses
        assert claim.prior_auth == (first.prior_auth or "")
        patient = first.patient
        assert claim.patient_name == (x12_text(patient.last_name, "NM103"), x12_text(patient.first_name, "NM104"))
        holder = first.subscriber if first.subscriber_relationship != "self" else patient
        assert holder is not None
        assert claim.subscriber_name == (x12_text(holder.last_name, "NM103"),
                                         x12_text(holder.first_name, "NM104"))
        assert len(claim.lines) == len(encounter.lines)
        for n, (got, line) in enumerate(zip(claim.lines, encounter.lines)):
            assert (got.procedure_code, got.modifiers, got.units) == (line.procedure_code, line.modifiers, line.units)
            assert got.charge == line.charge and got.date_of_service == line.date_of_service
            assert got.pointers == tuple(encounter.diagnoses.index(c) + 1 for c in line.diagnoses)
            assert got.control_number == f"{encounter.encounter_id}-{n + 1}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_every_batch_reads_back_to_the_same_claims(batch: list[Encounter]) -> None:
    text = _write(batch)
    _assert_same_claims(batch, text)
    (interchange,) = read_x12(text, "prop.837")  # every SE/GE/IEA count verified on the way
    segments = sum(len(t.segments) for t in interchange.transactions())
    assert segments + 4 == len(text.splitlines())  # ISA GS ... GE IEA, one segment per line
    assert check_837_rules(text) == []


HOSTILE_PERSON = Person("O'Brien*~:^\n<script>", "=SUM(A1) José", dt.date(2001, 2, 3), "F",
                        "12 Main St\r\nApt 4 ~ ^ 😀 " + "x" * 70, "Saint-Jérôme:Québec", "NY", "100019999")
HOSTILE_BATCH = [
    Encounter("E1", (make_line("E1", patient=HOSTILE_PERSON, modifiers=("25", "59")),)),
    Encounter("E2", (make_line("E2", subscriber_relationship="child", subscriber=HOSTILE_PERSON,
                               payer_id="MCR01", diagnoses=BILLABLE[:4]),
                     make_line("E2", diagnoses=BILLABLE[4:8], procedure_code="36415"))),
]


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(min_size=3))
@example(HOSTILE_BATCH)
def test_hostile_batches_pass_pyx12(batch: list[Encounter]) -> None:
    text = _write(batch)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prop.837"
        path.write_text(text)
        assert validate_with_pyx12(path) == []
