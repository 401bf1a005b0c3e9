"""The ICD-10-CM release medsheets ships (the `simple_icd_10_cm` package), read once to build the index.

This is the one module that imports `simple_icd_10_cm`. The package parses its whole tabular
list when imported (about 2.5 s and 190 MB), so it is imported only when the compact index
(`icd10index`) has to be built: once per installed release, then never again. Everything
else asks the index.

`fingerprint()` names the installed release without importing it (the package's version and
its data files' names, sizes and modification times), so that a cached index is known to be
current in a few file system calls.
"""

from __future__ import annotations

import hashlib
import importlib.util
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from medsheets.errors import MedsheetsError

PACKAGE = "simple_icd_10_cm"
# The fields of a tabular entry the index keeps, as the package names them.
NOTE_FIELDS = (
    "excludes1", "excludes2", "includes", "inclusion_term", "seven_chr_def", "seven_chr_note",
    "use_additional_code", "code_first", "code_also", "notes",
)
TYPE_LETTERS = {"chapter": "c", "section": "s", "category": "C", "subcategory": "S",
                "extended subcategory": "X"}


class ReleaseEntry(NamedTuple):
    """One node of the tabular tree, in the release's own order (a chapter before its sections,
    a code before the codes beneath it).

    name: as the release spells it (``E11.9``, ``A00-A09``, ``4``); type: a letter of
    TYPE_LETTERS; parent: the position of the parent entry, -1 for a chapter; description;
    notes: the entry's own tabular notes (NOTE_FIELDS present and non-empty)."""

    name: str
    type: str
    parent: int
    description: str
    notes: dict[str, Any]


class ReleaseMissing(MedsheetsError):
    """The ICD-10-CM package is not installed (a broken install)."""


def package_dir() -> Path:
    """Where the package is installed, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ReleaseMissing(f"the ICD-10-CM release ({PACKAGE}) is not installed; reinstall "
                             "medsheets (pip install medsheets)")
    return Path(next(iter(spec.submodule_search_locations)))


def data_files() -> list[Path]:
    """The release's own files: the code list and the tabular XML."""
    return sorted(p for p in (package_dir() / "data").iterdir() if p.suffix in (".txt", ".xml"))


def package_version() -> str:
    """The installed version, from its dist-info folder's name (importlib.metadata takes 70 ms)."""
    folder = package_dir()
    for info in folder.parent.glob(f"{PACKAGE}-*.dist-info"):
        return info.name[len(PACKAGE) + 1:-len(".dist-info")]
    return "unknown"


def fingerprint() -> str:
    """A short name for the installed release: version plus each data file's name, size, mtime."""
    digest = hashlib.sha256(package_version().encode())
    for path in data_files():
        stat = path.stat()
        digest.update(f"|{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def content_hash() -> str:
    """sha256 of the release's data files, recorded in the index for provenance."""
    digest = hashlib.sha256()
    for path in data_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _module() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from simple_icd_10_cm import simple_icd_10_cm as module
    return module


def release_label() -> tuple[int, str]:
    """(fiscal year, label) of the release, e.g. (2026, "icd10c-tabular-April-1-2026")."""
    xml = next(p for p in data_files() if p.suffix == ".xml")
    with xml.open(encoding="utf-8") as handle:
        head = handle.read(400)
    start = head.find("<version>")
    year = int(head[start + 9:start + 13]) if start >= 0 else 0
    return year, xml.stem


def entries() -> Iterator[ReleaseEntry]:
    """Every node of the tabular tree, parents before children (imports the package)."""
    module = _module()
    position: dict[int, int] = {}
    stack = [(node, -1) for node in reversed(module._chapter_list)]
    index = 0
    while stack:
        node, parent = stack.pop()
        position[id(node)] = index
        notes = {name: getattr(node, name) for name in NOTE_FIELDS if getattr(node, name)}
        yield ReleaseEntry(node.name, TYPE_LETTERS[node.type], parent, node.description, notes)
        stack.extend((child, index) for child in reversed(node.children))
        index += 1


def registered_names() -> dict[str, int]:
    """Which entry the release answers for each name (a section named like its only category,
    B99, answers as the category): name -> position in `entries()`'s order."""
    module = _module()
    order: dict[int, int] = {}
    stack = list(reversed(module._chapter_list))
    index = 0
    while stack:
        node = stack.pop()
        order[id(node)] = index
        stack.extend(reversed(node.children))
        index += 1
    return {name: order[id(node)] for name, node in module._code_to_node.items()}
