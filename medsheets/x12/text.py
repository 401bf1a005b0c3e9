"""Human text made safe for an X12 element; identifiers judged but never changed.

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


def x12_text(value: str | None, element: str) -> str:
    """`value` cleaned for `element` (a key of MAX_LENGTH, e.g. "NM103"); '' when nothing is left.

    Accents are dropped (NFKD), letters upper-cased, anything outside the basic character set
    becomes a space, runs of spaces collapse, and the result is cut to the element's length.
    """
    return _cut(clean(value), MAX_LENGTH[element])


# Text made only of characters the basic set keeps (in either case): the common case, checked
# without the character-by-character cleaning.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9!\"&'()+,./;?= -]*")


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
    decomposed = unicodedata.normalize("NFKD", value.translate(_TRANSLITERATE))
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue  # the accent of an accented letter: José -> JOSE
        upper = char.upper()
        kept.append(upper if len(upper) == 1 and upper in BASIC_CHARACTERS else " ")
    return " ".join("".join(kept).split())


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
