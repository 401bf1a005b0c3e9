"""Know what a file really is before handing it to a spreadsheet parser.

Offices rename files: a CSV export or an HTML report saved as `.xlsx`, an old `.xls`, a
workbook with a password (which Excel stores as an OLE2 container, not a zip). A parser's
error for these is a traceback; here each becomes one line that says what the file is and what
to do. The zip is also checked for bombs (absurd sizes or ratios) and its XML parts for entity
declarations (the "billion laughs" bomb) before any XML parser sees them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO

from medsheets.errors import BadFileError

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3  # 2 GiB: far beyond any practice's day
MAX_RATIO = 200  # a sheet's XML compresses ~10-30x; hundreds is a bomb
RATIO_FLOOR_BYTES = 20 * 1024**2  # small parts may compress well without being suspicious
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROLOG_LIMIT = 1024**2  # an XML prolog longer than this is not one Excel wrote
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
SAVE_AS = "open it in Excel and use File > Save As > Excel Workbook (.xlsx)"


def check_xlsx(path: Path) -> None:
    """Raise BadFileError with a one-line explanation unless `path` looks like a sound xlsx."""
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise BadFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise BadFileError(f"{name}: is a folder, not a workbook") from None
    except OSError as exc:
        raise BadFileError(f"{name}: cannot be read ({exc.strerror})") from None
    if not head:
        raise BadFileError(f"{name}: the file is empty; save the workbook again from Excel")
    if head.startswith(OLE2_MAGIC):
        raise BadFileError(_describe_ole2(path))
    if not head.startswith(b"PK"):
        raise BadFileError(f"{name}: {_describe_text(head)}; {SAVE_AS}")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip(name, archive)
    except zipfile.BadZipFile:
        raise BadFileError(
            f"{name}: the workbook is damaged or incomplete (not a whole zip archive, perhaps a "
            f"truncated copy); save it again from Excel"
        ) from None


def _check_zip(name: str, archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        what = "an OpenDocument spreadsheet (.ods)" if "content.xml" in names else "a zip archive"
        raise BadFileError(f"{name}: is {what}, not an Excel workbook; {SAVE_AS}")
    total = 0
    for member in members:
        total += member.file_size
        compressed = max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size / compressed > MAX_RATIO:
            raise BadFileError(
                f"{name}: refused: part {member.filename} expands {member.file_size // compressed}x "
                f"(a zip bomb, not a workbook Excel writes); {SAVE_AS}"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise BadFileError(
            f"{name}: refused: it would expand to {total // 1024**2} MiB; split the workbook by day"
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels")) and not member.is_dir():
            with archive.open(member) as part:
                declares = _declares_dtd(part)
            if declares:
                raise BadFileError(
                    f"{name}: refused: part {member.filename} declares XML entities (an XML bomb "
                    f"or external-entity attack; Excel never writes these); {SAVE_AS}"
                )


def _declares_dtd(part: IO[bytes]) -> bool:
    """Whether an XML part has a DOCTYPE (where entities are declared) before its root element.

    The whole prolog is walked, not a fixed window: comments or processing instructions can
    push a DOCTYPE past any number of bytes, and a UTF-16 part hides the ASCII needle.
    """
    data = part.read(PROLOG_LIMIT)
    if data.startswith((b"\xff\xfe", b"<\x00")):
        data = data.decode("utf-16-le", "replace").encode()
    elif data.startswith((b"\xfe\xff", b"\x00<")):
        data = data.decode("utf-16-be", "replace").encode()
    data = data.removeprefix(b"\xef\xbb\xbf")
    position = 0
    while (item := _PROLOG_ITEM.match(data, position)) is not None:
        position = item.end()
    # "<!" is a DOCTYPE (or a comment still open at the limit); "<?" an endless instruction.
    return data.startswith((b"<!", b"<?"), position)


def _describe_ole2(path: Path) -> str:
    """An OLE2 file is either a password-protected xlsx or a legacy .xls."""
    data = path.read_bytes()[: 1024 * 1024]
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return (
            f"{path.name}: the workbook is protected with a password; open it in Excel, remove "
            "the password (File > Info > Protect Workbook > Encrypt with Password, clear it) and "
            "save it as .xlsx"
        )
    return f"{path.name}: is an old Excel 97-2003 workbook (.xls); {SAVE_AS}"


def _describe_text(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")):
        return "is a web page (HTML) renamed .xlsx, not a workbook"
    if text.startswith(b"<?xml"):
        return "is an XML file (perhaps Excel 2003 XML) renamed .xlsx, not a workbook"
    if text.startswith(b"%pdf"):
        return "is a PDF, not a workbook"
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        return "is not an Excel workbook (unknown binary content)"
    first_line = decoded.splitlines()[0] if decoded.splitlines() else ""
    if "," in first_line or ";" in first_line or "\t" in first_line:
        return "is a CSV/text file renamed .xlsx, not a workbook"
    return "is a text file, not an Excel workbook"
