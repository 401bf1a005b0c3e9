"""Plain-words explanations of a denial's codes, for the worklist's explanation column.

The words are medsheets.remit.reasons' (our own wording of the common CARC and RARC codes),
with the practice's `ReasonCodes` sheet of codesets.xlsx winning over them, exactly as on the
remittance report. A code nobody explained (a 277CA status code, a rare remark) is shown
alone: the biller looks it up once and may add it to the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping

from medsheets.denials.advice import ReasonCode
from medsheets.remit.reasons import UNKNOWN, explain_adjustment, explain_remark


def explain(codes: tuple[ReasonCode, ...], overrides: Mapping[str, str]) -> str:
    """'CO-16: what it means; N290: what it means; A7:562' (codes without words stand alone)."""
    parts = []
    for code in codes:
        if code.group:
            text = explain_adjustment(code.group, code.code, overrides)
        else:
            text = explain_remark(code.code, overrides)
        parts.append(f"{code}: {text.rstrip('.')}" if text != UNKNOWN else str(code))
    return "; ".join(parts)
