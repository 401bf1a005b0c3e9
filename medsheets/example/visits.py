"""The example practice's two days of visits, as a front desk would record them.

Each visit is what a billing specialist would expect to see on a clean day: a physical with a
separately documented problem (modifier 25 on the problem visit), injections with their drug
units, labs drawn in the office, a dependent child on a parent's plan, self-pay patients who
paid at the desk, a prior authorization for an HMO joint injection, a union fund's member
billed on paper, and patients who come back on the second day (whose details then come from
the workbook's Patients sheet).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from medsheets.example.people import DR_ORTIZ, DR_PARK, NP_LEE, REFERRING_NPI


class Line(NamedTuple):
    """One service line: code, diagnoses (dotted, as people type them), modifiers, units, and
    whether the front desk typed the charge (equal to the fee) rather than leaving it blank."""

    code: str
    dx: tuple[str, ...]
    modifiers: tuple[str, ...] = ()
    units: int = 1
    charge_typed: bool = False


class Visit(NamedTuple):
    """One encounter: the patient's account number, the rendering provider, its lines, what
    the patient paid at the desk, and the claim-level extras some visits carry."""

    patient_id: str
    rendering_npi: str
    lines: tuple[Line, ...]
    copay: Decimal | None = None
    prior_auth: str | None = None
    referred: bool = False


def _l(code: str, *dx: str, mods: tuple[str, ...] = (), units: int = 1,
       typed: bool = False) -> Line:
    return Line(code, dx, mods, units, typed)


MOD25 = ("25",)

FIRST_DAY: tuple[Visit, ...] = (
    Visit("001027", DR_PARK, (
        _l("G0439", "Z00.00", typed=True),
        _l("99214", "I10", "E78.5", mods=MOD25),
        _l("36415", "I10", "E78.5"),
        _l("80053", "I10"),
        _l("80061", "E78.5"),
        _l("G0008", "Z23"),
        _l("90686", "Z23"),
    )),
    Visit("001028", DR_PARK, (
        _l("99213", "E11.9", "I10", "Z79.84"),
        _l("83036", "E11.9"),
        _l("36415", "E11.9"),
    )),
    Visit("002215", DR_ORTIZ, (
        _l("99396", "Z00.00"),
        _l("99213", "M54.50", mods=MOD25),
        _l("80061", "Z13.220"),
        _l("36415", "Z13.220"),
    ), copay=Decimal("30.00")),
    Visit("003356", NP_LEE, (
        _l("99203", "N39.0", typed=True),
        _l("81002", "N39.0"),
        _l("81025", "Z32.02"),
    ), copay=Decimal("25.00")),
    Visit("004190", DR_ORTIZ, (
        _l("99214", "J45.41", mods=MOD25),
        _l("94640", "J45.41", units=2),
    )),
    Visit("000412", DR_PARK, (
        _l("99214", "I50.32", "I48.91", "Z79.01", mods=MOD25),
        _l("93000", "I48.91", typed=True),
        _l("85025", "I50.32"),
        _l("80048", "I50.32"),
        _l("36415", "I50.32"),
    )),
    Visit("005873", NP_LEE, (
        _l("99214", "E11.65", "E78.5", "Z79.4", typed=True),
    ), copay=Decimal("30.00")),
    Visit("006021", DR_ORTIZ, (
        _l("99395", "Z00.00"),
        _l("90715", "Z23"),
        _l("90471", "Z23"),
        _l("0500T", "Z11.51"),
    )),
    Visit("006544", NP_LEE, (
        _l("99213", "H66.91", "J02.9"),
        _l("87880", "J02.9"),
    )),
    Visit("007310", NP_LEE, (
        _l("99202", "J06.9", typed=True),
        _l("87804", "J06.9"),
    ), copay=Decimal("50.00")),
    Visit("007311", DR_PARK, (
        _l("99213", "J01.90"),
    ), copay=Decimal("30.00")),
    Visit("007402", DR_ORTIZ, (
        _l("99212", "L70.0"),
    )),
    Visit("003001", DR_PARK, (
        _l("99214", "E03.9", "I10"),
        _l("84443", "E03.9"),
        _l("36415", "E03.9"),
    ), copay=Decimal("30.00")),
    Visit("004777", DR_ORTIZ, (
        _l("99213", "E11.9", "Z79.84"),
        _l("83036", "E11.9"),
        _l("36415", "E11.9"),
    )),
)

SECOND_DAY: tuple[Visit, ...] = (
    Visit("002216", DR_ORTIZ, (
        _l("99393", "Z00.129"),
        _l("90471", "Z23"),
        _l("90686", "Z23"),
    )),
    Visit("008120", NP_LEE, (
        _l("99213", "L03.115", mods=MOD25, typed=True),
        _l("96372", "L03.115"),
        _l("J0696", "L03.115", units=4),
    ), copay=Decimal("80.00")),
    Visit("000977", DR_PARK, (
        _l("99213", "I10", mods=MOD25),
        _l("G0102", "Z12.5"),
        _l("96372", "D51.0"),
        _l("J3420", "D51.0"),
    )),
    Visit("001530", DR_PARK, (
        _l("G0101", "Z01.419"),
        _l("Q0091", "Z01.419"),
        _l("G0008", "Z23"),
        _l("90686", "Z23"),
    )),
    Visit("008305", NP_LEE, (
        _l("99391", "Z00.129"),
        _l("90471", "Z23"),
        _l("90686", "Z23"),
    )),
    Visit("003356", NP_LEE, (
        _l("99212", "N39.0"),
        _l("81002", "N39.0"),
    ), copay=Decimal("25.00")),
    Visit("000412", DR_PARK, (
        _l("85610", "Z51.81", "Z79.01", "I48.91"),
        _l("36415", "Z51.81"),
    )),
    Visit("005873", NP_LEE, (
        _l("36415", "E11.65"),
        _l("80053", "E11.65"),
        _l("80061", "E78.5"),
        _l("83036", "E11.65", "Z79.4"),
    ), referred=True),
    Visit("008410", DR_ORTIZ, (
        _l("20610", "M17.12", mods=("LT",), typed=True),
        _l("99214", "M17.12", "I10", mods=MOD25),
        _l("J3301", "M17.12", units=4),
        _l("96372", "M17.12", mods=("XS",)),
        _l("J1885", "M17.12", units=2),
    ), copay=Decimal("40.00"), prior_auth="PA2611-04417"),
    Visit("008522", NP_LEE, (
        _l("99213", "J02.0"),
        _l("87880", "J02.0"),
    ), copay=Decimal("30.00")),
    Visit("008601", DR_ORTIZ, (
        _l("99203", "R51.9", typed=True),
    ), copay=Decimal("75.00")),
    Visit("002980", NP_LEE, (
        _l("99213", "Z32.01"),
        _l("81025", "Z32.01"),
    ), copay=Decimal("30.00")),
    Visit("000633", DR_PARK, (
        _l("99214", "J44.1", mods=MOD25),
        _l("94640", "J44.1", units=2),
        _l("96372", "J44.1"),
        _l("J1100", "J44.1", units=10),
    )),
    Visit("001028", DR_PARK, (
        _l("99211", "I10"),
    )),
    Visit("008733", DR_ORTIZ, (  # his union fund takes paper claims: a CMS-1500
        _l("99214", "M54.50", "I10"),
        _l("36415", "E78.5"),
        _l("80061", "E78.5"),
    ), copay=Decimal("25.00")),
)

DAYS: tuple[tuple[Visit, ...], tuple[Visit, ...]] = (FIRST_DAY, SECOND_DAY)
REFERRING = (REFERRING_NPI, None)  # the name comes from the Providers sheet
