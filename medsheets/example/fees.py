"""The example practice's code sets: fee schedule, modifiers, payers, NCCI pairs, diagnoses.

A small family practice's real-looking codesets.xlsx, as plain data, so `medsheets init` hands
a new user a workbook they can read and edit rather than an empty template. Fees are
fictional; the descriptions are short plain wording of our own (CPT descriptors are the AMA's
copyrighted text and are not reproduced); the limits (MUE units, age bands of the preventive
visits, sex of the screening codes) are the ones the claim scrubber checks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple


class Fee(NamedTuple):
    """A Procedures row: code, own-words description, fee, CPT/HCPCS, dates, MUE, sex, ages,
    global period."""

    code: str
    description: str
    fee: Decimal
    type: str = "CPT"
    effective: dt.date | None = None
    terminated: dt.date | None = None
    max_units: int | None = 1
    sex: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    global_days: int | None = None


def _fee(code: str, description: str, fee: str, *, effective: dt.date | None = None,
         terminated: dt.date | None = None, max_units: int | None = 1, sex: str | None = None,
         min_age: int | None = None, max_age: int | None = None,
         global_days: int | None = None) -> Fee:
    """A fee schedule row; the type follows from the code (CPT codes start with a digit)."""
    kind = "CPT" if code[:1].isdigit() else "HCPCS"
    return Fee(code, description, Decimal(fee), kind, effective, terminated, max_units, sex,
               min_age, max_age, global_days)


def _preventive(first: int, kind: str, fee_by_band: tuple[str, ...]) -> list[Fee]:
    """The seven preventive visits of one series (new or established) with their age bands."""
    bands = ((0, 0, "under 1 year"), (1, 4, "age 1-4"), (5, 11, "age 5-11"),
             (12, 17, "age 12-17"), (18, 39, "age 18-39"), (40, 64, "age 40-64"),
             (65, None, "age 65 and over"))
    return [
        _fee(str(first + i), f"Preventive visit, {kind} patient, {label}", fee,
             min_age=low, max_age=high)
        for i, ((low, high, label), fee) in enumerate(zip(bands, fee_by_band))
    ]


PROCEDURES: tuple[Fee, ...] = (
    _fee("99201", "Office visit, new patient, minimal (code deleted 2021)", "60.00",
         terminated=dt.date(2020, 12, 31)),
    _fee("99202", "Office visit, new patient, straightforward", "115.00"),
    _fee("99203", "Office visit, new patient, low complexity", "175.00"),
    _fee("99204", "Office visit, new patient, moderate complexity", "260.00"),
    _fee("99205", "Office visit, new patient, high complexity", "340.00"),
    _fee("99211", "Office visit, established patient, nurse visit", "35.00"),
    _fee("99212", "Office visit, established patient, straightforward", "85.00"),
    _fee("99213", "Office visit, established patient, low complexity", "135.00"),
    _fee("99214", "Office visit, established patient, moderate complexity", "195.00"),
    _fee("99215", "Office visit, established patient, high complexity", "270.00"),
    *_preventive(99381, "new", ("190.00", "200.00", "205.00", "220.00", "225.00", "245.00",
                                "265.00")),
    *_preventive(99391, "established", ("165.00", "175.00", "180.00", "190.00", "195.00",
                                        "210.00", "230.00")),
    _fee("G0438", "Annual wellness visit, first", "230.00", effective=dt.date(2011, 1, 1)),
    _fee("G0439", "Annual wellness visit, subsequent", "175.00", effective=dt.date(2011, 1, 1)),
    _fee("G0101", "Pelvic and breast exam for cancer screening", "55.00", sex="F"),
    _fee("Q0091", "Collecting a screening Pap smear", "50.00", sex="F"),
    _fee("G0102", "Digital rectal exam for prostate cancer screening", "30.00", sex="M",
         min_age=50),
    _fee("99406", "Counselling to stop smoking, 3 to 10 minutes", "30.00"),
    _fee("96127", "Short emotional or behavioural screening questionnaire", "15.00",
         max_units=3),
    _fee("80048", "Basic metabolic panel", "30.00"),
    _fee("80053", "Comprehensive metabolic panel", "38.00"),
    _fee("80061", "Lipid panel", "40.00"),
    _fee("82465", "Total cholesterol", "15.00"),
    _fee("82565", "Creatinine, blood", "14.00"),
    _fee("83036", "Hemoglobin A1c", "30.00"),
    _fee("84443", "Thyroid stimulating hormone (TSH)", "45.00"),
    _fee("85025", "Complete blood count with differential", "28.00"),
    _fee("85027", "Complete blood count without differential", "24.00"),
    _fee("85610", "Prothrombin time (INR)", "18.00", max_units=2),
    _fee("81002", "Urinalysis by dipstick, read by hand", "10.00", max_units=2),
    _fee("81025", "Urine pregnancy test", "15.00", sex="F"),
    _fee("87804", "Rapid influenza test", "30.00", max_units=3),
    _fee("87880", "Rapid strep test", "25.00", max_units=2),
    _fee("0500T", "HPV test, five or more high-risk types (Category III)", "60.00"),
    _fee("36415", "Drawing blood from a vein", "12.00", max_units=2),
    _fee("36416", "Drawing blood by finger or heel stick", "8.00", max_units=2),
    _fee("93000", "Electrocardiogram with reading and report", "60.00", max_units=3),
    _fee("93005", "Electrocardiogram tracing only", "35.00", max_units=3),
    _fee("94640", "Nebulizer breathing treatment", "30.00", max_units=3),
    _fee("20610", "Draining or injecting a large joint", "150.00", max_units=2, global_days=0),
    _fee("96372", "Injection under the skin or into muscle", "40.00", max_units=4),
    _fee("90471", "Vaccine administration, first vaccine", "30.00"),
    _fee("90472", "Vaccine administration, each further vaccine", "18.00", max_units=4),
    _fee("G0008", "Flu vaccine administration (Medicare)", "30.00"),
    _fee("G0009", "Pneumococcal vaccine administration (Medicare)", "30.00"),
    _fee("90686", "Flu vaccine, preservative free, 0.5 mL", "35.00"),
    _fee("90715", "Tetanus, diphtheria and pertussis vaccine (Tdap)", "60.00", min_age=7),
    _fee("90732", "Pneumococcal polysaccharide vaccine (PPSV23)", "125.00", min_age=2),
    _fee("J0696", "Ceftriaxone injection, per 250 mg", "15.00", max_units=16),
    _fee("J1100", "Dexamethasone injection, per 1 mg", "4.00", max_units=30),
    _fee("J1885", "Ketorolac injection, per 15 mg", "8.00", max_units=8),
    _fee("J3301", "Triamcinolone injection, per 10 mg", "6.00", max_units=20),
    _fee("J3420", "Vitamin B12 injection, up to 1,000 mcg", "12.00"),
    _fee("A4550", "Surgical tray", "25.00"),
)

MODIFIERS: tuple[tuple[str, str], ...] = (
    ("25", "Separate, significant visit on the day of a procedure"),
    ("59", "Distinct procedure (use an X modifier when one fits)"),
    ("XE", "Distinct procedure: separate encounter"),
    ("XS", "Distinct procedure: separate organ or structure"),
    ("XP", "Distinct procedure: separate practitioner"),
    ("XU", "Distinct procedure: unusual, non-overlapping service"),
    ("76", "Repeated by the same practitioner"),
    ("77", "Repeated by another practitioner"),
    ("91", "Repeated lab test"),
    ("GA", "Waiver of liability (ABN) on file"),
    ("GY", "Not a Medicare benefit"),
    ("GZ", "Expected to be denied, no ABN on file"),
    ("LT", "Left side"),
    ("RT", "Right side"),
    ("50", "Both sides"),
    ("26", "Professional part only"),
    ("TC", "Technical part only"),
    ("33", "Preventive service"),
)


class PayerRow(NamedTuple):
    """A Payers row. Every payer and id here is fictional."""

    payer_id: str
    name: str
    claim_filing: str
    address: str
    city: str
    state: str
    zip: str
    timely_filing_days: int
    allowed_percent: int
    submission: str = "electronic"  # paper: billed on CMS-1500 forms, not in the 837
    followup_days: int = 30


# 365 days for every payer, so the committed example's dates stay inside timely filing a year.
PAYERS: tuple[PayerRow, ...] = (
    PayerRow("MCRB1", "Medicare Part B (example contractor)", "MB", "PO Box 3100", "Springfield",
             "IL", "627083100", 365, 65),
    PayerRow("ILMCD", "Prairie State Medicaid (example)", "MC", "PO Box 19200", "Springfield",
             "IL", "62794", 365, 55),
    PayerRow("BSTAR", "Bluestem Health Insurance", "CI", "2200 Commerce Pkwy", "Peoria",
             "IL", "61602", 365, 80),
    PayerRow("NEMUT", "New England Mutual Health", "CI", "75 Harvard Ave", "Boston",
             "MA", "02134", 365, 90),
    PayerRow("PRAHM", "Prairie Health HMO", "HM", "PO Box 840", "Bloomington",
             "IL", "61702", 365, 75),
    # A union health fund that takes claims on paper only (and answers with a paper EOB).
    PayerRow("CHWF1", "Central Illinois Carpenters Health Fund", "CI", "PO Box 5120",
             "Decatur", "IL", "62525", 365, 85, "paper", 45),
    PayerRow("MGAP1", "Heartland Medigap Plan G (example)", "CI", "PO Box 5500", "Omaha",
             "NE", "68102", 365, 65),
)


class EditRow(NamedTuple):
    """An Edits row: column2 is not paid with column1 the same day (unless a modifier allows)."""

    column1: str
    column2: str
    modifier_allowed: int
    effective: dt.date
    deleted: dt.date | None = None


_NCCI_START = dt.date(2015, 1, 1)

EDITS: tuple[EditRow, ...] = (
    EditRow("80053", "80048", 0, _NCCI_START),  # the basic panel is inside the comprehensive one
    EditRow("80053", "82565", 0, _NCCI_START),  # creatinine is part of the metabolic panel
    EditRow("80061", "82465", 0, _NCCI_START),  # total cholesterol is part of the lipid panel
    EditRow("85025", "85027", 0, _NCCI_START),  # CBC with differential includes the one without
    EditRow("36415", "36416", 0, _NCCI_START),  # one blood draw per visit
    EditRow("20610", "96372", 1, _NCCI_START),  # an injection elsewhere in the body: XS or 59
    EditRow("93000", "93005", 0, _NCCI_START),  # the tracing alone is inside the full ECG
)
