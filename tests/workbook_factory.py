"""Build real workbook files in a test's tmp_path: good ones, odd ones and hostile ones.

The reader's job is to survive what offices and other programs actually produce, so the tests
feed it files written by openpyxl (and, for the legacy and foreign formats, by xlwt, odfpy and
msoffcrypto-tool), then patched at the XML level where no library will write the defect
(an Excel error cell's neighbours, a DOCTYPE, a shared-strings part, a zip bomb).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from medsheets.workbook.table import header_key

ENCOUNTER_HEADER = (
    "encounter_id",
    "date_of_service",
    "patient_id",
    "patient_last_name",
    "patient_first_name",
    "patient_dob",
    "patient_sex",
    "patient_address",
    "patient_city",
    "patient_state",
    "patient_zip",
    "payer_id",
    "member_id",
    "procedure_code",
    "units",
    "charge",
    "dx1",
)

GOOD_ROW: Mapping[str, Any] = {
    "encounter_id": "E1",
    "date_of_service": dt.date(2026, 3, 4),
    "patient_id": "P001",
    "patient_last_name": "Smith",
    "patient_first_name": "Ann",
    "patient_dob": dt.date(1980, 5, 17),
    "patient_sex": "F",
    "patient_address": "1 Elm St",
    "patient_city": "Boston",
    "patient_state": "MA",
    "patient_zip": "02134",
    "payer_id": "BCBS",
    "member_id": "000123456",
    "procedure_code": "99213",
    "units": 1,
    "charge": 125.5,
    "dx1": "E11.9",
}


def row(**overrides: Any) -> dict[str, Any]:
    """A good encounter row with some fields replaced (None leaves the cell empty)."""
    values = dict(GOOD_ROW)
    values.update(overrides)
    return values


class ExcelDouble(float):
    """A number cell written the way Excel writes it: all 17 significant digits of the double
    (2.3 is stored as 2.2999999999999998), where openpyxl would write 16."""


def write_sheets(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    *,
    hidden: Iterable[str] = (),
    merged: Mapping[str, Iterable[str]] | None = None,
    formats: Mapping[tuple[str, str], str] | None = None,
    text_cells: Iterable[tuple[str, str]] = (),
) -> Path:
    """Write sheets (name -> rows, in order) with openpyxl.

    `formats` sets number formats ((sheet, "A2") -> "yyyy-mm-dd"); `text_cells` forces cells
    that openpyxl would take for a formula or an error ("=x", "#N/A") to stay plain text.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(list(values))
        for line in sheet.iter_rows():
            for cell in line:
                if type(cell.value) is ExcelDouble:
                    cell._value = format(cell.value, ".17g")  # written verbatim as <v>
    for name in hidden:
        book[name].sheet_state = "hidden"
    for name, ranges in (merged or {}).items():
        for cell_range in ranges:
            book[name].merge_cells(cell_range)
    for (name, ref), number_format in (formats or {}).items():
        book[name][ref].number_format = number_format
    for name, ref in text_cells:
        cell = book[name][ref]
        cell.data_type = "s"
    book.save(path)
    return path


def encounter_rows(
    rows: Sequence[Mapping[str, Any]], header: Sequence[str] = ENCOUNTER_HEADER
) -> list[list[Any]]:
    """The header line and one line per row dict, in the header's column order."""
    return [list(header)] + [[values.get(key) for key in _keys(header)] for values in rows]


def _keys(header: Sequence[str]) -> list[str]:
    """Header text -> the GOOD_ROW key it stands for ("Date Of Service" -> date_of_service)."""
    canonical = {header_key(h): h for h in GOOD_ROW}
    return [canonical.get(header_key(h), h) for h in header]


def write_encounters(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    *,
    header: Sequence[str] = ENCOUNTER_HEADER,
    title_rows: Sequence[Sequence[Any]] = (),
    sheet: str = "Encounters",
    **options: Any,
) -> Path:
    """An encounter workbook with one sheet: optional title lines, the header, the rows."""
    lines = [list(t) for t in title_rows] + encounter_rows(rows, header)
    return write_sheets(path, {sheet: lines}, **options)


def rewrite_zip(
    source: Path,
    target: Path,
    edit: Callable[[str, bytes], bytes] = lambda name, data: data,
    extra: Mapping[str, bytes] | None = None,
) -> Path:
    """Copy an xlsx member by member, letting `edit` change any part and adding `extra` ones."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for member in src.infolist():
            out.writestr(member.filename, edit(member.filename, src.read(member.filename)))
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def patch_sheet_xml(source: Path, target: Path, replacements: Mapping[bytes, bytes]) -> Path:
    """Replace exact byte strings in the first worksheet's XML (each must occur)."""

    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        data = data.replace(b"<v/>", b"<v />").replace(b"<v></v>", b"<v />")  # as any writer spells it
        for old, new in replacements.items():
            assert old in data, f"{old!r} not in {name}"
            data = data.replace(old, new)
        return data

    return rewrite_zip(source, target, edit)


SST_CONTENT_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
SST_RELATIONSHIP = (
    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def with_shared_strings(source: Path, target: Path, cell: str, sst_xml: bytes) -> Path:
    """Make `cell` of the first sheet a shared string (index 0) served by `sst_xml`.

    openpyxl writes inline strings; Excel writes a sharedStrings.xml part, which is where an
    XML bomb would sit. The part is wired in exactly as Excel does (content type, relationship).
    """

    def edit(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", SST_CONTENT_TYPE)
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", SST_RELATIONSHIP)
        if name == "xl/worksheets/sheet1.xml":
            start = data.index(f'<c r="{cell}"'.encode())
            end = data.index(b"</c>", start) + 4
            return data[:start] + f'<c r="{cell}" t="s"><v>0</v></c>'.encode() + data[end:]
        return data

    return rewrite_zip(source, target, edit, {"xl/sharedStrings.xml": sst_xml})


def shared_strings(text: str, prolog: bytes = b"") -> bytes:
    """A sharedStrings.xml holding one string; `prolog` goes after the XML declaration."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + prolog
        + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + text.encode() + b"</t></si></sst>"
    )


BILLION_LAUGHS = (
    b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    )
    + b"]>"
)


def add_zip_bomb(source: Path, target: Path, size: int, member: str = "xl/media/pad.bin") -> Path:
    """Copy an xlsx and add a member of `size` zero bytes, streamed so memory stays small."""
    rewrite_zip(source, target)
    chunk = bytes(1024**2)
    with (
        zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(member, "w", force_zip64=True) as part,
    ):
        for start in range(0, size, len(chunk)):
            part.write(chunk[: min(len(chunk), size - start)])
    return target


def write_xls(path: Path) -> Path:
    """A genuine Excel 97-2003 .xls (BIFF8 in an OLE2 container), by xlwt."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Encounters")
    for column, name in enumerate(ENCOUNTER_HEADER):
        sheet.write(0, column, name)
    book.save(str(path))
    return path


def write_encrypted(source: Path, target: Path, password: str = "secret") -> Path:
    """A genuinely password-protected copy of an xlsx (Agile encryption, as Excel 2010+ does)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    return target


def write_ods(path: Path) -> Path:
    """A genuine OpenDocument spreadsheet, by odfpy."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Encounters")
    line = TableRow()
    for name in ENCOUNTER_HEADER:
        cell = TableCell()
        cell.addElement(P(text=name))
        line.addElement(cell)
    table.addElement(line)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def minimal_day(path: Path, rows: int, procedure_code: str = "99213", dx1: str = "I10") -> Path:
    """An Encounters sheet of `rows` lines with only the five required columns (so every line
    also lacks the patient's details): for tests about volume and output, not about the data."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Encounters"
    sheet.append(["encounter_id", "date_of_service", "patient_id", "procedure_code", "dx1"])
    for n in range(rows):
        sheet.append([f"E{n}", "2026-11-20", f"P{n}", procedure_code, dx1])
    book.save(path)
    return path
