"""Identifiers and the X12 character set: the formats every layer agrees on.

A leaf module (it imports nothing of medsheets), so the workbook checks, the code edits and
the X12 writer and readers all take their rules from one place without importing each other.

Identifier formats: NPI, EIN, ZIP, state, and the code systems. Pure functions, shared by the
config check, the encounter edits and the 837 writer.

Human text made safe for an X12 element; identifiers judged but never changed.

Names and addresses may hold anything a person types (accents, '*', '~', line breaks, emoji).
A clearinghouse accepts only the X12 basic character set, and a delimiter inside an element
would split it and corrupt the whole batch. So text is transliterated (José -> JOSE), upper
cased, reduced to the basic set, and cut to the element's maximum length.

Identifiers (member IDs, NPIs, claim numbers) are matched by the payer character for
character: changing one silently would send a claim for somebody else. `id_problem` says why an
ID cannot be sent, for the checks to report on its cell; nothing here ever alters one.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

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


@lru_cache(maxsize=65536)  # pure, and a day repeats its values: once each
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

# X12 basic character set (uppercase letters, digits, space and these), minus the delimiters
# medsheets writes with ('*' element, ':' component, '^' repetition, '~' segment).
BASIC_PUNCTUATION = "!\"&'()+,-./;?= "
BASIC_CHARACTERS = frozenset(string.ascii_uppercase + string.digits + BASIC_PUNCTUATION)
# IDs are sent exactly as written: 5010's extended character set allows lower-case letters,
# and an encounter id must come back unchanged in the 835's CLP01 to match.
ID_CHARACTERS = BASIC_CHARACTERS | frozenset(string.ascii_lowercase)
DELIMITERS = frozenset("*:^~")

# Maximum lengths (005010X222A1) of the text elements medsheets fills from people's typing.
MAX_LENGTH = {
    "NM103": 60,  # last or organization name
    "NM104": 35,  # first name
    "N301": 55,  # address line
    "N302": 55,  # address line 2
    "N401": 30,  # city
    "PER02": 60,  # contact name
}

# Minimum lengths where the guide asks for more than one character.
MIN_LENGTH = {"N401": 2}

# Letters NFKD does not decompose, and typographic marks people paste from word processors.
_TRANSLITERATE = str.maketrans({
    "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l",
    "Đ": "D", "đ": "d", "Þ": "TH", "þ": "th", "ð": "d", "ı": "i", "ß": "SS",
    "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-",
})


@lru_cache(maxsize=65536)  # pure, and a day repeats its names, cities and streets: once each
def x12_text(value: str | None, element: str) -> str:
    """`value` cleaned for `element` (a key of MAX_LENGTH, e.g. "NM103"); '' when nothing is left.

    Accents are dropped (NFKD), letters upper-cased, anything outside the basic character set
    becomes a space, runs of spaces collapse, and the result is cut to the element's length.
    """
    return _cut(clean(value), MAX_LENGTH[element])


# Text made only of characters the basic set keeps (in either case): the common case, checked
# without the character-by-character cleaning.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9!\"&'()+,./;?= -]*")


@lru_cache(maxsize=65536)  # pure, and a day repeats its values: once each
def text_problem(value: str | None, element: str) -> str | None:
    """Why `value` cannot fill a required text `element` once cleaned, or None when it can.

    For the checks to report on the cell; like `id_problem`, it never quotes the value.
    """
    if value and _PLAIN_TEXT.fullmatch(value):
        # Nothing to transliterate or drop: cleaning would only change case and spaces.
        cleaned = " ".join(value.split())
    else:
        cleaned = x12_text(value, element)
    if not cleaned:
        return ("has no letter or digit a claim can carry (A-Z, 0-9); type it in Latin letters "
                "as on the insurance card")
    minimum = MIN_LENGTH.get(element, 1)
    if len(cleaned) < minimum:
        return f"is shorter than the {minimum} characters a claim needs here"
    return None


def clean(value: str | None) -> str:
    """`value` in the X12 basic character set, upper case, single-spaced, without a length cap."""
    if not value:
        return ""
    if _PLAIN_TEXT.fullmatch(value):
        # Nothing to transliterate or drop: every character upper-cases into the basic set.
        return " ".join(value.upper().split())
    decomposed = unicodedata.normalize("NFKD", value.translate(_TRANSLITERATE))
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue  # the accent of an accented letter: José -> JOSE
        upper = char.upper()
        kept.append(upper if len(upper) == 1 and upper in BASIC_CHARACTERS else " ")
    return " ".join("".join(kept).split())


@lru_cache(maxsize=65536)  # pure, and a day's patients share a few hundred streets
def address_lines(value: str | None) -> tuple[str, str]:
    """An address cleaned into N301 and N302: what does not fit line 1 goes on line 2, by words."""
    text = clean(value)
    first = _cut(text, MAX_LENGTH["N301"])
    rest = text[len(first):].strip()
    return first, _cut(rest, MAX_LENGTH["N302"])


def _cut(text: str, length: int) -> str:
    """Cut at a word boundary when one is near the limit, otherwise at the limit."""
    if len(text) <= length:
        return text
    head = text[:length]
    if text[length] != " " and " " in head and head.rindex(" ") > length // 2:
        head = head[: head.rindex(" ")]
    return head.rstrip()


@lru_cache(maxsize=65536)  # pure, and a day repeats its values: once each
def id_problem(value: str | None) -> str | None:
    """Why `value` cannot be sent as an X12 identifier, or None when it can.

    The message names the offending character, never the ID itself (it may be a member ID).
    """
    if value is None or value == "":
        return "is empty"
    if value != value.strip():
        return "begins or ends with a space; remove it"
    for char in value:
        if char in DELIMITERS:
            return f"contains '{char}', a character X12 uses to separate data; retype the ID"
        if char in "\r\n\t":
            return "contains a line break or tab; retype the ID on one line"
        if char not in ID_CHARACTERS:
            return f"contains {_describe(char)}, which a claim cannot carry; retype the ID"
    return None


def _describe(char: str) -> str:
    if char.isprintable() and char.isascii():
        return f"'{char}'"
    name = unicodedata.name(char, "")
    return f"the character {name.lower() or f'U+{ord(char):04X}'}"
