"""A sieve never lets through a line its edit would find something on (medsheets/codes/sieve.py).

Each sieved edit is run on lines carrying every kind of mistake it reports, one at a time and
together: every line it finds a problem on is among the sieve's suspects, a clean line is
not, and a whole day scrubbed with the sieves finds exactly what it finds without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from edits_factory import DAY, PATIENT, TODAY, VALID_NPI, codesets, line, run

from medsheets.codes import scrub as scrub_module
from medsheets.codes.edits import EditContext
from medsheets.model import Person, ServiceLine

SUBSCRIBER = Person("Roe", "Sam", PATIENT.dob, "M")


def faulty_lines() -> list[ServiceLine]:
    """A clean line, then lines each carrying one mistake of the sieved edits, then all at once."""
    changes = [
        {"procedure_code": "ABC"}, {"procedure_code": "9921"}, {"modifiers": ("2",)},
        {"modifiers": ("25", "X*")}, {"rendering_npi": "1234567890"},
        {"referring_npi": "1234567890", "referring_name": "Doe, Al"}, {"place_of_service": "1"},
        {"place_of_service": "OFFICE"}, {"member_id": "7"}, {"member_id": "M~1"},
        {"encounter_id": "E*1"}, {"group_number": "G:100"}, {"prior_auth": "PA 1~2"},
        {"referring_npi": VALID_NPI, "referring_name": None},
        {"patient": replace(PATIENT, last_name="李")}, {"patient": replace(PATIENT, first_name="??")},
        {"patient": replace(PATIENT, address="###")}, {"patient": replace(PATIENT, city="X")},
        {"subscriber_relationship": "spouse", "subscriber": replace(SUBSCRIBER, last_name="李")},
        {"subscriber_relationship": "spouse", "subscriber": replace(SUBSCRIBER, first_name="*")},
        {"diagnoses": ("I10", "N401")}, {"diagnoses": ("C61",)},  # the patient is a woman
        {"patient": replace(PATIENT, dob=dt.date(1950, 1, 1)), "diagnoses": ("O0990",)},
        {"patient": replace(PATIENT, sex="M"), "diagnoses": ("I10", "O0990")},
        {"procedure_code": "99999"}, {"procedure_code": "99998"},  # not in the fee schedule
        {"procedure_code": "99201"},  # terminated before the date of service
        {"modifiers": ("ZZ",)}, {"modifiers": ("25", "QQ")}, {"modifiers": ("AA",)},
        {"charge": Decimal("0.00")}, {"charge": Decimal("90.00")}, {"charge": Decimal("-5.00")},
        {"payer_id": "NOPE"}, {"payer_id": "OTHER"}, {"date_of_service": DAY - dt.timedelta(days=200)},
        {"rendering_npi": "1234567802"}, {"rendering_npi": "1234567810"},
        {"rendering_npi": "1234567828"},  # valid NPIs the Providers sheet does not list
        {"payer_id": None, "member_id": "7"},  # self-pay: flagged or not, the edit passes it
    ]
    every = {key: value for change in changes[:-1] for key, value in change.items()
             if key not in ("procedure_code", "payer_id")}  # still a known code and payer
    every["diagnoses"] = ("I10", "N401", "C61", "O0990")
    return [line(row=2), *(line(row=3 + i, **change) for i, change in enumerate(changes)),
            line(row=3 + len(changes), **every)]


@pytest.mark.parametrize("edit", sorted(scrub_module.SIEVES, key=lambda edit: edit.__name__),
                         ids=lambda edit: edit.__name__)
def test_every_line_an_edit_finds_a_problem_on_is_a_suspect(edit) -> None:
    lines = faulty_lines()
    ctx = EditContext(codesets(), TODAY)
    found_on = [one for one in lines if edit(one, ctx)]
    suspects = scrub_module.SIEVES[edit].suspects(lines, edit, ctx)
    assert len(found_on) > 2  # the lines do carry this edit's mistakes
    assert [one.origin.row for one in found_on if one not in suspects] == []
    assert lines[0] not in suspects  # the clean line
    assert suspects == sorted(suspects, key=lambda one: one.origin.row)  # in the day's order


def test_a_day_scrubbed_with_the_sieves_finds_what_it_finds_without_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = faulty_lines()
    sieved = run(lines).problems
    monkeypatch.setattr(scrub_module, "SIEVES", {})
    assert sieved == run(lines).problems
    assert len(sieved) > len(lines)
