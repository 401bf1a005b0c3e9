"""Reading a sheet in pieces gives exactly what calamine gives reading it whole.

`medsheets.workbook.sheet_chunks` hands calamine the sheet's rows a piece at a time; here the
pieces are made tiny (a few hundred bytes of XML, so a row or two each) and every row compared
with calamine's own `to_python(skip_empty_area=False)` of the whole sheet: title rows, a header
that starts in column B, blank rows between pieces, shared strings, numbers, dates, booleans,
merged cells.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine

from medsheets.workbook import sheet_chunks, xmlscan


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without trailing blank cells, and without trailing blank rows (calamine pads a
    row to the sheet's width; a piece pads it to the piece's)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def _busy_sheet(path: Path) -> Path:
    book = openpyxl.Workbook()  # the normal mode writes shared strings, as Excel does
    sheet = book.active
    sheet.title = "Encounters"
    sheet["B1"] = "Clinic day export"
    sheet.append([])
    sheet.append([None, "encounter_id", "date_of_service", "units", "charge", "paid"])
    for n in range(60):
        if n % 7 == 3:
            sheet.append([])  # a blank row, perhaps at a piece's edge
            continue
        sheet.append([None, f"E{n % 9}", dt.date(2026, 11, 1 + n % 28), n % 4, 10.5 * n,
                      n % 2 == 0])
    sheet.merge_cells("C20:D20")
    book.create_sheet("Patients").append(["patient_id", "E1"])
    book.save(path)
    return path


def test_a_sheet_read_in_tiny_pieces_equals_calamine_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _busy_sheet(tmp_path / "busy.xlsx")
    whole = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Encounters")
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 300)
    scan = xmlscan.scan_sheet(path, "Encounters")
    assert scan.part is not None
    pieces = list(sheet_chunks.rows_from_a1(path, "Encounters", scan.part))
    assert _trimmed(pieces) == _trimmed(whole.to_python(skip_empty_area=False))
    assert list(scan.merged) == list(whole.merged_cell_ranges)
    assert len(pieces) >= 60  # read, not skipped


def test_a_sheet_without_rows_reads_as_none(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Encounters"
    path = tmp_path / "empty.xlsx"
    book.save(path)
    scan = xmlscan.scan_sheet(path, "Encounters")
    assert scan.part is not None
    assert list(sheet_chunks.rows_from_a1(path, "Encounters", scan.part)) == []
