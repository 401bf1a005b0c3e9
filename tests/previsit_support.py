"""Appointment workbooks and 271 answers built inside the tests (docs/before-the-visit.md, 005010X279A1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from workbook_factory import write_sheets

APPOINTMENT_HEADER = (
    "appointment_id", "date_of_service", "patient_id", "patient_last_name", "patient_first_name",
    "patient_dob", "patient_sex", "patient_email", "payer_id", "member_id", "group_number",
    "subscriber_relationship", "subscriber_last_name", "subscriber_first_name", "subscriber_dob",
    "procedure_code", "units", "dx1",
)
DAY = dt.date(2026, 11, 30)  # the appointments' day, after tests' TODAY 2026-11-27

ADULT: Mapping[str, Any] = {
    "appointment_id": "A1", "date_of_service": DAY, "patient_id": "700001",
    "patient_last_name": "Okafor", "patient_first_name": "Grace", "patient_dob": dt.date(1971, 2, 3),
    "patient_sex": "F", "payer_id": "BSTAR", "member_id": "BST44120001", "group_number": "G5500",
    "procedure_code": "99213",
}
CHILD: Mapping[str, Any] = {
    "appointment_id": "A2", "date_of_service": DAY, "patient_id": "700002",
    "patient_last_name": "Lindqvist", "patient_first_name": "Nils", "patient_dob": dt.date(2016, 6, 9),
    "patient_sex": "M", "payer_id": "NEMUT", "member_id": "NEM8800231",
    "subscriber_relationship": "child", "subscriber_last_name": "Lindqvist",
    "subscriber_first_name": "Karin", "subscriber_dob": dt.date(1984, 1, 20),
    "procedure_code": "99214",
}
SELF_PAY: Mapping[str, Any] = {
    "appointment_id": "A3", "date_of_service": DAY, "patient_id": "700003",
    "patient_last_name": "Brennan", "patient_first_name": "Maeve", "patient_dob": dt.date(1990, 9, 9),
    "patient_sex": "F", "procedure_code": "99203", "dx1": "J06.9",
}


def appointment(base: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    values = dict(base)
    values.update(changes)
    return values


def write_appointments(path: Path, rows: Sequence[Mapping[str, Any]],
                       header: Sequence[str] = APPOINTMENT_HEADER) -> Path:
    lines = [list(header)] + [[r.get(h) for h in header] for r in rows]
    return write_sheets(path, {"Appointments": lines})


def envelope_271(body: Sequence[str]) -> str:
    """A 271 interchange around `body` (the segments between ST and SE)."""
    head = ["ISA*00*          *00*          *ZZ*CLEARHOUSE01   *ZZ*MAPLE01        *261128*0900*^*00501*000000042*0*T*:",
            "GS*HB*CLEARHOUSE01*MAPLE01*20261128*0900*42*X*005010X279A1",
            "ST*271*0001*005010X279A1",
            "BHT*0022*11*REF42*20261128*0900"]
    segments = head + list(body)
    segments += [f"SE*{len(body) + 3}*0001", "GE*1*42", "IEA*1*000000042"]
    return "".join(f"{s}~\n" for s in segments)


def source_and_receiver(payer_id: str = "BSTAR", payer_name: str = "BLUESTEM HEALTH INSURANCE") -> list[str]:
    return ["HL*1**20*1", f"NM1*PR*2*{payer_name}*****PI*{payer_id}",
            "HL*2*1*21*1", "NM1*1P*2*MAPLE STREET FAMILY MEDICINE*****XX*1234567893"]


def subscriber(trace: str, member_id: str, last: str = "OKAFOR", first: str = "GRACE",
               child: bool = False) -> list[str]:
    hl = ["HL*3*2*22*1"] if child else ["HL*3*2*22*0", f"TRN*2*{trace}*1123456789"]
    return hl + [f"NM1*IL*1*{last}*{first}****MI*{member_id}", "DMG*D8*19710203*F"]


def plan_271(trace: str, member_id: str, benefits: Sequence[str], *, payer_id: str = "BSTAR",
             dates: Sequence[str] = ("DTP*346*D8*20260101", "DTP*347*D8*20261231")) -> str:
    """A 271 for one subscriber who is the patient, with the EB loops given."""
    return envelope_271(source_and_receiver(payer_id) + subscriber(trace, member_id)
                        + list(dates) + list(benefits))


COPAY_PLAN = ("EB*1*IND*30**GOLD PPO", "EB*B*IND*98***27*25*****Y",
              "EB*C*IND*30***23*1500*****Y", "EB*C*IND*30***29*0*****Y",
              "EB*A*IND*30*****0****Y")
DEDUCTIBLE_PLAN = ("EB*1*IND*30**SILVER HDHP", "EB*C*IND*30***23*2000*****Y",
                   "EB*C*IND*30***29*100*****Y", "EB*C*IND*30***23*5000*****N",
                   "EB*A*IND*30*****.2****Y", "EB*A*IND*30*****.4****N",
                   "EB*G*IND*30***23*6000*****Y", "EB*G*IND*30***29*4000*****Y")
OOP_MET_PLAN = ("EB*1*IND*30**BRONZE", "EB*C*IND*30***23*3000*****Y",
                "EB*C*IND*30***29*0*****Y", "EB*A*IND*30*****.3****Y",
                "EB*G*IND*30***23*7000*****Y", "EB*G*IND*30***29*0*****Y")
