"""Who receives a patient's statements: the guarantor (SPEC §3 guarantor columns).

The guarantor is, in order:

1. the one the workbook named (guarantor_* columns, or its Patients sheet), as the ledger last
   remembered it; with no address of their own, at the patient's (one household);
2. for a minor (under 18 on the statement date) whose insurance is held by a parent
   (subscriber_relationship child), that parent, at the patient's address and email;
3. else the patient (a minor with no parent known: "parent or guardian of" the patient).

One statement goes to each guarantor, covering every patient they answer for. Guarantors are
told apart by name and street address (`guarantor_key`, case, accents and punctuation
ignored), so two children of one parent at one address share one statement, and a parent who
is a patient too gets their own visits on it as well.

Shared by the statements (medsheets/invoices), the aging report and the agency file (the
ledger's collections report): whoever owes an account is decided in one place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from medsheets.model import Coverage, PatientProfile

if TYPE_CHECKING:  # the ledger's reports use this module too: no import at run time
    from medsheets.ledger import Transaction

ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class Addressee:
    """Who a statement goes to: a guarantor, by name, postal address and email; `key` tells
    guarantors apart. `minor_patient` is set when the guarantor is a minor patient with no
    parent known (the envelope reads "Parent or guardian of"). `email_column` names the
    workbook column the email came from, for a problem with it to point at."""

    key: str
    last_name: str
    first_name: str
    address: str
    city: str
    state: str
    zip: str
    email: str | None
    minor_patient: bool = False
    email_column: str = "patient_email"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def guarantor_of(profile: PatientProfile, latest_payer: str | None, day: dt.date) -> Addressee:
    """The guarantor of the patient of `profile` on `day` (see the module doc)."""
    patient = profile.patient
    home = (patient.address or "", patient.city or "", patient.state or "", patient.zip or "")
    named = profile.guarantor
    if named is not None and (named.last_name or named.first_name):
        if any((named.address, named.city, named.zip)):
            home = (named.address or "", named.city or "", named.state or "", named.zip or "")
        return _addressee(named.last_name or "", named.first_name or "", home, named.email,
                          email_column="guarantor_email")
    age = age_on(patient.dob, day)
    minor = age is not None and age < ADULT_AGE
    parent = _parent(profile.coverages, latest_payer) if minor else None
    if parent is not None:
        return _addressee(*parent, home, profile.email)
    return _addressee(patient.last_name or "", patient.first_name or "", home, profile.email,
                      minor_patient=minor)


def _parent(coverages: Mapping[str, Coverage], latest_payer: str | None) -> tuple[str, str] | None:
    """The policy holder's name when a parent holds the patient's insurance (the coverage of
    the payer billed last first)."""
    for coverage in sorted(coverages.values(), key=lambda c: (c.payer_id != latest_payer, c.payer_id)):
        holder = coverage.subscriber
        if coverage.subscriber_relationship == "child" and holder is not None and holder.last_name:
            return holder.last_name, holder.first_name or ""
    return None


def _addressee(last: str, first: str, home: tuple[str, str, str, str], email: str | None,
               minor_patient: bool = False, email_column: str = "patient_email") -> Addressee:
    address, city, state, zip_code = home
    return Addressee(guarantor_key(last, first, address, zip_code), last, first, address, city,
                     state, zip_code, email, minor_patient, email_column)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def guarantor_key(last: str, first: str, address: str, zip_code: str) -> str:
    """Who a guarantor is, for grouping: name, street address and 5-digit ZIP with case, accents,
    spaces and punctuation ignored. Hashed, since it is stored and a name must not be."""
    text = "|".join((_fold(last), _fold(first), _fold(address), (zip_code or "")[:5]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def guarantors(tx: Transaction, patient_ids: Iterable[str], day: dt.date) -> dict[str, Addressee]:
    """The guarantor of each of `patient_ids` on `day`, from the ledger's patient profiles."""
    ids = list(dict.fromkeys(patient_ids))
    profiles = tx.patient_profiles(ids)
    payers = tx.latest_payers(ids)
    return {pid: guarantor_of(profiles[pid], payers.get(pid), day) for pid in ids if pid in profiles}


def is_self(guarantor: Addressee, profile: PatientProfile) -> bool:
    """Whether the patient answers for themselves."""
    patient = profile.patient
    return guarantor.key == guarantor_key(patient.last_name or "", patient.first_name or "",
                                          patient.address or "", patient.zip or "")


def guarantor_labels(tx: Transaction, day: dt.date) -> dict[str, str]:
    """For reports: the guarantor's name of every patient answered for by someone else."""
    profiles = tx.patient_profiles()
    payers = tx.latest_payers(profiles)
    labels = {}
    for pid, profile in profiles.items():
        guarantor = guarantor_of(profile, payers.get(pid), day)
        if not is_self(guarantor, profile):
            labels[pid] = guarantor.name
    return labels
