"""Line edits on the diagnoses (dx1..dx4): the ICD-10-CM release, and whether they fit the patient.

Every code is checked against the official release medsheets ships with (`icd10`): a code not
in it is unknown; a category with codes beneath it (E11, R05, M54.5) cannot be billed and the
message names billable codes to choose from. The verdict on a code is computed once per
distinct code; only the cell it points to differs from line to line.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from operator import attrgetter

from medsheets.codes import claim_rules, dxrules, icd10, suggest, tabular
from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.icd10index import Icd10Index
from medsheets.codes.releases import Releases
from medsheets.codes.sieve import Sieve
from medsheets.identifiers import dotted_icd10
from medsheets.model import Problem, ServiceLine, error

MAX_LINE_DIAGNOSES = 4


def dx_field(position: int) -> str:
    """The column of the diagnosis at a 1-based position (dx1..dx4; anything past 4 is dx4's)."""
    return f"dx{min(position, MAX_LINE_DIAGNOSES)}"


@lru_cache(maxsize=65536)
def diagnosis_verdict(code: str, release: Icd10Index | None = None) -> tuple[str, str] | None:
    """(problem code, message) for a diagnosis that cannot be billed as written, else None;
    in the given release (default: the shipped one)."""
    if not icd10.has_icd10_shape(code):
        message = (f"'{code}' is not an ICD-10-CM code; it is a letter, 2 digits and up to 4 "
                   "more characters, such as E11.9 or S72.001A")
        return ("MS-DX-FORMAT", message)
    status = icd10.status(code, release)
    dotted = dotted_icd10(code)
    if status is icd10.DxStatus.UNKNOWN:
        year = f" (FY{release.fiscal_year})" if release is not None else ""
        message = (f"{dotted} is not in the ICD-10-CM code set{year}; check it for a typo or a "
                   "retired code")
        nearest = suggest.closest_diagnoses(code, release)
        if nearest:
            message += "; did you mean " + suggest.described(
                nearest, (icd10.description(c, release) for c in nearest)) + "?"
        return ("MS-DX-UNKNOWN", message)
    if status is icd10.DxStatus.HEADER:
        seventh = seventh_character_message(code)
        if seventh is not None:
            return ("MS-DX-7TH-CHARACTER", seventh)
        examples = ", ".join(icd10.billable_beneath(code, release=release))
        return ("MS-DX-HEADER", f"{dotted} is a category, not a billable code; use e.g. {examples}")
    return None


def seventh_character_message(code: str) -> str | None:
    """For a code that lacks only its 7th character: the characters and what they mean."""
    entry = claim_rules.rules(code)
    if entry is None or not entry.seventh:
        return None
    dotted = dotted_icd10(code)
    stem = dotted if "." in dotted else f"{dotted}."
    stem = stem.ljust(7, "X")
    choices = "; ".join(f"{stem}{char} {tabular.seventh_meaning(char, words)}"
                        for char, words in entry.seventh)
    placeholder = " (X holds the places before it)" if "X" in stem[len(dotted):] else ""
    return (f"{dotted} needs a 7th character{placeholder} for the kind of visit: {choices}; "
            "add the one for this encounter")


def check_diagnoses(line: ServiceLine, ctx: EditContext) -> Found:
    """Each diagnosis well formed, in the release and billable; at most 4 on a line."""
    findings = _diagnosis_findings(line.diagnoses, _release_on(ctx.releases, line.date_of_service))
    if not findings:
        return NO_PROBLEMS
    return [error(line.origin.at(field), code, message) for field, code, message in findings]


@lru_cache(maxsize=65536)
def _diagnosis_findings(codes: tuple[str, ...],
                        release: Icd10Index | None) -> tuple[tuple[str, str, str], ...]:
    """(field, problem code, message) for a line's diagnoses: once per set of codes, which a
    day repeats on many lines."""
    found: list[tuple[str, str, str]] = []
    for index, code in enumerate(codes, start=1):
        verdict = diagnosis_verdict(code, release)
        if verdict is not None:
            found.append((dx_field(index), *verdict))
    if len(codes) > MAX_LINE_DIAGNOSES:
        found.append(("dx1", "MS-LINE-DX-COUNT",
                      f"a line points to at most {MAX_LINE_DIAGNOSES} diagnoses; keep the "
                      "4 that justify this service"))
    return tuple(found)


@lru_cache(maxsize=4096)
def _release_on(releases: Releases, day: dt.date | None) -> Icd10Index | None:
    """The release in force on a date of service; None for the shipped one (the common case)."""
    release = releases.for_date(day)
    return None if release is icd10.shipped() else release


@lru_cache(maxsize=65536)
def _limited(code: str) -> bool:
    """True when a code is specific to one sex or an age range: most are not, and are skipped."""
    return (dxrules.sex_conflict(code, "M") is not None or dxrules.sex_conflict(code, "F") is not None
            or dxrules.PREGNANCY.holds(code))


def _none_limited(codes: tuple[str, ...]) -> bool:
    return not any(map(_limited, codes))


# A line none of whose codes is specific to a sex or an age has nothing to fit: the day's
# sets of codes (a tuple shared by the lines holding it) are judged once each.
DIAGNOSIS_FIT_SIEVE = Sieve(values=((attrgetter("diagnoses"), _none_limited),))


def check_diagnosis_fit(line: ServiceLine, ctx: EditContext) -> Found:
    """No diagnosis specific to the other sex; no pregnancy code outside the ages 12–55."""
    found: list[Problem] = []
    for index, code in enumerate(line.diagnoses, start=1):
        if _limited(code):
            found.extend(_misfits(line, dx_field(index), code))
    return found or NO_PROBLEMS


def _misfits(line: ServiceLine, field: str, code: str) -> list[Problem]:
    sex = line.patient.sex
    conflict = dxrules.sex_conflict(code, sex)
    if conflict is not None:
        return [error(line.origin.at(field), "MS-DX-SEX",
                      f"{dotted_icd10(code)} is {conflict.meaning}, which does not fit "
                      f"patient_sex {sex}; check the code or the sex")]
    if dxrules.pregnancy_age_conflict(code, _age(line)):
        low, high = dxrules.PREGNANCY_AGES
        return [error(line.origin.at(field), "MS-DX-AGE",
                      f"{dotted_icd10(code)} is a pregnancy code, for ages {low}–{high}; the "
                      "patient's age on the date of service is outside that: check the code or "
                      "patient_dob")]
    return []


def _age(line: ServiceLine) -> int | None:
    born, service = line.patient.dob, line.date_of_service
    if born is None or service is None or born > service:
        return None
    return dxrules.age_in_years(born, service)
