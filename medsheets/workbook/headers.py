"""The header spellings a front desk types, known without a `[columns]` alias.

Front desks name their columns the way their last system did: `DOS`, `CPT`, `Acct #`,
`Visit ID`, `Mod 1`, `Copay`. Each spelling below means one medsheets column of the encounter
and appointment workbooks (and the Patients sheet), the secondary and tertiary insurance's
too. Headers are compared as `header_key` does (case, spaces, underscores and hyphens
ignored), and a practice's own `[columns]` aliases win over these. docs/workbook-headers.md lists the same table for users; a test keeps the two equal.

Messages then name a column the way its header was typed, with medsheets' name beside it
(`in_users_words`): a biller looks for "Member ID" in the sheet, not for `member_id`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType

from medsheets.model import Problem

_SPELLINGS: dict[str, tuple[str, ...]] = {
    "encounter_id": ("Visit ID", "Visit #", "Visit No", "Encounter", "Encounter #", "Enc ID",
                     "Claim #"),
    "appointment_id": ("Appt ID", "Appt #", "Appointment", "Appointment #"),
    "date_of_service": ("DOS", "Service Date", "Date of Visit", "Visit Date", "Svc Date"),
    "patient_id": ("Acct #", "Acct", "Account", "Account #", "Account No", "Patient #", "MRN",
                   "Chart #"),
    "patient_last_name": ("Last Name", "Pt Last", "Patient Last"),
    "patient_first_name": ("First Name", "Pt First", "Patient First"),
    "patient_dob": ("DOB", "Birth Date", "Date of Birth", "Pt DOB"),
    "patient_sex": ("Sex", "Gender"),
    "patient_address": ("Address", "Street", "Address 1"),
    "patient_city": ("City",),
    "patient_state": ("State", "ST"),
    "patient_zip": ("ZIP", "Zip Code", "Postal Code"),
    "patient_email": ("Email",),
    "patient_phone": ("Phone", "Phone #", "Telephone"),
    "payer_id": ("Payer", "Insurance", "Ins ID", "Carrier"),
    "member_id": ("Member ID", "Member #", "Subscriber ID", "Policy #", "Insurance ID"),
    "group_number": ("Group #", "Group", "Group No"),
    "subscriber_relationship": ("Relationship", "Rel to Insured"),
    "procedure_code": ("CPT", "CPT Code", "HCPCS", "Proc Code", "Procedure", "CPT/HCPCS"),
    "modifier1": ("Mod 1", "Modifier", "Mod"),
    "modifier2": ("Mod 2",),
    "modifier3": ("Mod 3",),
    "modifier4": ("Mod 4",),
    "units": ("Qty", "Units of Service", "Days or Units"),
    "charge": ("Charges", "Fee", "Amount", "Charge Amount"),
    "dx1": ("Dx 1", "Diagnosis 1", "ICD 1", "ICD-10 1", "Dx", "Diagnosis", "Primary Dx"),
    "dx2": ("Dx 2", "Diagnosis 2", "ICD 2", "ICD-10 2"),
    "dx3": ("Dx 3", "Diagnosis 3", "ICD 3", "ICD-10 3"),
    "dx4": ("Dx 4", "Diagnosis 4", "ICD 4", "ICD-10 4"),
    "place_of_service": ("POS",),
    "rendering_npi": ("Rendering NPI", "Provider NPI", "Doctor NPI"),
    "referring_npi": ("Referring NPI", "Ref NPI"),
    "referring_name": ("Referring Provider", "Referring Doctor", "Referred By"),
    "prior_auth": ("Prior Auth", "Auth #", "Authorization", "Auth"),
    "copay_collected": ("Copay", "Copay Paid", "Collected"),
    "secondary_payer_id": ("Secondary Payer", "Secondary Insurance", "Sec Ins", "Ins 2",
                           "2nd Insurance", "Secondary Carrier"),
    "secondary_member_id": ("Secondary Member ID", "Sec Member ID", "Sec Ins ID", "Ins 2 ID",
                            "Secondary Policy #"),
    "secondary_group_number": ("Secondary Group #", "Secondary Group", "Sec Group #"),
    "secondary_subscriber_relationship": ("Secondary Relationship", "Sec Rel to Insured"),
    "secondary_subscriber_last_name": ("Secondary Insured Last", "Sec Subscriber Last"),
    "secondary_subscriber_first_name": ("Secondary Insured First", "Sec Subscriber First"),
    "secondary_subscriber_dob": ("Secondary Insured DOB", "Sec Subscriber DOB"),
    "secondary_subscriber_sex": ("Secondary Insured Sex", "Sec Subscriber Sex"),
    "tertiary_payer_id": ("Tertiary Payer", "Tertiary Insurance", "Ter Ins", "Ins 3",
                          "3rd Insurance", "Tertiary Carrier"),
    "tertiary_member_id": ("Tertiary Member ID", "Ter Member ID", "Ter Ins ID", "Ins 3 ID",
                           "Tertiary Policy #"),
    "tertiary_group_number": ("Tertiary Group #", "Tertiary Group", "Ter Group #"),
    "tertiary_subscriber_relationship": ("Tertiary Relationship", "Ter Rel to Insured"),
    "tertiary_subscriber_last_name": ("Tertiary Insured Last", "Ter Subscriber Last"),
    "tertiary_subscriber_first_name": ("Tertiary Insured First", "Ter Subscriber First"),
    "tertiary_subscriber_dob": ("Tertiary Insured DOB", "Ter Subscriber DOB"),
    "tertiary_subscriber_sex": ("Tertiary Insured Sex", "Ter Subscriber Sex"),
}

# A spelling -> the medsheets column it names.
FRONT_DESK_HEADERS = MappingProxyType({spelling: column for column, spellings in _SPELLINGS.items()
                                       for spelling in spellings})


def column_label(field: str, typed: str | None) -> str:
    """A column as a message names it: the header the user typed, then medsheets' name when
    the two differ (`Svc Dt (date_of_service)`); medsheets' name alone when the header is it."""
    if typed is None or typed.strip() == field:
        return field
    return f"{typed.strip()} ({field})"


def in_users_words(problems: Iterable[Problem],
                   headers: Mapping[str, Mapping[str, str]]) -> list[Problem]:
    """`problems` with each column medsheets names in a message (the problem's own column, and
    any column of its sheet with an identifier-like name such as `dx1` or `member_id`) worded
    as the user typed its header. `headers`: sheet -> medsheets' column -> the header typed."""
    patterns: dict[tuple[str, str | None], re.Pattern[str] | None] = {}
    reworded = []
    for problem in problems:
        sheet, own = problem.source.sheet or "", problem.source.field
        typed = headers.get(sheet) or {}
        if (sheet, own) not in patterns:
            patterns[sheet, own] = _pattern(typed, own)
        pattern = patterns[sheet, own]
        message = _reword(problem.message, pattern, typed) if pattern else problem.message
        reworded.append(problem if message == problem.message
                        else replace(problem, message=message))
    return reworded


def _reword(message: str, pattern: re.Pattern[str], typed: Mapping[str, str]) -> str:
    return pattern.sub(lambda m: _label(m, typed), message)


def _label(match: re.Match[str], typed: Mapping[str, str]) -> str:
    """The label for one mention; a plain word (`fee`, `units`) only where it opens the
    message, as the reader's "fee is not money" does: elsewhere it is more likely prose."""
    name = match.group(1)
    if match.start() > 0 and not _identifier_like(name):
        return name
    return column_label(name, typed[name])


def _identifier_like(name: str) -> bool:
    return "_" in name or any(ch.isdigit() for ch in name)


def _pattern(typed: Mapping[str, str], own: str | None) -> re.Pattern[str] | None:
    """The column names to reword in a message about `own`: whole words only, never inside
    quotes or a label already given ("Member ID (member_id)")."""
    names = [name for name, header in typed.items() if column_label(name, header) != name
             and (name == own or _identifier_like(name))]
    if not names:
        return None
    names.sort(key=len, reverse=True)  # dx10 before dx1, were there one
    return re.compile(r"(?<![\w'\"(])(" + "|".join(map(re.escape, names)) + r")(?![\w'\")])")
