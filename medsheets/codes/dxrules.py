"""Diagnoses that only fit one sex or an age range, by ICD-10-CM category.

Payers reject a claim whose diagnosis contradicts the patient's sex or age (a pregnancy code
for a man, a prostate code for a woman); the cause is nearly always a mistyped code or a wrong
sex or birth date on the row. The table is deliberately short: whole categories whose meaning
leaves no doubt, so that a flagged row is wrong, not merely unusual.

Ranges compare the 3-character category as text, which keeps O9A inside O00–O9A.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class CategoryRange(NamedTuple):
    """Categories `low` to `high` inclusive (e.g. N40–N53) and what they are, for messages."""

    low: str
    high: str
    meaning: str

    def holds(self, code: str) -> bool:
        return self.low <= code[:3] <= self.high


MALE_ONLY: tuple[CategoryRange, ...] = (
    CategoryRange("C60", "C63", "a cancer of the male genital organs"),
    CategoryRange("D29", "D29", "a benign tumour of the male genital organs"),
    CategoryRange("D40", "D40", "a tumour of the male genital organs"),
    CategoryRange("N40", "N53", "a disease of the male genital organs"),
)

FEMALE_ONLY: tuple[CategoryRange, ...] = (
    CategoryRange("C51", "C58", "a cancer of the female genital organs"),
    CategoryRange("D25", "D28", "a benign tumour of the female genital organs"),
    CategoryRange("N70", "N98", "a disease of the female genital organs"),
    CategoryRange("O00", "O9A", "a pregnancy code"),
    CategoryRange("Z32", "Z37", "a pregnancy or delivery code"),
    CategoryRange("Z39", "Z39", "a postpartum code"),
    CategoryRange("Z3A", "Z3A", "a weeks-of-gestation code"),
)

PREGNANCY = CategoryRange("O00", "O9A", "a pregnancy code")
PREGNANCY_AGES = (12, 55)


def sex_conflict(code: str, sex: str | None) -> CategoryRange | None:
    """The range that makes `code` impossible for a patient of this sex (M/F), else None.

    Sex U (unknown) or blank is never a conflict: there is nothing to contradict.
    """
    if sex == "M":
        ranges = FEMALE_ONLY
    elif sex == "F":
        ranges = MALE_ONLY
    else:
        return None
    for category_range in ranges:
        if category_range.holds(code):
            return category_range
    return None


def pregnancy_age_conflict(code: str, age: int | None) -> bool:
    """True for a pregnancy code on a patient outside the ages 12–55."""
    if age is None or not PREGNANCY.holds(code):
        return False
    low, high = PREGNANCY_AGES
    return not low <= age <= high


def age_in_years(born: dt.date, on: dt.date) -> int:
    """Whole years of age on a day (a birthday counts from its own day)."""
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - (1 if before_birthday else 0)
