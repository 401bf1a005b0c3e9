"""The report writer writes rows as text (workbook/sheet_rows.py): every report of the example
day reads back, cell for cell, as the same report written by openpyxl's own cell writer; each
kind of value is written as openpyxl writes it; LibreOffice opens the result."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest

from medsheets.workbook import sheet_rows
from medsheets.workbook.report_book import Column, ReportBook
from medsheets.workbook.sheet_rows import SheetRows

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
VALUES: list[Any] = [
    "plain", "  leading and trailing ", "a\rcarriage & <tag> > return", "bell\x07 tab\t",
    "=HYPERLINK(\"http://x.example\")", "=", "", "x" * 40_000, "Café — 0–30",
    0, -7, 10**15, 10**17, True, False, 1.25, 0.1 + 0.2, float("nan"),
    Decimal("105.00"), Decimal("-0.00"), Decimal("105.50"), Decimal("1E+2"), Decimal("0.00001"),
    Decimal("12345678901234567.89"), Decimal("0.1234567890123456789"),
    dt.date(2026, 11, 27), dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.datetime(2026, 12, 1, 10, 30),
]


def element(xml: str) -> tuple[Any, ...]:
    """A cell's XML as a comparable tree: how characters are escaped left aside, a number as a
    spreadsheet reads it (9.8 and openpyxl's 9.800000000000001 are the same double)."""
    def walk(node: ElementTree.Element, numeric: bool) -> tuple[Any, ...]:
        text: Any = node.text or ""
        if numeric and node.tag == "v" and text:
            text = float(text) if any(mark in text for mark in ".Ee") else int(text)
        return (node.tag, sorted(node.attrib.items()), text, [walk(c, numeric) for c in node])
    root = ElementTree.fromstring(xml)
    return walk(root, root.get("t", "n") == "n")


def test_each_kind_of_value_is_written_as_openpyxl_writes_it() -> None:
    book = ReportBook(["S"])
    rows = book.sheet("S").out
    rows.letters(3)
    styles = [None, book.style("money"), book.style("iso-date"), book.style("text", "bold"),
              book.style("percent", "note")]
    compared = 0
    for value in VALUES:
        for style in styles:
            if isinstance(value, str) and ("\x07" in value or len(value) > 32_767):
                continue  # openpyxl refuses these; the writer drops or cuts them (below)
            fast = rows.cell("C9", value, style)
            reference = rows.by_openpyxl("C9", value, style, text=isinstance(value, str))
            assert element(fast) == element(reference), (value, style)
            compared += 1
    assert compared == 5 * (len(VALUES) - 2)
    assert element(rows.text("A1", "bell\x07 tab\t")) == element(rows.by_openpyxl("A1", "bell tab\t"))
    assert "<f>" in rows.by_openpyxl("A1", "=1+1") and "<f>" not in rows.cell("A1", "=1+1")
    assert len(rows.text("A1", "x" * 40_000)) < 32_900
    book.abandon()


def test_a_column_writes_a_repeated_value_as_the_cell_writer_writes_it_each_time() -> None:
    """The column writer remembers what follows a cell's reference per value: written again,
    in other rows, each value still comes out as `cell` (and `text`) write it, 0 and -0.00,
    1 and True, a text and the same text with spaces kept apart."""
    book = ReportBook(["S"])
    rows = book.sheet("S").out
    money, bold = book.style("money"), book.style("text", "bold")
    write = rows.column(money, bold)
    values = [v for v in VALUES if not (isinstance(v, str) and "\x07" in v)]
    values += [Decimal("0"), Decimal("-0"), Decimal("0.0"), 1, 0, "plain ", " plain"]
    for number in (2, 3, 17):
        for value in values:
            made = write(f"D{number}", value)
            expected = (rows.text(f"D{number}", value, bold) if isinstance(value, str)
                        else rows.cell(f"D{number}", value, money))
            assert made == expected, (value, number)
    dated = rows.column(book.style("iso-date"), None)
    assert dated("B4", dt.date(2026, 11, 27)) == rows.cell("B4", dt.date(2026, 11, 27),
                                                          book.style("iso-date"))
    assert "<f>" not in write("A1", "=1+1")
    book.abandon()


def test_text_that_looks_like_a_formula_is_text_unless_it_is_medsheets_own_formula() -> None:
    rows = ReportBook(["S"]).sheet("S").out
    typed = "=SUM(A1:A3)"
    assert 't="inlineStr"' in rows.cell("A1", typed) and "<f>" not in rows.cell("A1", typed)
    assert "<f>SUM(A1:A3)</f>" in rows.cell("A1", typed, formula=True)
    assert element(rows.cell("A1", typed, formula=True)) == element(rows.by_openpyxl("A1", typed))


def test_an_amount_is_written_from_its_decimal_digits_never_through_float(tmp_path: Path) -> None:
    big = Decimal("12345678901234.57")  # 16 digits: exact in the cell, not in a float's %.16g
    book = ReportBook(["S"])
    book.sheet("S").table([Column("amount", "amount")], [(big,)])
    path = book.save(tmp_path / "big.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>12345678901234.57</v>" in xml
    assert sheet_rows.number_text(Decimal("105.10")) == "105.1"
    assert sheet_rows.number_text(Decimal("1E+2")) == "100"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_report_abandoned_after_a_failure_leaves_nothing(tmp_path: Path) -> None:
    def failing() -> Iterator[tuple[str]]:
        yield ("one",)
        raise OSError("disk full")

    book = ReportBook(["S"])
    with pytest.raises(OSError):
        book.sheet("S").table([Column("a")], failing())
    book.abandon()
    assert book.sheet("S").out._file.closed
    assert not list(tmp_path.iterdir())


# The example day, written twice: each cell also through openpyxl's own writer, into a twin.

class Twin:
    """Patches SheetRows so that every sheet also keeps its rows as openpyxl writes each cell,
    and ReportBook.save so that a report is saved a second time with those rows."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pairs: list[tuple[Path, Path]] = []
        fast_cell, fast_text, fast_write = SheetRows.cell, SheetRows.text, SheetRows.write
        fast_column = SheetRows.column
        fast_close, fast_save = SheetRows.close_into_sheet, ReportBook.save
        twin = self

        def record(rows: SheetRows, ref: str, value: Any, style: Any, as_text: bool) -> None:
            shown = sheet_rows.clean_text(value) if as_text else value
            rows.__dict__.setdefault("twin_cells", []).append(
                rows.by_openpyxl(ref, shown, style, text=as_text))

        def cell(rows: SheetRows, ref: str, value: Any, style: Any = None, formula: bool = False) -> str:
            made_formula = formula and isinstance(value, str) and len(value) > 1 and value[0] == "="
            if value is not None and (made_formula or not isinstance(value, str)):
                record(rows, ref, value, style, False)  # text goes through text(), below
            return str(fast_cell(rows, ref, value, style, formula))

        def text(rows: SheetRows, ref: str, value: str, style: Any = None) -> str:
            record(rows, ref, value, style, True)
            return str(fast_text(rows, ref, value, style))

        def column(rows: SheetRows, style: Any, text_style: Any) -> Any:
            fast = fast_column(rows, style, text_style)

            def write(ref: str, value: Any) -> str:
                as_text = isinstance(value, str)
                record(rows, ref, value, text_style if as_text else style, as_text)
                return str(fast(ref, value))

            return write

        def write(rows: SheetRows, number: int, cells: str, attributes: str = "") -> None:
            made = "".join(rows.__dict__.pop("twin_cells", []))
            rows.__dict__.setdefault("twin_rows", []).append(f'<row r="{number}"{attributes}>{made}</row>')
            fast_write(rows, number, cells, attributes)

        def close(rows: SheetRows) -> None:
            fast_close(rows)
            frame = Path(rows.ws._writer.out).read_bytes()
            head, _, rest = frame.partition(b"<sheetData>")
            tail = rest.rpartition(b"</sheetData>")[2]
            made = "".join(rows.__dict__.get("twin_rows", [])).encode()
            number = rows.ws.parent.worksheets.index(rows.ws) + 1  # as openpyxl names the part
            rows.ws.parent.__dict__.setdefault("twin", {})[f"xl/worksheets/sheet{number}.xml"] = (
                head + b"<sheetData>" + made + b"</sheetData>" + tail)

        def save(book: ReportBook, target: Path, **named: Any) -> Path:
            saved = fast_save(book, target, **named)
            reference = target.with_name(f"{target.stem}.reference.xlsx")
            sheets = book.book.__dict__.get("twin", {})
            with zipfile.ZipFile(saved) as source, zipfile.ZipFile(reference, "w") as copy:
                assert set(sheets) <= set(source.namelist()) and len(sheets) == len(book.book.worksheets)
                for member in source.namelist():
                    copy.writestr(member, sheets.get(member, source.read(member)))
            twin.pairs.append((saved, reference))
            return saved

        for owner, name, patched in ((SheetRows, "cell", cell), (SheetRows, "text", text),
                                     (SheetRows, "column", column),
                                     (SheetRows, "write", write), (SheetRows, "close_into_sheet", close),
                                     (ReportBook, "save", save)):
            monkeypatch.setattr(owner, name, patched)


def looks(path: Path) -> dict[str, Any]:
    """Everything a person sees of a workbook, as openpyxl reads it."""
    book = openpyxl.load_workbook(path)
    seen: dict[str, Any] = {"sheets": book.sheetnames,
                            "names": sorted((n, str(v.attr_text)) for n, v in book.defined_names.items())}
    for ws in book.worksheets:
        cells = {c.coordinate: (c.value, type(c.value).__name__, c.data_type, c.number_format,
                                c.font.b, c.font.i, c.font.sz, c.fill.fill_type, c.alignment.horizontal,
                                c.alignment.wrap_text, c.border.top.style if c.border.top else None)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}
        seen[ws.title] = (cells, {k: v.width for k, v in ws.column_dimensions.items()},
                          {k: v.height for k, v in ws.row_dimensions.items() if v.height},
                          ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows,
                          ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.oddFooter.center.text,
                          len(ws._charts), ws.max_row, ws.max_column)
    return seen


def test_the_example_days_reports_read_back_as_openpyxl_would_have_written_them(
        practice_dir: Path, invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    twin = Twin(monkeypatch)
    done = invoke("run", practice_dir)
    assert done.exit_code == 0, done.output
    written = {path.parent.name for path, _ in twin.pairs}
    assert {"aging", "claims", "reports"} <= written  # aging, claims summary, remit, follow-up
    names = " ".join(path.name for path, _ in twin.pairs)
    assert "remit-" in names and "followup-" in names
    cells = 0
    for fast, reference in twin.pairs:
        seen = looks(fast)
        assert seen == looks(reference), fast.name
        cells += sum(len(value[0]) for value in seen.values() if isinstance(value, tuple))
    assert cells > 3_000


def test_the_comparison_sees_a_cell_written_otherwise(tmp_path: Path) -> None:
    book = ReportBook(["S"])
    book.sheet("S").table([Column("amount", "amount")], [(Decimal("1.50"),)])
    right = looks(book.save(tmp_path / "right.xlsx"))
    book = ReportBook(["S"])
    book.sheet("S").table([Column("amount", "text")], [(Decimal("1.50"),)])
    assert looks(book.save(tmp_path / "wrong.xlsx")) != right  # the number format differs


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install "
                    "libreoffice-calc); the report was not opened by another spreadsheet")
def test_libreoffice_opens_a_report_and_shows_what_was_written(tmp_path: Path) -> None:
    book = ReportBook(["Payments"])
    book.sheet("Payments").table(
        [Column("text"), Column("amount", "amount"), Column("day", "iso-date"), Column("n", "int")],
        [('=HYPERLINK("http://x.example")', Decimal("-1234.50"), dt.date(2026, 11, 27), 3),
         (" spaced & <b> ", Decimal("0.00"), None, None)])
    source = book.save(tmp_path / "report.xlsx")
    done = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "csv", "--outdir", str(tmp_path / "csv"), str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    shown = (tmp_path / "csv" / "report.csv").read_text().splitlines()
    # LibreOffice's CSV shows numbers unformatted (an openpyxl workbook's too), dates formatted.
    assert shown == ["text,amount,day,n", '"=HYPERLINK(""http://x.example"")",-1234.5,2026-11-27,3',
                     " spaced & <b> ,0,,"]
