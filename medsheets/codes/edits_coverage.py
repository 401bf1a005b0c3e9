"""A claim edit from the ledger: was the patient covered on the date of service?

When `medsheets benefits` recorded the payer's eligibility answer for the patient, a claim
for a date the answer does not cover (coverage inactive, or outside the plan dates) is very
likely to be denied. It is a warning, not a hold: the answer may be older than a
reinstatement, and the biller decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from medsheets.model import Encounter, Problem, warning

if TYPE_CHECKING:  # the 271 reader behind Terms is loaded only where answers are read
    from medsheets.benefits.terms import Terms

Answers = Mapping[tuple[str, str], "Terms"]  # (patient_id, payer_id) -> the latest answer


def coverage_problems(encounters: Iterable[Encounter], answers: Answers) -> list[Problem]:
    """A warning per insured encounter whose date the payer's latest answer does not cover."""
    found = []
    for encounter in encounters:
        first = encounter.first
        if first.is_self_pay or first.date_of_service is None or not first.patient_id:
            continue
        terms = answers.get((first.patient_id, first.payer_id or ""))
        if terms is None or terms.status not in ("active", "inactive") or terms.covers(
                first.date_of_service):
            continue
        what = ("says the coverage is not active" if terms.status == "inactive"
                else "gives plan dates that do not include it")
        found.append(warning(
            first.origin.at("payer_id"), "MS-COVERAGE-INACTIVE",
            f"encounter {encounter.encounter_id} on {first.date_of_service:%Y-%m-%d}: the "
            f"payer's eligibility answer {what}; check the patient's insurance before billing"))
    return found
