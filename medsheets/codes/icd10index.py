"""The compact ICD-10-CM index: the shipped release, built once, loaded in milliseconds.

The edits ask two questions thousands of times a day ("is this code billable?", "what lies
under this header?") and parsing the release's tabular XML to answer them costs 2.5 s per
process. So the release is read once (`release.entries()`) into a small zip file in the user's
cache folder (``$XDG_CACHE_HOME/medsheets``, else ``~/.cache/medsheets``; or
``MEDSHEETS_CACHE_DIR``), named after the installed release's fingerprint, written atomically.
Where the cache cannot be written the index is simply kept in memory for the process.
The members every check reads (STORED_MEMBERS) are stored, not deflated, and laid out to be
searched as they are: opening the index costs a few milliseconds, not the 30 it took to
inflate them and split them into lists of 74,000 strings.

The file has these members, each read only when needed:

- ``meta.json``: format, package version, fiscal year, the release's content hash;
- ``hot.txt``: the billable codes (sorted, without the dot, each padded to CODE_WIDTH: see
  `SortedCodes`), how plain each one is (for suggestions), and the headers (the same way):
  all a `check` of a day needs;
- ``search.txt``: each entry's words (description and inclusion terms), one line per entry,
  for `medsheets codes search`;
- ``tree.json``: every entry of the tabular in order with its parent, description and own
  notes (Excludes1/2, code first, use additional code, 7th characters): for search, `show`
  and the Codes sheet;
- ``rules.txt`` and ``rule-values.txt``: what the claim edits from the tabular ask of each
  code, worked out from the tree when the index is built (`claim_rules`): a check reads the
  lines of the codes it meets instead of loading the tree;
- ``descriptions/A.json`` ... ``descriptions/Z.json``: each billable code's and header's
  description (code -> text), one member per first letter: a check that suggests
  codes for an unknown one reads a letter's few thousand lines, not the whole tree.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import Any, overload

from medsheets.codes import release
from medsheets.files import write_atomic

FORMAT = 5  # raised whenever the members change, so that older caches are rebuilt
LIST_NOTES = frozenset({"excludes1", "excludes2", "includes", "inclusion_term"})
WORD = re.compile(r"[a-z0-9]+")
DERIVED = "\u0001"  # a description stored as "parent's description, " + the rest
RULES, RULE_VALUES = "rules.txt", "rule-values.txt"  # the claim rules' members (claim_rules)
DESCRIPTIONS = "descriptions/{}.json"  # the descriptions of the codes beginning with {}
STORED_MEMBERS = frozenset({"meta.json", "hot.txt", RULES, RULE_VALUES})  # read by every check


def plainness(text: str) -> int:
    """0 for the unspecified / uncomplicated case, 1 for anything unspecified, 2 otherwise."""
    lowered = text.lower()
    if lowered.endswith(("unspecified", "without complications")):
        return 0
    return 1 if "unspecified" in lowered else 2


def cache_dir() -> Path:
    """Where medsheets keeps what it derives once per installation."""
    explicit = os.environ.get("MEDSHEETS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medsheets"


@dataclass
class Tree:
    """The tabular entries in release order; positions are the entries' identity.

    names: as the release spells them; types: one letter per entry (release.TYPE_LETTERS);
    parents: position of each entry's parent (-1 for a chapter); notes: own notes by position;
    index_of: code without the dot -> the entry the release answers for it."""

    names: list[str]
    types: str
    parents: list[int]
    stored_descriptions: list[str]
    notes: dict[int, dict[str, Any]]
    index_of: dict[str, int] = field(default_factory=dict)

    def description(self, position: int) -> str:
        text = self.stored_descriptions[position]
        if text.startswith(DERIVED):
            return f"{self.description(self.parents[position])}, {text[1:]}"
        return text

    def ancestors(self, position: int) -> list[int]:
        """Parent, grandparent, ... up to the chapter."""
        found = []
        parent = self.parents[position]
        while parent >= 0:
            found.append(parent)
            parent = self.parents[parent]
        return found

    def inherited(self, position: int, name: str) -> Any:
        """A note as it applies to the entry: its own, else the nearest ancestor's (how the
        tabular means "code first", "use additional code" and 7th characters)."""
        for at in (position, *self.ancestors(position)):
            value = self.notes.get(at, {}).get(name)
            if value:
                return value
        return self.empty(name)

    @staticmethod
    def empty(name: str) -> Any:
        return {} if name == "seven_chr_def" else ([] if name in LIST_NOTES else "")

    def children(self, position: int) -> list[int]:
        return self._children.get(position, [])

    @cached_property
    def _children(self) -> dict[int, list[int]]:
        children: dict[int, list[int]] = {}
        for position, parent in enumerate(self.parents):
            children.setdefault(parent, []).append(position)
        return children


@dataclass(frozen=True)
class RuleTable:
    """The rules members as read (`claim_rules` parses a line when a claim carries its code):
    the number of each billable code's and each header's rule set, in hot.txt's order, as
    fixed-width digits (`width` each); the distinct rule sets; the notes and 7th-character
    choices they share."""

    width: int
    billable_sets: str
    header_sets: str
    sets: list[str]
    values: list[str]

    def billable_set(self, position: int) -> int:
        """The rule set of hot.txt's `position`-th billable code."""
        return int(self.billable_sets[position * self.width:(position + 1) * self.width])

    def header_set(self, position: int) -> int:
        """The rule set of hot.txt's `position`-th header."""
        return int(self.header_sets[position * self.width:(position + 1) * self.width])


def rule_table(rules: str, values: str) -> RuleTable:
    width, billable, headers, sets = rules.split("\n", 3)
    return RuleTable(int(width), billable, headers, sets.split("\n"), values.split("\n"))


CODE_WIDTH = 7  # an ICD-10-CM code without its dot has at most seven characters


def padded_codes(codes: Iterable[str]) -> str:
    """Sorted codes as one line for SortedCodes: each padded with spaces to CODE_WIDTH."""
    line = "".join(code.ljust(CODE_WIDTH) for code in codes)
    if len(line) % CODE_WIDTH:
        raise ValueError(f"an ICD-10-CM code longer than {CODE_WIDTH} characters")
    return line


class SortedCodes(Sequence[str]):
    """Sorted codes kept as the one line they are stored in (`padded_codes`), the i-th code
    sliced out when asked for: `bisect` searches it like a list (a space sorts before every
    letter and digit, so padding keeps the order), and opening the index makes no list of
    74,000 strings."""

    def __init__(self, line: str) -> None:
        self._line = line

    def __len__(self) -> int:
        return len(self._line) // CODE_WIDTH

    @overload
    def __getitem__(self, position: int) -> str: ...

    @overload
    def __getitem__(self, position: slice) -> list[str]: ...

    def __getitem__(self, position: int | slice) -> str | list[str]:
        if isinstance(position, slice):
            return [self[i] for i in range(len(self))[position]]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        return self._line[position * CODE_WIDTH:(position + 1) * CODE_WIDTH].rstrip()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SortedCodes) and other._line == self._line

    __hash__ = None  # type: ignore[assignment]


class Icd10Index:
    """One ICD-10-CM release as medsheets asks it: codes are upper case without the dot."""

    def __init__(self, meta: dict[str, Any], hot: str, tree_loader: Any,
                 words_loader: Any, rules_loader: Any,
                 member_loader: Callable[[str], str | None] = lambda name: None) -> None:
        self.meta = meta
        self._member_loader = member_loader  # a member by name, None when the index lacks it
        self._descriptions: dict[str, dict[str, str] | None] = {}  # by first letter
        self._words_loader = words_loader
        self._rules_loader = rules_loader
        billable_line, plain_line, header_line = hot.split("\n")[:3]
        # Sorted codes searched by bisection: opening costs neither a split nor 100,000 hashes.
        self.sorted_billable = SortedCodes(billable_line)
        self.plain = plain_line
        self.sorted_headers = SortedCodes(header_line)
        self._tree_loader = tree_loader

    def is_billable(self, code: str) -> bool:
        return _holds(self.sorted_billable, code)

    def is_header(self, code: str) -> bool:
        return _holds(self.sorted_headers, code)

    @property
    def fiscal_year(self) -> int:
        return int(self.meta["fiscal_year"])

    @cached_property
    def tree(self) -> Tree:
        return self._tree_loader()  # type: ignore[no-any-return]

    def description(self, code: str) -> str | None:
        """The description of a billable code or a header (without the dot), None for any
        other: from its letter's descriptions member (the tree where the index has none)."""
        if not (self.is_billable(code) or self.is_header(code)):
            return None
        letter = code[0]
        if letter not in self._descriptions:
            text = self._member_loader(DESCRIPTIONS.format(letter))
            self._descriptions[letter] = None if text is None else json.loads(text)
        table = self._descriptions[letter]
        if table is None:
            return self.tree.description(self.tree.index_of[code])
        return table[code]

    @cached_property
    def rules(self) -> RuleTable:
        """The claim edits' rules per code (`claim_rules`), without the tree. The shipped
        release's only: an order file (`orderfile`) has no tabular notes, nor these members."""
        return self._rules_loader()  # type: ignore[no-any-return]

    @cached_property
    def words(self) -> list[str]:
        """Each entry's search words (search_words), by position in the tree."""
        return self._words_loader()  # type: ignore[no-any-return]

    @cached_property
    def joined_words(self) -> tuple[str, list[int]]:
        """All entries' words as one text (a line each) and where each line starts: a search
        scans it at C speed with str.find instead of testing 98,000 strings one by one."""
        lines = self.words
        starts = [0, *accumulate(len(line) + 1 for line in lines)]
        return "\n".join(lines) + "\n", starts

    def billable_under(self, code: str) -> list[str]:
        """The billable codes beneath a header (without the dot), the likeliest first."""
        start = bisect_left(self.sorted_billable, code)
        end = start
        while end < len(self.sorted_billable) and self.sorted_billable[end].startswith(code):
            end += 1
        found = [c for c in range(start, end) if self.sorted_billable[c] != code]
        found.sort(key=lambda i: (self.plain[i], len(self.sorted_billable[i]),
                                  self.sorted_billable[i]))
        return [self.sorted_billable[i] for i in found]


def _holds(ordered: Sequence[str], code: str) -> bool:
    at = bisect_left(ordered, code)
    return at < len(ordered) and ordered[at] == code


def build_members() -> dict[str, str]:
    """The index's members, read from the release (imports the package: seconds, once)."""
    fiscal_year, label = release.release_label()
    entries = list(release.entries())
    registered = release.registered_names()
    names = [e.name for e in entries]
    stored = []
    for entry in entries:
        parent_text = entries[entry.parent].description if entry.parent >= 0 else None
        if entry.type == "X" and parent_text and entry.description.startswith(parent_text + ", "):
            stored.append(DERIVED + entry.description[len(parent_text) + 2:])
        else:
            stored.append(entry.description)
    billable: dict[str, int] = {}
    headers = []
    has_children = {e.parent for e in entries}
    for name, position in registered.items():
        plain = name.replace(".", "")
        if "-" in plain or len(plain) < 3:
            continue  # chapters (4) and blocks (A00-A09) are never billed nor suggested
        if position in has_children:
            headers.append(plain)
        else:
            billable[plain] = plainness(entries[position].description)
    ordered = sorted(billable)
    hot = "\n".join([padded_codes(ordered), "".join(str(billable[c]) for c in ordered),
                     padded_codes(sorted(headers))])
    last_wins = {name: i for i, name in enumerate(names)}
    overrides = {n: p for n, p in registered.items() if last_wins.get(n) != p}
    tree = {
        "names": names, "types": "".join(e.type for e in entries),
        "parents": [e.parent for e in entries], "descriptions": stored,
        "notes": {str(i): e.notes for i, e in enumerate(entries) if e.notes},
        "overrides": overrides,
    }
    tree_text = json.dumps(tree, separators=(",", ":"))
    meta = {"format": FORMAT, "package_version": release.package_version(),
            "fiscal_year": fiscal_year, "label": label, "sha256": release.content_hash(),
            "source": "shipped"}
    words = [search_words(e.description, e.notes.get("inclusion_term", ()))
             if e.type in "CSX" else "" for e in entries]
    # The claim rules are the tabular's notes as the edits read them (codes.tabular), which
    # itself asks this index: imported here, where the index is being made, not at the top.
    from medsheets.codes.claim_rules import rules_members

    built = tree_from_json(tree_text)
    rules = rules_members(built, ordered, sorted(headers))
    described = description_members(
        (code, built.description(built.index_of[code])) for code in [*ordered, *headers])
    return {"meta.json": json.dumps(meta), "hot.txt": hot, "tree.json": tree_text,
            "search.txt": "\n".join(words), **rules, **described}


def description_members(described: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The descriptions members for (code without the dot, description) pairs: a JSON object
    per first letter (a description may hold a line break)."""
    by_letter: dict[str, dict[str, str]] = {}
    for code, text in described:
        by_letter.setdefault(code[0], {})[code] = text
    return {DESCRIPTIONS.format(letter): json.dumps(texts, separators=(",", ":"))
            for letter, texts in sorted(by_letter.items())}


def search_words(*texts: Any) -> str:
    """Lower-case words of the texts, each preceded by a space: " type 2 diabetes mellitus"."""
    flat: list[str] = []
    for text in texts:
        flat.extend([text] if isinstance(text, str) else text)
    return "".join(f" {word}" for word in WORD.findall(" ".join(flat).lower()))


def tree_from_json(text: str) -> Tree:
    raw = json.loads(text)
    names = raw["names"]
    index_of = {name.replace(".", ""): i for i, name in enumerate(names)}
    index_of.update({name.replace(".", ""): p for name, p in raw["overrides"].items()})
    notes = {int(k): v for k, v in raw["notes"].items()}
    return Tree(names, raw["types"], raw["parents"], raw["descriptions"], notes, index_of)


def pack(members: dict[str, str]) -> bytes:
    """The members as one zip file's bytes: deflated, but for those every check reads
    (STORED_MEMBERS), kept as they are so that opening the index inflates nothing."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text, zipfile.ZIP_STORED if name in STORED_MEMBERS else None)
    return buffer.getvalue()


def index_from_zip(path: Path) -> Icd10Index:
    """Open a cached index; its tree member is read on first use."""
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read("meta.json"))
        if meta.get("format") != FORMAT:
            raise ValueError("index format changed")
        hot = archive.read("hot.txt").decode("utf-8")

    def member(name: str) -> str:
        with zipfile.ZipFile(path) as archive:
            return archive.read(name).decode("utf-8")

    def member_if_any(name: str) -> str | None:
        try:
            return member(name)
        except KeyError:
            return None

    return Icd10Index(meta, hot, lambda: tree_from_json(member("tree.json")),
                      lambda: member("search.txt").split("\n"),
                      lambda: rule_table(member(RULES), member(RULE_VALUES)), member_if_any)


def index_from_members(members: dict[str, str]) -> Icd10Index:
    return Icd10Index(json.loads(members["meta.json"]), members["hot.txt"],
                      lambda: tree_from_json(members["tree.json"]),
                      lambda: members["search.txt"].split("\n"),
                      lambda: rule_table(members[RULES], members[RULE_VALUES]), members.get)


def shipped_index_path() -> Path:
    return cache_dir() / f"icd10cm-{release.fingerprint()}-f{FORMAT}.zip"


def load_shipped_index() -> Icd10Index:
    """The shipped release's index: from the cache, else built now (and cached when possible)."""
    path = shipped_index_path()
    try:
        return index_from_zip(path)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass  # absent, unreadable, or from another format: build it again
    members = build_members()
    try:
        write_atomic(path, pack(members))
    except OSError:
        pass  # a read-only home: the index lives in this process only
    return index_from_members(members)
