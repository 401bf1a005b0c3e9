"""Large encounter workbooks: memory stays bounded, and the terminal is not flooded.

A sheet filled to Excel's last row (1,048,576) once took `check` to 7 GB and printed 9.7
million lines. Now the sheet's XML is streamed (a few megabytes at a time) to find its hidden
cells and count its filled rows, and a sheet past the reader's limit is refused at the sheet
before anything loads it whole (docs/workbooks.md). Peak memory is measured in a child
process (/proc VmHWM, as tests/test_remit_large.py does); no timing is asserted. On the
terminal, each problem code is listed at most LISTED_PER_CODE times per workbook, the rest
counted.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from clock import TODAY
from workbook_factory import minimal_day

from medsheets.cli.report import LISTED_PER_CODE
from medsheets.workbook.encounters import MAX_ROWS

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").is_file(),
                                reason="peak memory is read from /proc (Linux)")

EXCEL_ROWS = 1_048_576
HEADER = ("encounter_id", "date_of_service", "patient_id", "procedure_code", "dx1")
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Encounters" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"),
}


def _cell(column: str, row: int, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_to_the_last_row(path: Path) -> Path:
    """An Encounters sheet filled to Excel's last row, each line an encounter id and nothing
    else (every line would fail several required cells): written as XML directly (openpyxl
    would take minutes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b"<sheetData>")
            header = "".join(_cell(chr(65 + i), 1, name) for i, name in enumerate(HEADER))
            sheet.write(f'<row r="1">{header}</row>'.encode())
            template = '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>E{0}</t></is></c></row>'
            for start in range(2, EXCEL_ROWS + 1, 50_000):
                stop = min(start + 50_000, EXCEL_ROWS + 1)
                sheet.write("".join(template.format(r) for r in range(start, stop)).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


CHILD = """
import sys
from pathlib import Path

def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024

import medsheets.cli, medsheets.cli.check, medsheets.check  # imported before the baseline
before = status("VmRSS:")
try:
    medsheets.cli.cli(sys.argv[1:], prog_name="medsheets")
finally:
    print("peak-growth", status("VmHWM:") - before, file=sys.stderr)
"""


def _check(practice_dir: Path, day: Path) -> tuple[int, str, int]:
    """`medsheets check` of `day` in a child: exit code, output, peak memory growth (bytes)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "check", "--practice", str(practice_dir),
         "--as-of", TODAY.isoformat(), str(day)],
        capture_output=True, text=True, check=False)
    growth = int(done.stderr.rsplit("peak-growth", 1)[1].split()[0])
    return done.returncode, done.stdout, growth


def test_a_sheet_filled_to_excels_last_row_is_refused_in_bounded_memory(
    practice_dir: Path, tmp_path: Path
) -> None:
    day = sheet_to_the_last_row(tmp_path / "huge.xlsx")
    code, output, growth = _check(practice_dir, day)
    assert code == 1, output
    refusal = [line for line in output.splitlines() if "MS-SHEET-TOO-LARGE" in line]
    assert len(refusal) == 1, output
    assert refusal[0].startswith("huge.xlsx:Encounters: ")
    assert f"{EXCEL_ROWS:,} filled rows" in refusal[0] and f"at most {MAX_ROWS:,}" in refusal[0]
    assert "split it" in refusal[0]
    assert len(output.splitlines()) < 20
    # The sheet's XML is ~75 MB; such a sheet once cost 7 GB. Streamed: a few MB.
    assert growth < 64 * 1024**2, growth


def test_a_sheet_of_many_faulty_lines_lists_each_code_a_bounded_number_of_times(
    practice_dir: Path, tmp_path: Path, invoke
) -> None:
    day = minimal_day(tmp_path / "day.xlsx", 2 * LISTED_PER_CODE + 10, procedure_code="99999")
    result = invoke("check", "--practice", practice_dir, day)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    unknown = [line for line in lines if ": MS-PROC-UNKNOWN " in line]
    assert len(unknown) == LISTED_PER_CODE
    assert (f"... and {LISTED_PER_CODE + 10:,} more MS-PROC-UNKNOWN not listed here "
            f"(the first {LISTED_PER_CODE} of each code are); medsheets check --json or "
            "--annotate lists every one") in lines
    assert f"{2 * LISTED_PER_CODE + 10} claims checked: 0 clean" in lines[-1]
    listed = invoke("check", "--json", "--practice", practice_dir, day)
    assert listed.stdout.count('"MS-PROC-UNKNOWN"') == 2 * LISTED_PER_CODE + 10


def test_a_day_under_the_limit_lists_every_problem(practice_dir: Path, tmp_path: Path,
                                                   invoke) -> None:
    day = minimal_day(tmp_path / "day.xlsx", LISTED_PER_CODE, procedure_code="99999")
    result = invoke("check", "--practice", practice_dir, day)
    assert result.exit_code == 1
    assert sum(": MS-PROC-UNKNOWN " in line for line in result.output.splitlines()) == LISTED_PER_CODE
    assert "more MS-PROC-UNKNOWN" not in result.output


def written_sheet(path: Path, lines: int, *, dimension: str | None,
                  formatted_rows: int = 0) -> Path:
    """An Encounters sheet of `lines` lines (a header and, each, its five required cells)
    then `formatted_rows` rows holding only an empty cell, with the `<dimension>` given."""
    rows = ["".join(_cell(chr(65 + i), 1, name) for i, name in enumerate(HEADER))]
    rows += ["".join(_cell(chr(65 + i), r, text) for i, text in
                     enumerate((f"E{r}", "2026-11-20", f"P{r}", "99213", "I10")))
             for r in range(2, lines + 2)]
    rows += [f'<c r="B{r}"/>' for r in range(lines + 2, lines + 2 + formatted_rows)]
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{declared}<sheetData>"
            + "".join(f'<row r="{r}">{cells}</row>' for r, cells in enumerate(rows, start=1))
            + "</sheetData></worksheet>"))
    return path


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """A row limit of 40 and pieces of XML of a few rows, so a sheet outgrows it mid-read."""
    from medsheets.workbook import encounters, sheet_chunks

    monkeypatch.setattr(encounters, "MAX_ROWS", 40)
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 600)
    return 40


def test_a_sheet_whose_dimension_promises_fewer_rows_is_refused_once_it_outgrows_the_limit(
    tmp_path: Path, small_limit: int
) -> None:
    from medsheets.workbook.encounters import read_encounter_workbook

    # `A1` is what some writers declare whatever they hold: the sheet is read in one pass,
    # counted as it goes, and refused once it is found to hold 61 filled rows
    day = read_encounter_workbook(written_sheet(tmp_path / "day.xlsx", 60, dimension="A1"))
    assert day.lines == []
    assert [(p.code, p.source.sheet, p.source.row) for p in day.problems] == [
        ("MS-SHEET-TOO-LARGE", "Encounters", None)]
    assert "61 filled rows" in day.problems[0].message
    assert f"at most {small_limit}" in day.problems[0].message


def test_rows_of_formatting_alone_do_not_count_towards_the_limit(
    tmp_path: Path, small_limit: int
) -> None:
    from medsheets.workbook.encounters import read_encounter_workbook

    for dimension in ("A1", "A1:E61", None):  # counted as read; beforehand (declared, absent)
        path = written_sheet(tmp_path / "day.xlsx", 30, dimension=dimension, formatted_rows=30)
        day = read_encounter_workbook(path)
        assert [line.encounter_id for line in day.lines] == [f"E{r}" for r in range(2, 32)]
        assert "MS-SHEET-TOO-LARGE" not in {p.code for p in day.problems}


def test_a_sheet_declares_its_rows_in_its_dimension(tmp_path: Path) -> None:
    from medsheets.workbook import xmlscan

    path = minimal_day(tmp_path / "day.xlsx", 25)  # openpyxl writes the dimension, as Excel does
    part = xmlscan.sheet_part(path, "Encounters")
    assert part is not None
    assert xmlscan.declared_rows(path, part) == 26
    assert xmlscan.declared_rows(written_sheet(tmp_path / "none.xlsx", 3, dimension=None),
                                 "xl/worksheets/sheet1.xml") is None
