"""The worklist's explanation column: remittance codes and 277CA/277 statuses in words.

CARC and RARC codes get medsheets.codes.reasons' words (the practice's ReasonCodes sheet
first), exactly as on the remittance report. A 277CA/277 status (`A7-562-85`, as acks
records it) gets acks.codes' words (the practice's StatusCodes sheet first), and the
clearinghouse's or payer's own text (STC12) follows, so the biller reads what they said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from medsheets.codes.claim_status import status_words
from medsheets.codes.reasons import ReasonCode, explain

STC_TOKEN = re.compile(r"^[A-Z][0-9][A-Z]?-[0-9A-Z]+(?:-[0-9A-Z]{2})?$")  # A7-562-85


def explain_denial(codes: tuple[ReasonCode, ...], overrides: Mapping[str, str],
                   status_overrides: Mapping[str, str], own_words: str | None = None) -> str:
    """'CO-16: what it means; A7-562-85 rejected: ... (their words: ...)'."""
    parts = []
    for code in codes:
        if not code.group and STC_TOKEN.match(code.code):
            category, number, entity = (code.code.split("-") + [""])[:3]
            parts.append(status_words(category, number, entity, overrides=dict(status_overrides)))
        else:
            parts.append(explain((code,), overrides))
    text = "; ".join(part for part in parts if part)
    return f"{text} (their words: {own_words})" if own_words else text
