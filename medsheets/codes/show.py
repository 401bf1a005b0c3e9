"""A code's tabular entry in plain words, for `medsheets codes show CODE`.

`describe` gathers it as plain data (what `--json` prints); `show_lines` lays it out for a
person: what the code is, whether it can be billed and which billable codes lie beneath it,
then each instruction with the header it is written under, then the fiscal years it is valid in.
"""

from __future__ import annotations

from typing import Any

from medsheets.codes import icd10, tabular
from medsheets.codes.releases import SHIPPED_ONLY, Releases
from medsheets.identifiers import dotted_icd10, normalize_icd10

BENEATH_SHOWN = 12
NOTE_TITLES = (
    ("excludes1", "Excludes1 (not coded here: never on one claim with this code)"),
    ("excludes2", "Excludes2 (not included here: both may be coded when both are present)"),
    ("code_first", "Code first (list the underlying condition before this code)"),
    ("use_additional", "Use additional code"),
    ("code_also", "Code also"),
)


def describe(code: str, releases: Releases = SHIPPED_ONLY) -> dict[str, Any]:
    """The entry as plain data; {"found": False, ...} for a code not in the release."""
    entry = tabular.entry(code)
    if entry is None:
        return {"found": False, "code": dotted_icd10(code),
                "message": f"{dotted_icd10(code)} is not in the ICD-10-CM code set",
                "did_you_mean": list(_did_you_mean(code))}
    beneath = [] if entry.billable else icd10.shipped().billable_under(normalize_icd10(code))
    return {
        "found": True,
        "code": entry.code,
        "description": entry.description,
        "billable": entry.billable,
        "billable_beneath": [{"code": dotted_icd10(c), "description": icd10.description(c)}
                             for c in beneath],
        "path": [{"code": name, "description": text} for name, text in entry.path],
        "inclusion_terms": list(entry.inclusion_terms),
        **{name: [{"under": n.under, "text": n.text} for n in getattr(entry, name)]
           for name, _ in NOTE_TITLES},
        "seventh_characters": [{"character": c, "meaning": tabular.seventh_meaning(c, words)}
                               for c, words in entry.seventh],
        "seventh_character_note": entry.seventh_note,
        "valid_in": valid_in(code, releases),
    }


def valid_in(code: str, releases: Releases = SHIPPED_ONLY) -> list[dict[str, Any]]:
    """The releases the code is in: fiscal year, first and last day, where the release is from."""
    plain = normalize_icd10(code)
    found = []
    for year in releases.years:
        index = releases.for_year(year)
        if index.is_billable(plain) or index.is_header(plain):
            found.append({"fiscal_year": year, "from": f"{year - 1}-10-01", "to": f"{year}-09-30",
                          "release": index.meta.get("label", ""),
                          "billable": index.is_billable(plain)})
    return found


def _did_you_mean(code: str) -> tuple[str, ...]:
    from medsheets.codes.suggest import closest_diagnoses

    return closest_diagnoses(code)


def show_lines(described: dict[str, Any]) -> list[str]:
    """The entry laid out for the terminal, one instruction per line."""
    code = described["code"]
    if not described["found"]:
        lines = [described["message"]]
        if described["did_you_mean"]:
            lines.append(f"Did you mean: {', '.join(described['did_you_mean'])}?")
        return lines
    lines = [f"{code}  {described['description']}"]
    path = " › ".join(f"{p['code']} {p['description']}" for p in described["path"][1:])
    if path:
        lines.append(f"  under: {path}")
    if described["billable"]:
        lines.append("  billable: yes")
    else:
        beneath = described["billable_beneath"]
        lines.append(f"  billable: no, a header; {len(beneath)} billable codes beneath:")
        lines.extend(f"    {b['code']}  {b['description']}" for b in beneath[:BENEATH_SHOWN])
        if len(beneath) > BENEATH_SHOWN:
            lines.append(f"    ... and {len(beneath) - BENEATH_SHOWN} more "
                         f"(medsheets codes show {code} --json lists them all)")
    if described["inclusion_terms"]:
        lines.append("  Inclusion terms:")
        lines.extend(f"    {t}" for t in described["inclusion_terms"])
    for name, title in NOTE_TITLES:
        notes = described[name]
        if not notes:
            continue
        lines.append(f"  {title}:")
        for note in notes:
            text = _one_line(note["text"])
            lines.append(f"    {text}   [at {note['under']}]")
    if described["seventh_characters"]:
        lines.append("  7th character (required; the code is billable only with it):")
        lines.extend(f"    {s['character']}  {s['meaning']}" for s in described["seventh_characters"])
    valid = ", ".join(f"FY{v['fiscal_year']} ({v['from']} to {v['to']}"
                      f"{'' if v['billable'] else ', as a header'})" for v in described["valid_in"])
    lines.append(f"  valid in: {valid or 'none of the releases loaded'}")
    return lines


def _one_line(text: str) -> str:
    """A note's lines as one: "code to identify control using: insulin (Z79.4); ..."."""
    joined = ""
    for part in (p.strip() for p in text.split("\n")):
        if part:
            joined += part if not joined else (" " if joined.endswith(":") else "; ") + part
    return joined
