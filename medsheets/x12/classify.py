"""Tell what kind of X12 file a clearinghouse dropped in `remits/`: 835, 999, 277, 837...

The practice's `remits/` folder receives every answer the clearinghouse sends, under whatever
names it chooses, so `medsheets run` sorts the files by what they are, not by their names: the
transaction type (ST01) of the first transaction, else the group's version (GS08), else `TA1`
for an interchange that only acknowledges an envelope. Only the head of the file is looked at;
reading the whole file (and refusing it if it is damaged) is the job of the command it goes to.
What is not X12 at all is refused here with the reader's own one-line BadFileError.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from medsheets.errors import BadFileError
from medsheets.files import read_input
from medsheets.x12.errors import NotX12Error
from medsheets.x12.reader import find_delimiters

# GS08 versions of the transactions a practice receives, for a file whose ST is out of sight.
VERSIONS = {
    "005010X221A1": "835", "005010X221": "835",
    "005010X231A1": "999", "005010X231": "999",
    "005010X214": "277",
    "005010X222A1": "837", "005010X222": "837",
}
HEAD_SEGMENTS = 50  # ST comes within the first few segments of any well-formed interchange


def classify_x12(path: Path) -> str:
    """The transaction type of the X12 file at `path`: "835", "999", "277", "837", "TA1"...

    Raises BadFileError (naming the file and what to do) when it cannot be read or is not X12.
    """
    data = read_input(path)
    return classify_x12_text(data, path.name)


def classify_x12_text(data: bytes | str, name: str) -> str:
    """`classify_x12` for content already in memory; `name` is used in messages."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    text = text.lstrip("\ufeff\xef\xbb\xbf").lstrip()
    if not text:
        raise NotX12Error(f"{name}: is empty; check that the right file was chosen")
    delimiters = find_delimiters(text, name)
    version, saw_ta1 = "", False
    for raw in text.split(delimiters.segment, HEAD_SEGMENTS)[:HEAD_SEGMENTS]:
        elements = raw.strip("\r\n \t").split(delimiters.element)
        segment_id = elements[0]
        if segment_id == "ST" and len(elements) > 1 and elements[1].strip():
            return elements[1].strip()
        if segment_id == "GS" and len(elements) > 8:
            version = elements[8].strip()
        saw_ta1 = saw_ta1 or segment_id == "TA1"
    if version in VERSIONS:
        return VERSIONS[version]
    if saw_ta1:
        return "TA1"
    raise NotX12Error(f"{name}: an X12 interchange without a transaction medsheets can identify; "
                      "ask the clearinghouse what the file is")


def classify_files(paths: Iterable[Path]) -> tuple[dict[str, list[Path]], list[tuple[Path, str]]]:
    """Files sorted by transaction type, and those that are not X12 with the reason why.

    For a folder scan (`medsheets run`): one unreadable file is reported, not fatal to the rest.
    """
    by_type: dict[str, list[Path]] = {}
    refused: list[tuple[Path, str]] = []
    for path in sorted(paths):
        try:
            by_type.setdefault(classify_x12(path), []).append(path)
        except BadFileError as exc:
            refused.append((path, str(exc)))
    return by_type, refused
