"""The example practice's people: its providers, its patients and their insurance.

All fictional. Patients are given an age on the first example day rather than a birth date,
so that `medsheets init` (which dates its encounters to the last two weekdays) always produces
patients whose ages fit their visits: an infant stays under one, a Medicare patient over 65.
Real names have apostrophes and accents, so these do too; IDs and ZIPs with leading zeros
check that nothing downstream treats them as numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from medsheets.identifiers import npi_check_digit


def npi(first_nine: str) -> str:
    """A well-formed NPI: nine digits and their check digit."""
    return first_nine + npi_check_digit(first_nine)


PRACTICE_NPI = npi("198204576")
DR_PARK = npi("145739281")  # Helen Park, MD
DR_ORTIZ = npi("162083947")  # Samuel Ortiz, DO
NP_LEE = npi("138406295")  # Jordan Lee, NP
REFERRING_NPI = npi("170652384")  # Alan Whitfield, MD, endocrinology, across town


class Provider(NamedTuple):
    """A row of the Providers sheet (docs/files.md); first_name blank would be an organisation."""

    npi: str
    last_name: str
    first_name: str
    taxonomy: str


# The practice's clinicians and the referring doctor it knows. The referral row leaves
# referring_name blank: his name comes from here, as the rendering names always do.
PROVIDERS: tuple[Provider, ...] = (
    Provider(DR_PARK, "Park", "Helen", "207Q00000X"),  # family medicine
    Provider(DR_ORTIZ, "Ortiz", "Samuel", "207R00000X"),  # internal medicine
    Provider(NP_LEE, "Lee", "Jordan", "363LF0000X"),  # nurse practitioner, family
    Provider(REFERRING_NPI, "Whitfield", "Alan", "207RE0101X"),  # endocrinology
)
DEFAULT_RENDERING_NPI = DR_PARK


class Patient(NamedTuple):
    """A patient: account number, name, age on the first day (and days past that birthday),
    sex, address, contact, and insurance (payer, member ID, group; blank payer: self-pay).
    `subscriber` names the policy holder's key in SUBSCRIBERS when it is not the patient;
    `secondary` a second insurance of the patient's own (a dual-eligible's Medicaid)."""

    patient_id: str
    last_name: str
    first_name: str
    age: int
    days_past_birthday: int
    sex: str
    address: str
    city: str
    state: str
    zip: str
    email: str | None
    phone: str | None
    payer_id: str | None = None
    member_id: str | None = None
    group_number: str | None = None
    subscriber: str | None = None
    secondary: tuple[str, str] | None = None  # a second insurance: (payer_id, member_id)


class Subscriber(NamedTuple):
    """A policy holder who is not the patient (a parent): name, age on the first day, sex."""

    last_name: str
    first_name: str
    age: int
    days_past_birthday: int
    sex: str


SPRINGFIELD = ("Springfield", "IL")

_P = Patient
PATIENTS: dict[str, Patient] = {
    p.patient_id: p
    for p in (
        _P("001027", "O'Brien", "Margaret", 72, 41, "F", "418 Elm St", *SPRINGFIELD, "62704",
           "margaret.obrien@example.com", "2175550142", "MCRB1", "3KJ7TY2WA41"),
        _P("001028", "O'Brien", "Robert", 74, 200, "M", "418 Elm St", *SPRINGFIELD, "62704",
           None, "2175550142", "MCRB1", "7FD2NR4HC58"),
        _P("002215", "Peña", "José", 45, 97, "M", "1207 Walnut St", *SPRINGFIELD, "627031406",
           "jose.pena@example.org", "2175550177", "BSTAR", "BSX004417823", "0045821"),
        _P("002216", "Peña", "Ana", 8, 150, "F", "1207 Walnut St", *SPRINGFIELD, "627031406",
           "jose.pena@example.org", "2175550177", "BSTAR", "BSX004417823", "0045821",
           "002215"),
        _P("003356", "Nguyen", "Linh", 29, 63, "F", "55 Sunset Dr Apt 4B", *SPRINGFIELD,
           "62711", "linh.nguyen@example.com", "2175550118", "PRAHM", "PHM00731952", "HM2210"),
        _P("004190", "Washington", "Tyler", 17, 120, "M", "2301 E Cook St", *SPRINGFIELD,
           "62703", "d.washington@example.org", "2175550163", "ILMCD", "093418226"),
        _P("000412", "Kowalski", "Dorothy", 81, 300, "F", "9 Oak Knoll Ct", "Chatham", "IL",
           "62629", "dorothy.kowalski@example.com", "2175550109", "MCRB1", "5VX3GE8QM27"),
        _P("005873", "Johnson", "Marcus", 52, 33, "M", "640 N 5th St", *SPRINGFIELD, "62702",
           "marcus.johnson@example.org", "2175550181", "NEMUT", "0081123409", "00217"),
        _P("006021", "Rossi", "Sofia", 34, 180, "F", "1710 Whittier Ave", *SPRINGFIELD,
           "62704", "sofia.rossi@example.com", "2175550136", "BSTAR", "BSX117700452",
           "0078304"),
        _P("006544", "Schmidt", "Hannah", 3, 88, "F", "312 W Jefferson St", *SPRINGFIELD,
           "62702", "k.schmidt@example.com", "2175550150", "ILMCD", "110458823"),
        _P("007310", "Kim", "Daniel", 26, 250, "M", "88 Lakeview Rd", *SPRINGFIELD, "62712",
           "daniel.kim@example.com", "2175550193"),
        _P("007311", "Raman", "Priya", 38, 72, "F", "2645 Bittersweet Ln", *SPRINGFIELD,
           "62704", "priya.raman@example.org", "2175550127", "NEMUT", "0093307715", "00217"),
        _P("007402", "Cole", "Ethan", 23, 140, "M", "19 Bryn Mawr Blvd", *SPRINGFIELD, "62703",
           "ethan.cole@example.com", None),
        _P("003001", "Okafor", "Beatrice", 56, 210, "F", "3012 Lindbergh Blvd", *SPRINGFIELD,
           "62707", "beatrice.okafor@example.org", "2175550171", "BSTAR", "BSX220014876",
           "0045821"),
        _P("008120", "Liu", "Grace", 41, 55, "F", "700 Chatham Rd", *SPRINGFIELD, "62711",
           "grace.liu@example.com", "2175550104"),
        _P("000977", "Brooks", "Walter", 67, 25, "M", "12 Prairie View Dr", "Rochester", "IL",
           "62563", "walter.brooks@example.com", "2175550188", "MCRB1", "2QC5HU7RK94",
           secondary=("ILMCD", "119052278")),  # dual-eligible: Medicare, then Medicaid
        _P("001530", "Carter", "Evelyn", 66, 150, "F", "2208 S Pasfield St", *SPRINGFIELD,
           "62704", "evelyn.carter@example.org", "2175550115", "MCRB1", "6NM8XD3TA15"),
        _P("008305", "Bennett", "Noah", 0, 210, "M", "41 Meadowbrook Ct", *SPRINGFIELD, "62711",
           "emily.bennett@example.com", "2175550131", "PRAHM", "PHM00458810", "HM2210",
           "emily"),
        _P("008410", "Mendoza", "Carlos", 58, 44, "M", "506 Main St", "Sherman", "IL", "62684",
           "carlos.mendoza@example.com", "2175550146", "PRAHM", "PHM00912264", "HM3105"),
        _P("008522", "Martin", "Olivia", 27, 300, "F", "14 Pleasant St", "Concord", "NH",
           "03301", "olivia.martin@example.org", "6035550122", "NEMUT", "0067720018", "00350"),
        _P("008601", "Greene", "Samuel", 45, 20, "M", "1130 N Grand Ave E", *SPRINGFIELD,
           "62702", None, "2175550159"),
        _P("002980", "Rahman", "Aisha", 33, 115, "F", "820 S State St", *SPRINGFIELD, "62704",
           "aisha.rahman@example.com", "2175550166", "BSTAR", "BSX330981245", "0078304"),
        _P("000633", "Adams", "Henry", 70, 260, "M", "4 Country Club Dr", *SPRINGFIELD,
           "62707", "henry.adams@example.org", "2175550102", "MCRB1", "8GT4WP6JE33"),
        _P("004777", "Delgado", "Rosa", 49, 190, "F", "1515 E Laurel St", *SPRINGFIELD,
           "62703", "rosa.delgado@example.com", "2175550174", "ILMCD", "027761390"),
        _P("008733", "Novak", "Thomas", 61, 95, "M", "2750 Stevenson Dr", *SPRINGFIELD,
           "62703", "thomas.novak@example.com", "2175550197", "CHWF1", "CHW00418827", "L270"),
    )
}


def _as_subscriber(patient: Patient) -> Subscriber:
    return Subscriber(patient.last_name, patient.first_name, patient.age,
                      patient.days_past_birthday, patient.sex)


# Policy holders of the dependants: a parent who is a patient too (by account number), or not.
SUBSCRIBERS: dict[str, Subscriber] = {
    "002215": _as_subscriber(PATIENTS["002215"]),
    "emily": Subscriber("Bennett", "Emily", 31, 160, "F"),
}


def born(first_day: dt.date, age: int, days_past_birthday: int) -> dt.date:
    """A birth date that makes someone `age` on `first_day`, their birthday that many days ago.

    Keeping the birthday well away from the example days (20 to 300 days) means the age is
    the same on both days, whichever two days `medsheets init` picks.
    """
    try:
        anniversary = first_day.replace(year=first_day.year - age)
    except ValueError:  # 29 February in a year without one
        anniversary = first_day.replace(year=first_day.year - age, day=28)
    return anniversary - dt.timedelta(days=days_past_birthday)
