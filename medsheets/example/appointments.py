"""The example practice's appointments for the next weekday, and the payers' 271 answers.

Four visits show the whole before-the-visit day: an adult on a deductible + coinsurance plan
(a visit and a lab panel), a child on her father's plan with an office-visit copay, a patient
whose coverage has ended (the estimate is flagged, not guessed), and a self-pay patient who is
given a Good Faith Estimate. The 271 answers them as a clearinghouse would; its traces are
not the ones `medsheets eligibility` will send (those are numbered when it runs), so the
answers are matched by payer and member id, as for an answer that came back without our trace.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from medsheets.config import parse_config
from medsheets.example import xlsx
from medsheets.example.fees import PAYERS
from medsheets.example.people import PATIENTS, SUBSCRIBERS, born
from medsheets.example.rows import EXAMPLE_APPOINTMENT_COLUMNS, insurance_fields, patient_fields
from medsheets.example.settings import PRACTICE_NAME, config_text
from medsheets.files import write_atomic
from medsheets.identifiers import x12_text
from medsheets.x12.compose import segment
from medsheets.x12.envelope import ControlNumbers, EnvelopeHeader, write_interchange

Days = tuple[dt.date, dt.date]
# (patient, planned services as (code, dx1))
APPOINTMENTS: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = (
    ("003001", (("99214", "E11.9"), ("80053", "E11.9"))),  # deductible + coinsurance
    ("002216", (("99213", "J02.9"),)),  # a dependent with a copay
    ("005873", (("99213", None),)),  # coverage ended: flagged
    ("008120", (("99203", "M54.50"), ("85025", "M54.50"))),  # self-pay: Good Faith Estimate
)
PLAN_YEAR_BENEFITS = {
    "003001": ("EB*1*IND*30**BLUESTEM SILVER 2000", "EB*C*IND*30***23*2000*****Y",
               "EB*C*IND*30***29*150*****Y", "EB*A*IND*30*****.2****Y",
               "EB*G*IND*30***23*6000*****Y", "EB*G*IND*30***29*3120.5*****Y"),
    "002216": ("EB*1*FAM*30**BLUESTEM GOLD PPO", "EB*B*IND*98***27*25*****Y",
               "EB*C*IND*30***23*500*****Y", "EB*C*IND*30***29*0*****Y"),
    "005873": ("EB*6**30",),
}


def appointment_day(days: Days) -> dt.date:
    """The weekday after the day after the second example day: a day still ahead."""
    day = days[1] + dt.timedelta(days=2)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def appointment_file_name(days: Days) -> str:
    return f"{appointment_day(days).isoformat()}.xlsx"


def appointment_rows(days: Days) -> list[dict[str, Any]]:
    day = appointment_day(days)
    rows = []
    for number, (patient_id, services) in enumerate(APPOINTMENTS, start=1):
        patient = PATIENTS[patient_id]
        shared = {"appointment_id": f"A{day:%y%m%d}-{number:02d}", "date_of_service": day,
                  **patient_fields(patient, days[0]), **insurance_fields(patient, days[0])}
        for code, dx in services:
            rows.append({**shared, "procedure_code": code, "dx1": dx})
    return rows


def write_appointments(path: Path, days: Days) -> None:
    book = xlsx.new_workbook()
    title = f"{PRACTICE_NAME} — appointments for {appointment_day(days):%A} {appointment_day(days).isoformat()}"
    xlsx.add_table(book, "Appointments", EXAMPLE_APPOINTMENT_COLUMNS, appointment_rows(days), title)
    xlsx.save(book, path)


def example_271(days: Days) -> str:
    """The answers to the example's inquiries, one transaction for each payer asked."""
    config = parse_config(tomllib.loads(config_text()))
    by_payer: dict[str, list[str]] = {}
    for patient_id, _ in APPOINTMENTS:
        patient = PATIENTS[patient_id]
        if patient.payer_id and patient_id in PLAN_YEAR_BENEFITS:
            by_payer.setdefault(patient.payer_id, []).append(patient_id)
    when = dt.datetime.combine(days[1] + dt.timedelta(days=1), dt.time(7, 30))
    bodies = [_answer(payer, ids, config.practice.name, config.practice.npi, days, when)
              for payer, ids in sorted(by_payer.items())]
    header = EnvelopeHeader(sender_id=config.receiver.id, receiver_id=config.submitter.id,
                            usage=config.x12.usage, functional_id="HB", transaction_type="271",
                            version="005010X279A1")
    return write_interchange(bodies, header=header, control=ControlNumbers(2, 2, 1), now=when)


def _answer(payer_id: str, patient_ids: list[str], practice: str, npi: str, days: Days,
            when: dt.datetime) -> list[str]:
    name = x12_text(next(p.name for p in PAYERS if p.payer_id == payer_id), "NM103")
    body = [segment("BHT", "0022", "11", f"EX{payer_id}", when.strftime("%Y%m%d"), when.strftime("%H%M")),
            segment("HL", "1", "", "20", "1"), segment("NM1", "PR", "2", name, "", "", "", "", "PI", payer_id),
            segment("HL", "2", "1", "21", "1"), segment("NM1", "1P", "2", x12_text(practice, "NM103"), "", "", "", "", "XX", npi)]
    number = 2
    year = appointment_day(days).year
    for patient_id in patient_ids:
        patient = PATIENTS[patient_id]
        holder = SUBSCRIBERS.get(patient.subscriber or "")
        number += 1
        subscriber_hl = number
        trace = segment("TRN", "2", f"EXAMPLE-{patient_id}", "9877281234")
        if holder is None:
            body += [segment("HL", str(number), "2", "22", "0"), trace,
                     segment("NM1", "IL", "1", x12_text(patient.last_name, "NM103"),
                             x12_text(patient.first_name, "NM104"), "", "", "", "MI",
                             patient.member_id or "")]
        else:
            body += [segment("HL", str(number), "2", "22", "1"),
                     segment("NM1", "IL", "1", x12_text(holder.last_name, "NM103"),
                             x12_text(holder.first_name, "NM104"), "", "", "", "MI",
                             patient.member_id or "")]
            number += 1
            body += [segment("HL", str(number), str(subscriber_hl), "23", "0"), trace,
                     segment("NM1", "03", "1", x12_text(patient.last_name, "NM103"),
                             x12_text(patient.first_name, "NM104"))]
        dob = born(days[0], patient.age, patient.days_past_birthday)
        body.append(segment("DMG", "D8", dob.strftime("%Y%m%d"), patient.sex))
        if PLAN_YEAR_BENEFITS[patient_id] == ("EB*6**30",):  # ended the day before the visit
            ended = appointment_day(days) - dt.timedelta(days=1)
            body.append(segment("DTP", "347", "D8", ended.strftime("%Y%m%d")))
        else:
            body.append(segment("DTP", "346", "D8", f"{year}0101"))
            body.append(segment("DTP", "347", "D8", f"{year}1231"))
        body += list(PLAN_YEAR_BENEFITS[patient_id])
    return body


def write_example_271(folder: Path, days: Days) -> str:
    name = f"eligibility-{(days[1] + dt.timedelta(days=1)).isoformat()}.271"
    write_atomic(folder / name, example_271(days))
    return name
