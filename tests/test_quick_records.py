"""`quick_records.maker` builds the very record the class's own constructor builds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from medsheets.model import Encounter, Origin, Person, ServiceLine
from medsheets.quick_records import maker


def _line_arguments() -> dict[str, object]:
    origin = Origin("day.xlsx", "Encounters", 7, {"procedure_code": "Q"})
    return {
        "origin": origin,
        "encounter_id": "E1",
        "date_of_service": dt.date(2026, 11, 2),
        "patient_id": "P1",
        "patient": Person(
            "Peña", "José", dt.date(1960, 1, 1), "M", "1 Elm St", "Springfield", "IL", "62701"
        ),
        "patient_email": None,
        "patient_phone": None,
        "payer_id": "AETNA",
        "member_id": "M1",
        "group_number": None,
        "subscriber_relationship": "self",
        "subscriber": None,
        "procedure_code": "99213",
        "modifiers": ("25",),
        "units": 1,
        "charge": Decimal("120.00"),
        "diagnoses": ("I10",),
        "place_of_service": "11",
        "rendering_npi": "1234567893",
        "referring_npi": None,
        "referring_name": None,
        "prior_auth": None,
        "copay_collected": None,
        "dx_text": "hypertension",
    }


def test_a_line_made_quickly_is_the_line_the_constructor_makes() -> None:
    arguments = _line_arguments()
    quick, slow = maker(ServiceLine)(**arguments), ServiceLine(**arguments)
    assert type(quick) is ServiceLine
    assert quick == slow and repr(quick) == repr(slow)
    assert dataclasses.astuple(quick) == dataclasses.astuple(slow)  # the defaults too
    assert maker(Origin)(*dataclasses.astuple(slow.origin)) == slow.origin
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.units = 2  # type: ignore[misc]


def test_a_record_whose_init_does_more_than_set_its_fields_is_refused() -> None:
    with pytest.raises(TypeError, match="__post_init__"):
        maker(Encounter)
