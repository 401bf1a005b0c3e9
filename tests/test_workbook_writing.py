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


def test_report_writer_keeps_text_as_text_and_styles_only_its_typed_columns(tmp_path: Path) -> None:
    from decimal import Decimal

    from medsheets.workbook.report_book import Column, ReportBook

    book = ReportBook(["S"])
    columns = (Column("name"), Column("amount", "amount"), Column("count", "int"))
    assert book.sheet("S").table(columns, ([value, Decimal("1234.50"), 3] for value in HOSTILE)) == 5
    path = book.save(tmp_path / "stream.xlsx")
    reread = openpyxl.load_workbook(path)["S"]
    assert [reread.cell(r, 1).value for r in range(2, 7)] == HOSTILE
    assert all(reread.cell(r, 1).data_type == "s" for r in range(2, 7))
    assert reread.cell(2, 2).value == 1234.5 and reread.cell(2, 2).number_format == "#,##0.00"
    assert reread.cell(2, 3).number_format == "General" and reread.cell(1, 1).font.b
    assert reread.freeze_panes == "A2" and reread.auto_filter.ref == "A1:C6"


def test_an_empty_report_table_has_no_filter_unless_asked(tmp_path: Path) -> None:
    from medsheets.workbook.report_book import Column, ReportBook

    book = ReportBook(["Empty", "Filtered"])
    assert book.sheet("Empty").table([Column("a"), Column("b")], []) == 0
    book.sheet("Filtered").table([Column("a"), Column("b")], [], filter_when_empty=True)
    path = book.save(tmp_path / "empty.xlsx")
    reread = openpyxl.load_workbook(path)
    assert reread["Empty"].auto_filter.ref is None
    assert reread["Filtered"].auto_filter.ref == "A1:B1"
