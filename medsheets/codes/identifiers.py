"""Formats of the identifiers on a claim: NPI, EIN, ZIP, state, and the code systems.

Pure functions, shared by the config check, the encounter edits and the 837 writer's tests.
"""

from __future__ import annotations

import re

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY "
    "AS GU MP PR VI FM MH PW AA AE AP".split()
)

CPT_CATEGORY_I = re.compile(r"^[0-9]{4}[0-9U]$")  # 99213, 0001U (PLA codes)
CPT_CATEGORY_II = re.compile(r"^[0-9]{4}F$")
CPT_CATEGORY_III = re.compile(r"^[0-9]{4}T$")
HCPCS_LEVEL_II = re.compile(r"^[A-V][0-9]{4}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z]([0-9A-Z]{0,4})$")  # without the dot
ZIP = re.compile(r"^[0-9]{5}([0-9]{4})?$")
EIN = re.compile(r"^[0-9]{9}$")
ENCOUNTER_ID = re.compile(r"^[A-Za-z0-9-]{1,20}$")
PLACE_OF_SERVICE = re.compile(r"^[0-9]{2}$")
TAXONOMY = re.compile(r"^[0-9A-Z]{9}X$")  # NUCC provider taxonomy, e.g. 207Q00000X


def npi_is_valid(npi: str) -> bool:
    """True for a 10-digit NPI whose last digit is the Luhn check digit over 80840 + first 9."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    return npi[-1] == npi_check_digit(npi[:9])


def npi_check_digit(first_nine: str) -> str:
    """The NPI check digit: Luhn over the digits with the card-issuer prefix 80840 (sum + 24)."""
    total = 24  # the prefix 80840 contributes 24 to the Luhn sum
    for i, ch in enumerate(reversed(first_nine)):
        digit = int(ch)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_procedure_code(code: str) -> bool:
    """CPT (Category I, II, III) or HCPCS Level II shape."""
    return bool(
        CPT_CATEGORY_I.match(code)
        or CPT_CATEGORY_II.match(code)
        or CPT_CATEGORY_III.match(code)
        or HCPCS_LEVEL_II.match(code)
    )


def normalize_icd10(code: str) -> str:
    """Upper case without the dot: 'e11.9' -> 'E119'."""
    return code.strip().upper().replace(".", "")


def dotted_icd10(code: str) -> str:
    """With the dot after the category, as people read it: 'E119' -> 'E11.9'."""
    code = normalize_icd10(code)
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"
