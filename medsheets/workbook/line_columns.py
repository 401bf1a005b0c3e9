"""The line sheet's columns, a chunk at a time, turned into ServiceLine records.

A day's rows share most of what a line is made of: the same patient on several lines, a
handful of modifier and diagnosis combinations, the same subscriber, guarantor or secondary
insurance on every line of a visit. So each part (a Person, a Coverage, the diagnosis tuple)
is built once per distinct combination of its cells (`Parts`) and shared by every line
holding it; the per-line work left is building the ServiceLine itself. Reading only: whether
the values are right is the edits' business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, fields
from functools import lru_cache
from itertools import repeat
from typing import Any

from medsheets.identifiers import normalize_icd10
from medsheets.model import Coverage, Guarantor, Origin, Person, Problem, ServiceLine, error
from medsheets.quick_records import maker

GUARANTOR_FIELDS = ("last_name", "first_name", "address", "city", "state", "zip", "email")
PERSON_FIELDS = ("last_name", "first_name", "dob", "sex", "address", "city", "state", "zip")
PATIENT_DEMOGRAPHICS = tuple(f"patient_{f}" for f in PERSON_FIELDS)
GUARANTOR_KEYS = tuple(f"guarantor_{name}" for name in GUARANTOR_FIELDS)
SUBSCRIBER_KEYS = ("subscriber_relationship", *(f"subscriber_{f}" for f in PERSON_FIELDS[:4]))
SECONDARY_KEYS = ("secondary_payer_id", "secondary_member_id", "secondary_group_number",
                  *(f"secondary_{name}" for name in SUBSCRIBER_KEYS))
TERTIARY_KEYS = tuple(key.replace("secondary_", "tertiary_", 1) for key in SECONDARY_KEYS)
MODIFIER_KEYS = tuple(f"modifier{i}" for i in range(1, 5))
DX_KEYS = tuple(f"dx{i}" for i in range(1, 5))

RELATIONSHIPS = {"self": "self", "spouse": "spouse", "child": "child", "other": "other",
                 "18": "self", "01": "spouse", "19": "child", "g8": "other"}

# The line's fields read straight from a column of the same name; the record's fields in order.
LINE_COLUMNS = ("encounter_id", "date_of_service", "patient_id", "patient_email", "patient_phone",
                "payer_id", "member_id", "group_number", "procedure_code", "charge",
                "place_of_service", "rendering_npi", "referring_npi", "referring_name",
                "prior_auth", "copay_collected", "dx_text")
LINE_FIELDS = tuple(field.name for field in fields(ServiceLine))
_DEFAULTS = {field.name: field.default for field in fields(ServiceLine) if field.default is not MISSING}

_diagnosis = lru_cache(maxsize=65536)(normalize_icd10)  # one string per code, not per cell
_service_line = maker(ServiceLine)  # one per row: built without the frozen per-field setattr
_person = maker(Person)  # one per patient of the day (a third of the rows), likewise


class Parts:
    """The parts of lines built so far in one reading, by the cells they were built from."""

    def __init__(self) -> None:
        self._built: dict[str, dict[tuple[Any, ...], Any]] = {}

    def of(self, what: str, make: Callable[..., Any], columns: Mapping[str, list[Any]],
           keys: Sequence[str]) -> list[Any]:
        """For each row, `make(*its cells in keys)`, called once per distinct combination."""
        built = self._built.setdefault(what, {})
        chosen = [columns[key] for key in keys]
        if all(column[0] is None and column.count(None) == len(column) for column in chosen):
            # every cell blank (most sheets have no secondary, tertiary or guarantor columns):
            # one part for the chunk, without a tuple per row to find that out
            blank = (None,) * len(keys)
            if blank not in built:
                built[blank] = make(*blank)
            return [built[blank]] * len(chosen[0])
        cells = list(zip(*chosen))
        for combination in set(cells).difference(built):
            built[combination] = make(*combination)
        return list(map(built.__getitem__, cells))


def service_lines(origins: Sequence[Origin], columns: Mapping[str, list[Any]],
                  parts: Parts) -> list[ServiceLine]:
    """One ServiceLine per row of the chunk (no checking beyond what reading the cells did).

    Each of the record's fields gets a column (the sheet's own, or its shared parts); the
    records are then made by `map` over those columns in the record's field order, each
    call's arguments passed by position in C (by keyword, 31 of them a row, the calls cost
    twice as much)."""
    c = columns
    subscribed = parts.of("subscriber", lambda *cells: _subscriber(dict(zip(SUBSCRIBER_KEYS, cells)), ""),
                          c, SUBSCRIBER_KEYS)
    units = c["units"]
    by_field: dict[str, Iterable[Any]] = {
        **{name: c[name] for name in LINE_COLUMNS},
        "origin": origins,
        "patient": parts.of("patient", _person, c, PATIENT_DEMOGRAPHICS),
        "subscriber_relationship": [relationship for relationship, _ in subscribed],
        "subscriber": [subscriber for _, subscriber in subscribed],
        "modifiers": parts.of("modifiers", lambda *codes: tuple([m for m in codes if m]), c,
                              MODIFIER_KEYS),
        "units": units if None not in units else [1 if n is None else n for n in units],
        "diagnoses": parts.of("diagnoses", lambda *codes: tuple([_diagnosis(d) for d in codes if d]),
                              c, DX_KEYS),
        "guarantor": parts.of("guarantor", lambda *cells: guarantor(dict(zip(GUARANTOR_KEYS, cells))),
                              c, GUARANTOR_KEYS),
        "secondary": parts.of("secondary",
                              lambda *cells: secondary_coverage(dict(zip(SECONDARY_KEYS, cells))),
                              c, SECONDARY_KEYS),
        "tertiary": parts.of("tertiary", lambda *cells: secondary_coverage(
            dict(zip(TERTIARY_KEYS, cells)), "tertiary_", TERTIARY_KEYS), c, TERTIARY_KEYS),
        "charge_from_fee_schedule": c.get("charge_from_fee_schedule") or repeat(False),
    }
    # a field no column fills takes its default (from_ledger, secondary_ended, tertiary_ended)
    return list(map(_service_line, *(by_field[name] if name in by_field else repeat(_DEFAULTS[name])
                                     for name in LINE_FIELDS)))


def fill_from_patients(columns: Mapping[str, list[Any]],
                       patients: Mapping[str, Mapping[str, Any]]) -> None:
    """Fill each row's blank cells from the Patients sheet entry of its patient_id (in place)."""
    if not patients:
        return
    for j, patient_id in enumerate(columns["patient_id"]):
        known = patients.get(patient_id or "")
        if not known:
            continue
        for name, value in known.items():
            column = columns.get(name)
            if value is not None and column is not None and column[j] is None:
                column[j] = value


def diagnosis_gaps(origins: Sequence[Origin], columns: Mapping[str, list[Any]]) -> list[Problem]:
    """A blank dx cell before a filled one: pointers count dx1..dx4 in order, so a gap would
    point the line at the wrong diagnosis."""
    problems = []
    for origin, *codes in zip(origins, *(columns[key] for key in DX_KEYS)):
        if codes[3] is None and (codes[2] is None or codes[1] is not None):
            continue  # no gap possible: the common case, decided without building a list
        filled = [code is not None for code in codes]
        for i in range(1, 3):  # a blank dx1 is already reported as a required field
            if not filled[i] and any(filled[i + 1:]):
                problems.append(error(origin.at(f"dx{i + 1}"), "MS-DX-GAP",
                                      f"dx{i + 1} is blank but a later dx column is filled; "
                                      "fill the diagnoses from dx1 without gaps"))
                break
    return problems


def _subscriber(v: Mapping[str, Any], prefix: str) -> tuple[str, Person | None]:
    """(relationship, subscriber) from the `{prefix}subscriber_*` columns: no subscriber when
    the patient is the insured and no subscriber column is filled."""
    relationship_text = (v.get(f"{prefix}subscriber_relationship") or "self").strip().lower()
    relationship = RELATIONSHIPS.get(relationship_text, relationship_text)
    subscriber = None
    if relationship != "self" or any(v.get(f"{prefix}subscriber_{f}") for f in PERSON_FIELDS[:4]):
        subscriber = Person(*(v.get(f"{prefix}subscriber_{f}") for f in PERSON_FIELDS[:4]))
    return relationship, subscriber


def secondary_coverage(v: Mapping[str, Any], prefix: str = "secondary_",
                       keys: Sequence[str] = SECONDARY_KEYS) -> Coverage | None:
    """The row's secondary (prefix "tertiary_": tertiary) insurance, or None when none of its
    cells is filled. A row with such cells but no payer ID keeps them (payer_id None) for the
    edits to report: nothing typed is dropped silently."""
    payer_id = v.get(f"{prefix}payer_id")
    if not payer_id and not any(v.get(name) is not None for name in keys):
        return None
    relationship, subscriber = _subscriber(v, prefix)
    return Coverage(payer_id, v.get(f"{prefix}member_id"), v.get(f"{prefix}group_number"),
                    relationship, subscriber)


def guarantor(v: Mapping[str, Any]) -> Guarantor | None:
    """The row's guarantor columns, or None when all are blank (the default guarantor)."""
    values = [v.get(f"guarantor_{name}") for name in GUARANTOR_FIELDS]
    return Guarantor(*values) if any(value is not None for value in values) else None

