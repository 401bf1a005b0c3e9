"""Files that are not sound workbooks: each is one BadFileError line saying what and what to do.

Offices rename exports (CSV, HTML) to .xlsx, keep old .xls files, password-protect workbooks,
send truncated attachments; attackers send bombs. None of these may reach the user as a
traceback or, worse, as a half-read workbook.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from workbook_factory import (
    BILLION_LAUGHS,
    add_zip_bomb,
    rewrite_zip,
    row,
    shared_strings,
    with_shared_strings,
    write_encounters,
    write_encrypted,
    write_ods,
    write_xls,
)

from medsheets.errors import BadFileError
from medsheets.workbook import sniff
from medsheets.workbook.codesets import read_codesets
from medsheets.workbook.encounters import read_encounter_workbook
from medsheets.workbook.table import Workbook

SAVE_AS = "Save As > Excel Workbook (.xlsx)"


def good(tmp_path: Path) -> Path:
    return write_encounters(tmp_path / "good.xlsx", [row(), row(encounter_id="E2")])


def refusal(path: Path) -> str:
    """The message of the refusal, checked to be the same through every public entry point."""
    with pytest.raises(BadFileError) as checked:
        sniff.check_xlsx(path)
    for reader in (Workbook, read_encounter_workbook, read_codesets):
        with pytest.raises(BadFileError) as read:
            reader(path)
        assert str(read.value) == str(checked.value)
    message = str(checked.value)
    assert "\n" not in message and message.startswith(f"{path.name}: ")
    assert checked.value.__cause__ is None  # `from None`: no chained traceback to print
    return message


def _csv(path: Path) -> None:
    path.write_text("encounter_id,date_of_service,patient_id\nE1,2026-03-04,P001\n")


def _html(path: Path) -> None:
    path.write_text("\ufeff<html><body><table><tr><td>E1</td></tr></table></body></html>")


def _pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_csv, "is a CSV/text file renamed .xlsx"),
        (_html, "is a web page (HTML) renamed .xlsx"),
        (_pdf, "is a PDF"),
    ],
)
def test_renamed_text_exports(tmp_path: Path, make: Callable[[Path], None], expected: str) -> None:
    path = tmp_path / "day.xlsx"
    make(path)
    message = refusal(path)
    assert expected in message and SAVE_AS in message


def test_real_legacy_xls(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "day.xlsx")
    assert path.read_bytes()[:8] == sniff.OLE2_MAGIC
    message = refusal(path)
    assert "old Excel 97-2003 workbook (.xls)" in message and SAVE_AS in message


def test_crafted_ole2_without_encryption_is_taken_for_xls(tmp_path: Path) -> None:
    path = tmp_path / "day.xlsx"
    path.write_bytes(sniff.OLE2_MAGIC + bytes(504))
    assert "(.xls)" in refusal(path)


def test_real_password_protected_workbook(tmp_path: Path) -> None:
    path = write_encrypted(good(tmp_path), tmp_path / "locked.xlsx")
    message = refusal(path)
    assert "protected with a password" in message and "remove the password" in message


def test_truncated_workbook(tmp_path: Path) -> None:
    data = good(tmp_path).read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    message = refusal(path)
    assert "damaged or incomplete" in message and "truncated" in message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.touch()
    assert "the file is empty" in refusal(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nowhere.xlsx") == "nowhere.xlsx: no such file"
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert "is a folder" in refusal(folder)


def test_real_ods_renamed(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "day.xlsx")
    message = refusal(path)
    assert "OpenDocument spreadsheet (.ods)" in message and SAVE_AS in message


def test_plain_zip_renamed(tmp_path: Path) -> None:
    path = tmp_path / "day.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "is a zip archive, not an Excel workbook" in refusal(path)


@pytest.mark.parametrize(
    ("part", "stage"),
    [
        ("xl/workbook.xml", Workbook),  # calamine cannot open it
        ("xl/worksheets/sheet1.xml", read_encounter_workbook),  # opens, the sheet cannot be read
    ],
)
def test_damaged_part_inside_a_sound_zip(
    tmp_path: Path, part: str, stage: Callable[[Path], object]
) -> None:
    path = rewrite_zip(
        good(tmp_path),
        tmp_path / "broken.xlsx",
        lambda name, data: b"<worksheet><sheetData><row" if name == part else data,
    )
    sniff.check_xlsx(path)  # the zip itself is whole
    with pytest.raises(BadFileError) as raised:
        stage(path)
    message = str(raised.value)
    assert (
        message.startswith("broken.xlsx: ") and "damaged" in message and "save it again" in message
    )
    assert "\n" not in message


# --- XML bombs ---------------------------------------------------------------------------------


def test_shared_strings_part_is_read_when_benign(tmp_path: Path) -> None:
    """The control for the bomb tests below: the same wiring with an ordinary part reads."""
    path = with_shared_strings(good(tmp_path), tmp_path / "sst.xlsx", "A2", shared_strings("E77"))
    result = read_encounter_workbook(path)
    assert result.problems == [] and result.lines[0].encounter_id == "E77"


@pytest.mark.parametrize(
    "padding",
    [
        b"",
        b"<!--" + b"x" * 5000 + b"-->\n",  # pushes the DOCTYPE past a fixed-size look-ahead
        b"<?pad " + b"y" * 5000 + b"?>",
    ],
)
def test_billion_laughs_in_shared_strings(tmp_path: Path, padding: bytes) -> None:
    bomb = shared_strings("&i;", padding + BILLION_LAUGHS)
    path = with_shared_strings(good(tmp_path), tmp_path / "bomb.xlsx", "A2", bomb)
    message = refusal(path)
    assert "xl/sharedStrings.xml declares XML entities" in message


def test_doctype_hidden_in_workbook_xml_is_refused_not_a_traceback(tmp_path: Path) -> None:
    """calamine ignores a DTD in workbook.xml; the strict parser behind the error-cell scan did
    not, and raised EntitiesForbidden. The sniffer must catch it first."""
    doctype = b"<!--" + b"z" * 3000 + b'--><!DOCTYPE workbook [<!ENTITY e "x">]>'

    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        return (
            data.replace(b"?>", b"?>" + doctype, 1) if data.startswith(b"<?xml") else doctype + data
        )

    path = rewrite_zip(good(tmp_path), tmp_path / "dtd.xlsx", edit)
    assert "xl/workbook.xml declares XML entities" in refusal(path)


def test_utf16_part_with_doctype_is_refused(tmp_path: Path) -> None:
    bomb = shared_strings("&i;", BILLION_LAUGHS).decode().replace("UTF-8", "UTF-16")
    path = with_shared_strings(
        good(tmp_path), tmp_path / "u16.xlsx", "A2", b"\xff\xfe" + bomb.encode("utf-16-le")
    )
    assert "declares XML entities" in refusal(path)


# --- zip bombs ---------------------------------------------------------------------------------


def test_zip_bomb_member_of_100_mib_zeros(tmp_path: Path) -> None:
    path = add_zip_bomb(good(tmp_path), tmp_path / "zbomb.xlsx", 100 * 1024**2)
    assert path.stat().st_size < 1024**2  # ~1000x: small on disk, huge when opened
    message = refusal(path)
    assert "xl/media/pad.bin expands" in message and "zip bomb" in message


def test_total_expansion_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many parts each under the ratio floor still add up; the limit is lowered to keep it small."""
    monkeypatch.setattr(sniff, "MAX_UNCOMPRESSED_BYTES", 2 * 1024**2)
    path = add_zip_bomb(good(tmp_path), tmp_path / "big.xlsx", 3 * 1024**2)
    assert "would expand to" in refusal(path)


def test_large_ordinary_workbook_is_not_taken_for_a_bomb(tmp_path: Path) -> None:
    rows = [row(encounter_id=f"E{i}", patient_id=f"P{i % 300:05d}") for i in range(600)]
    path = write_encounters(tmp_path / "busy.xlsx", rows)
    sniff.check_xlsx(path)
    assert len(read_encounter_workbook(path).lines) == 600


def test_error_cell_scan_refuses_a_dtd_even_past_the_sniffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: should a DTD ever get past the sniffer, the strict parser behind the
    error-cell scan still ends in a one-line BadFileError, not EntitiesForbidden."""
    doctype = b'<!DOCTYPE workbook [<!ENTITY e "x">]>'

    def edit(name: str, data: bytes) -> bytes:
        assert not data.startswith(b"<?xml") or name != "xl/workbook.xml"  # openpyxl writes none
        return doctype + data if name == "xl/workbook.xml" else data

    path = rewrite_zip(good(tmp_path), tmp_path / "dtd.xlsx", edit)
    monkeypatch.setattr(sniff, "check_xlsx", lambda path: None)
    with pytest.raises(BadFileError) as raised:
        read_encounter_workbook(path)
    assert str(raised.value).startswith("dtd.xlsx: ") and "save it again" in str(raised.value)


def test_rows_going_on_after_the_end_of_the_rows_are_damage_when_read_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`</sheetData>` before the last row: calamine refuses the sheet read whole, and so does
    reading it a piece at a time (no row after the early end read, or silently dropped)."""
    import python_calamine

    from medsheets.workbook import sheet_chunks

    rows = [row(encounter_id=f"E{n}") for n in range(12)]
    path = rewrite_zip(
        write_encounters(tmp_path / "many.xlsx", rows),
        tmp_path / "early-end.xlsx",
        lambda name, data: (data[:data.rindex(b"<row ")] + b"</sheetData>" + data[data.rindex(b"<row "):]
                            if name == "xl/worksheets/sheet1.xml" else data),
    )
    with pytest.raises(python_calamine.CalamineError):
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
            "Encounters").to_python()
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 400)  # a few rows a piece
    with pytest.raises(BadFileError) as raised:
        read_encounter_workbook(path)
    assert "damaged" in str(raised.value) and "save it again" in str(raised.value)
