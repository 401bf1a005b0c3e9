"""The optional `dx_text` column: the provider's words, turned into code suggestions (a hint).

When a line's diagnoses are blank, or none of them belongs to a category the words point to,
the check report names the codes the words suggest (billable ones, from `search`). Nothing is
ever filled in: choosing the code stays with the person who read the record. The suggestion for
one wording is computed once per distinct text.
"""

from __future__ import annotations

from functools import lru_cache

from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.search import search_diagnoses
from medsheets.model import ServiceLine, warning

SUGGESTED = 3
CONSIDERED = 25  # the search answers whose categories count as fitting the words


@lru_cache(maxsize=4096)
def _suggestions(text: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """(codes shown, their descriptions, the categories that fit) for a wording."""
    found = [f for f in search_diagnoses(text.split(), CONSIDERED) if f.billable]
    shown = found[:SUGGESTED]
    categories = frozenset(f.code[:3] for f in found)
    return tuple(f.code for f in shown), tuple(f.description for f in shown), categories


def check_dx_text(line: ServiceLine, ctx: EditContext) -> Found:
    """A hint at dx1 when the diagnoses are blank or do not fit the provider's words."""
    text = (line.dx_text or "").strip()
    if not text:
        return NO_PROBLEMS
    codes, descriptions, categories = _suggestions(text)
    if not codes:
        return NO_PROBLEMS
    offered = ", ".join(f"{c} ({d})" for c, d in zip(codes, descriptions))
    if not line.diagnoses:
        return [warning(line.origin.at("dx1"), "MS-DX-TEXT-SUGGEST",
                        f"dx_text \"{text}\" suggests {offered}; a hint only: type the code the "
                        "record supports in dx1")]
    if any(code[:3] in categories for code in line.diagnoses):
        return NO_PROBLEMS
    return [warning(line.origin.at("dx1"), "MS-DX-TEXT-MISMATCH",
                    f"the diagnoses do not fit dx_text \"{text}\", which suggests {offered}; "
                    "check the codes against the record (a hint: nothing is changed)")]
