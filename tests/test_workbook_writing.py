"""Text typed by people stays text in every workbook medsheets writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import python_calamine

from medsheets.workbook.writing import append_row

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "=1+1"]


def test_formula_looking_text_is_written_as_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert append_row(sheet, ["name", "amount"]) == 1
    assert append_row(sheet, [HOSTILE[0], 12]) == 2
    for value in HOSTILE[1:]:
        append_row(sheet, [value, 1])
    path = tmp_path / "out.xlsx"
    book.save(path)
    reread = openpyxl.load_workbook(path)["Sheet"]
    names = [row[0] for row in reread.iter_rows(min_row=2, values_only=True)]
    assert names == HOSTILE
    assert all(reread.cell(r, 1).data_type == "s" for r in range(2, 2 + len(HOSTILE)))
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows[1:]] == HOSTILE


def test_write_only_rows_keep_text_as_text_and_style_only_what_is_asked(tmp_path: Path) -> None:
    from decimal import Decimal

    from medsheets.workbook.writing import write_only_row

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("S")
    for value in HOSTILE:
        write_only_row(sheet, [value, Decimal("1234.50")], formats={1: "#,##0.00"})
    path = tmp_path / "stream.xlsx"
    book.save(path)
    reread = openpyxl.load_workbook(path)["S"]
    assert [reread.cell(r, 1).value for r in range(1, 6)] == HOSTILE
    assert all(reread.cell(r, 1).data_type == "s" for r in range(1, 6))
    assert reread.cell(1, 2).value == 1234.5 and reread.cell(1, 2).number_format == "#,##0.00"
