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
    found = xmlscan.Findings()
    pieces = list(sheet_chunks.rows_from_a1(path, "Encounters", scan.part, found))
    assert _trimmed(pieces) == _trimmed(whole.to_python(skip_empty_area=False))
    assert list(scan.merged) == list(whole.merged_cell_ranges)
    assert len(pieces) >= 60  # read, not skipped
    # the merged range, written after the rows, found in the last piece (the pieces of rows
    # alone are not searched for it)
    assert found.merged == list(whole.merged_cell_ranges) == [((19, 2), (19, 3))]


def test_a_sheet_without_rows_reads_as_none(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Encounters"
    path = tmp_path / "empty.xlsx"
    book.save(path)
    scan = xmlscan.scan_sheet(path, "Encounters")
    assert scan.part is not None
    assert list(sheet_chunks.rows_from_a1(path, "Encounters", scan.part)) == []


def _with_hidden_cells(path: Path) -> Path:
    """The busy sheet plus an error cell and a formula saved without its value (openpyxl
    writes formulas uncomputed), which the reader finds in the sheet's XML."""
    _busy_sheet(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Encounters"]
    sheet["E10"] = "#N/A"
    sheet["E10"].data_type = "e"
    sheet["F12"] = "=SUM(E4:E9)"
    book.save(path)
    return path


def test_a_small_sheet_read_from_the_open_workbook_equals_its_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet of one piece is read from the workbook calamine already has open (no workbook
    of its own is built for the piece): the same rows, hidden cells and merged ranges."""
    path = _with_hidden_cells(tmp_path / "busy.xlsx")
    part = xmlscan.sheet_part(path, "Encounters")
    assert part is not None
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    built = xmlscan.Findings()
    from_pieces = list(sheet_chunks.rows_from_a1(path, "Encounters", part, built))

    def no_piece_workbook(*args: Any) -> Any:
        raise AssertionError("a one-piece sheet should be read from the open workbook")

    monkeypatch.setattr(sheet_chunks, "_one_piece", no_piece_workbook)
    found = xmlscan.Findings()
    from_book = list(sheet_chunks.rows_from_a1(path, "Encounters", part, found, book=book))
    assert from_book == from_pieces
    assert len(from_book) >= 60
    assert found == built
    assert set(found.hidden) == {(10, "E"), (12, "F")} and found.merged == [((19, 2), (19, 3))]


def test_a_sheet_of_several_pieces_is_read_in_pieces_though_the_workbook_is_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _busy_sheet(tmp_path / "busy.xlsx")
    part = xmlscan.sheet_part(path, "Encounters")
    assert part is not None
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    whole = list(sheet_chunks.rows_from_a1(path, "Encounters", part, book=book))
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 300)
    built: list[Any] = []
    real = sheet_chunks._one_piece
    monkeypatch.setattr(sheet_chunks, "_one_piece", lambda *args: built.append(1) or real(*args))
    pieces = list(sheet_chunks.rows_from_a1(path, "Encounters", part, book=book))
    assert len(built) > 5  # read a piece at a time, each a workbook of its own
    assert _trimmed(pieces) == _trimmed(whole)


def test_each_sheets_part_is_found_once_for_the_workbook(tmp_path: Path) -> None:
    path = _busy_sheet(tmp_path / "busy.xlsx")
    parts = xmlscan.sheet_parts(path)
    assert parts == {"Encounters": "xl/worksheets/sheet1.xml",
                     "Patients": "xl/worksheets/sheet2.xml"}
    assert xmlscan.sheet_part(path, "Patients") == "xl/worksheets/sheet2.xml"
    assert xmlscan.sheet_part(path, "Visits") is None
