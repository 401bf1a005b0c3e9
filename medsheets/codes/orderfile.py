"""A CMS ICD-10-CM order file (icd10cm_order_YYYY.txt) read into the compact index.

CMS publishes each fiscal year's code set before it takes effect on October 1, in the zip
"Code Descriptions in Tabular Order". Its order file is fixed width, one entry a line:

    columns 1-5    order number, zero filled (the tabular's order)
    column  6      blank
    columns 7-13   the code without the dot, left justified, space filled
    column  14     blank
    column  15     1 when the code is billable (valid for HIPAA transactions), 0 for a header
    column  16     blank
    columns 17-76  short description (60 characters)
    column  77     blank
    columns 78-    long description

The file carries no tree and no tabular notes: a code's parent is the longest code in the file
that begins it; the notes (Excludes1 and the rest) stay those of the shipped release. The
fiscal year comes from the file's name as CMS gives it. Parsed once per file content, cached
beside the shipped release's index.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

from medsheets.codes import icd10index
from medsheets.codes.icd10index import (
    FORMAT,
    Icd10Index,
    description_members,
    padded_codes,
    plainness,
    search_words,
)
from medsheets.errors import ConfigError
from medsheets.files import read_input, write_atomic

YEAR_IN_NAME = re.compile(r"(20[0-9]{2})")
CODE = re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$")
WHERE = "[codes] icd10cm_order_file"


def fiscal_year_of_file(path: Path) -> int:
    """The fiscal year in the file's name (icd10cm_order_2027.txt -> 2027)."""
    found = YEAR_IN_NAME.findall(path.name)
    if not found:
        raise ConfigError(f"{WHERE} {path.name}: the name must carry the fiscal year as CMS "
                          "names it (icd10cm_order_2027.txt)")
    return int(found[-1])


def parse_order_file(text: str, name: str) -> list[tuple[str, bool, str]]:
    """(code without the dot, billable, long description) per line, in the file's order."""
    entries: list[tuple[str, bool, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, flag = line[6:13].strip(), line[14:15]
        if not (line[:5].strip().isdigit() and CODE.match(code) and flag in ("0", "1")):
            raise ConfigError(f"{WHERE} {name} line {number}: not a CMS order-file line "
                              "(order number, code, 0/1, short and long description in fixed "
                              "columns); use icd10cm_order_YYYY.txt from CMS's zip unchanged")
        long = line[77:].strip() or line[16:76].strip()
        entries.append((code, flag == "1", long))
    if not entries:
        raise ConfigError(f"{WHERE} {name}: the file is empty")
    return entries


def members_from_order_file(text: str, name: str, fiscal_year: int, sha256: str) -> dict[str, str]:
    """The index members (as `icd10index.build_members` makes them) for an order file."""
    entries = parse_order_file(text, name)
    position = {code: i for i, (code, _, _) in enumerate(entries)}
    parents = []
    for code, _, _ in entries:
        parent = next((position[code[:n]] for n in range(len(code) - 1, 2, -1)
                       if code[:n] in position), -1)
        parents.append(parent)
    billable = sorted((code, plainness(text)) for code, flag, text in entries if flag)
    headers = sorted(code for code, flag, _ in entries if not flag)
    hot = "\n".join([padded_codes(c for c, _ in billable), "".join(str(p) for _, p in billable),
                     padded_codes(headers)])
    names = [code if len(code) <= 3 else f"{code[:3]}.{code[3:]}" for code, _, _ in entries]
    tree = {"names": names, "types": "".join("C" if len(c) == 3 else "S" for c, _, _ in entries),
            "parents": parents, "descriptions": [text for _, _, text in entries], "notes": {},
            "overrides": {}}
    meta = {"format": FORMAT, "fiscal_year": fiscal_year, "label": name, "sha256": sha256,
            "source": "order file"}
    return {"meta.json": json.dumps(meta), "hot.txt": hot,
            "tree.json": json.dumps(tree, separators=(",", ":")),
            "search.txt": "\n".join(search_words(text) for _, _, text in entries),
            **description_members((code, text) for code, _, text in entries)}


def load_order_file(path: Path) -> Icd10Index:
    """The index of an order file: cached by content, else parsed now (and cached if possible)."""
    data = read_input(path)
    sha256 = hashlib.sha256(data).hexdigest()
    cached = icd10index.cache_dir() / f"icd10cm-order-{sha256[:16]}-f{FORMAT}.zip"
    try:
        return icd10index.index_from_zip(cached)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    members = members_from_order_file(text, path.name, fiscal_year_of_file(path), sha256)
    try:
        write_atomic(cached, icd10index.pack(members))
    except OSError:
        pass
    return icd10index.index_from_members(members)
