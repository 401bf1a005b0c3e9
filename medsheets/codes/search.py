"""From a provider's words to codes: ICD-10-CM descriptions and inclusion terms, or the fee schedule.

Every word must match the start of a word of the entry (any order): "knee osteoarthritis
right" finds M17.11. Abbreviations people write in notes ("htn", "dm2", "copd") stand for the
tabular's words. Billable codes come first; among them, the entry whose description has the
fewest words the query did not ask for (so "htn" puts I10, "Essential (primary) hypertension",
before "Hypertensive heart disease ..."), then the plainer and shorter code.

CPT descriptors are the AMA's and are not shipped: procedures are searched in the practice's
own Procedures sheet.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from medsheets.codes import icd10
from medsheets.codes.icd10index import WORD, Tree, search_words
from medsheets.identifiers import dotted_icd10
from medsheets.model import Procedure

DEFAULT_LIMIT = 20

# Abbreviations in clinical notes and what the tabular calls them.
ABBREVIATIONS: Mapping[str, str] = {
    "htn": "hypertension", "dm": "diabetes", "dm1": "type 1 diabetes",
    "dm2": "type 2 diabetes", "t1dm": "type 1 diabetes", "t2dm": "type 2 diabetes",
    "iddm": "type 1 diabetes", "niddm": "type 2 diabetes",
    "copd": "chronic obstructive pulmonary", "uti": "urinary tract infection",
    "uri": "upper respiratory infection", "chf": "heart failure",
    "cad": "coronary artery disease", "gerd": "gastro esophageal reflux",
    "ckd": "chronic kidney disease", "afib": "atrial fibrillation", "mi": "myocardial infarction",
    "oa": "osteoarthritis", "ra": "rheumatoid arthritis", "bph": "benign prostatic hyperplasia",
    "hld": "hyperlipidemia", "lbp": "low back pain", "sob": "shortness of breath",
    "cp": "chest pain", "ha": "headache", "gad": "generalized anxiety disorder",
    "mdd": "major depressive disorder", "osa": "obstructive sleep apnea",
    "dvt": "deep vein thrombosis", "pe": "pulmonary embolism", "tia": "transient ischemic",
    "cva": "cerebral infarction", "ibs": "irritable bowel", "aom": "acute otitis media",
    "rt": "right", "lt": "left", "bilat": "bilateral", "fx": "fracture", "hx": "history",
    "w": "with", "wo": "without", "w/o": "without", "r/o": "", "yo": "", "pt": "",
}
# Words that do not make a description less fitting when the query leaves them out.
GENERIC = frozenset(
    ["essential", "primary", "unspecified", "nos", "other", "mellitus", "of", "the", "and", "or", "in", "to", "a", "an", "by", "for", "due", "site", "not", "specified", "elsewhere", "classified", "type", "initial", "encounter"])


@dataclass(frozen=True)
class Found:
    """One search answer: the code (dotted), its description, whether it can be billed, and
    the path up the tree (chapter, block, category ... as (name, description) pairs)."""

    code: str
    description: str
    billable: bool
    path: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "description": self.description, "billable": self.billable,
                "path": [{"code": name, "description": text} for name, text in self.path]}


def query_terms(words: Iterable[str]) -> list[str]:
    """The words to look for: lower case, abbreviations spelled out, punctuation dropped."""
    terms: list[str] = []
    for word in words:
        for piece in word.lower().split():
            expansion = ABBREVIATIONS.get(piece)
            if expansion is None:
                expansion = ABBREVIATIONS.get(piece.strip(".,;:"), piece)
            terms.extend(WORD.findall(expansion))
    return list(dict.fromkeys(terms))


def _unasked(texts: Iterable[str], terms: list[str]) -> int:
    """The fewest words, over the texts, that the query did not ask for."""
    best = None
    for text in texts:
        words = WORD.findall(text.lower())
        count = sum(1 for w in words if w not in GENERIC and not any(w.startswith(t) for t in terms))
        best = count if best is None else min(best, count)
    return best or 0


def _texts(tree: Tree, position: int) -> list[str]:
    """A code's description and the inclusion terms written under it and under its parent."""
    texts = [tree.description(position)]
    for at in (position, tree.parents[position]):
        texts.extend(tree.notes.get(at, {}).get("inclusion_term", ()))
    return texts


def search_diagnoses(words: Iterable[str], limit: int = DEFAULT_LIMIT) -> list[Found]:
    """ICD-10-CM codes whose description or inclusion terms hold every word."""
    terms = query_terms(words)
    if not terms:
        return []
    index = icd10.shipped()
    hits = _matching_lines(index.joined_words, [f" {t}" for t in terms])
    tree = index.tree
    ranked = []
    for position in hits:
        plain = tree.names[position].replace(".", "")
        description = tree.description(position)
        billable = index.is_billable(plain)
        ranked.append(((not billable, _unasked(_texts(tree, position), terms), len(plain), plain),
                       position, billable, description))
    ranked.sort(key=lambda r: r[0])
    return [Found(dotted_icd10(tree.names[p]), text, billable,
                  tuple((tree.names[a], tree.description(a)) for a in reversed(tree.ancestors(p))))
            for _, p, billable, text in ranked[:limit]]


def _matching_lines(joined: tuple[str, list[int]], needles: list[str]) -> list[int]:
    """Lines of the joined text holding every needle: find the longest (likely the rarest)
    at C speed, then test the others on the lines it occurs in."""
    text, starts = joined
    anchor = max(needles, key=len)
    others = [n for n in needles if n != anchor]
    found: list[int] = []
    at = text.find(anchor)
    while at != -1:
        line = bisect_right(starts, at) - 1
        end = starts[line + 1] - 1
        if all(n in text[starts[line]:end] for n in others):
            found.append(line)
        at = text.find(anchor, end)
    return found


def search_procedures(words: Iterable[str], procedures: Mapping[str, Procedure],
                      limit: int = DEFAULT_LIMIT) -> list[Found]:
    """Rows of the practice's Procedures sheet whose code or description holds every word."""
    terms = query_terms(words)
    if not terms:
        return []
    needles = [f" {t}" for t in terms]
    ranked = []
    for code, procedure in procedures.items():
        text = search_words(code, procedure.description)
        if all(n in text for n in needles):
            ranked.append(((_unasked([procedure.description], terms), code), procedure))
    ranked.sort(key=lambda r: r[0])
    return [Found(p.code, p.description, True) for _, p in ranked[:limit]]
