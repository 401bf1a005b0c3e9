"""`medsheets check`: exit codes, the exact problem lines, JSON, and the annotated copy."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from encounter_cells import edit_cells


def workbooks(practice: Path) -> list[Path]:
    return sorted((practice / "encounters").glob("*.xlsx"))


def seed(source: Path, target: Path, changes: dict[tuple[int, str], object]) -> Path:
    """A copy of an encounter workbook with some cells replaced."""
    return edit_cells(source, changes, target)


def test_clean_example_exits_zero_with_a_summary(practice_dir: Path, invoke) -> None:
    result = invoke("check", "--practice", practice_dir, *workbooks(practice_dir))
    assert result.exit_code == 0, result.output
    assert "0 held; 0 errors, 0 warnings" in result.output
    # The example is dated in fiscal year 2027, past the ICD-10-CM release shipped: the check
    # says once which CMS file to add.
    assert result.output.count("in ICD-10-CM fiscal year 2027") == 1


def test_seeded_errors_are_reported_at_their_cells_and_exit_one(
    practice_dir: Path, tmp_path: Path, invoke
) -> None:
    bad = seed(workbooks(practice_dir)[0], tmp_path / "2026-11-27.xlsx",
               {(1, "dx1"): "E11", (2, "procedure_code"): "99999"})
    result = invoke("check", "--practice", practice_dir, bad)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    dx_line = next(line for line in lines if "MS-DX-HEADER" in line)
    assert dx_line.startswith("2026-11-27.xlsx:Encounters!")
    assert dx_line.endswith("MS-DX-HEADER E11 is a category, not a billable code; use e.g. E11.9, E11.40")
    assert any(line.startswith("2026-11-27.xlsx:Encounters!") and "MS-PROC-UNKNOWN 99999" in line
               for line in lines)
    assert "2 errors" in lines[-1]


def test_json_lists_every_problem_with_its_place(practice_dir: Path, tmp_path: Path, invoke) -> None:
    bad = seed(workbooks(practice_dir)[0], tmp_path / "day.xlsx", {(1, "dx1"): "E11"})
    result = invoke("check", "--practice", practice_dir, "--json", bad)
    assert result.exit_code == 1
    [problem] = json.loads(result.output)
    assert {k: problem[k] for k in ("file", "sheet", "code", "severity", "field")} == {
        "file": "day.xlsx", "sheet": "Encounters", "code": "MS-DX-HEADER", "severity": "error",
        "field": "dx1"}
    assert problem["cell"] == f"{problem['column']}{problem['row']}"


def test_annotate_marks_cells_in_a_copy_and_leaves_the_input_alone(
    practice_dir: Path, tmp_path: Path, invoke
) -> None:
    bad = seed(workbooks(practice_dir)[0], tmp_path / "day.xlsx", {(1, "dx1"): "E11"})
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    out = tmp_path / "annotated.xlsx"
    result = invoke("check", "--practice", practice_dir, "--annotate", out, bad)
    assert result.exit_code == 1
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before
    problem = json.loads(invoke("check", "--practice", practice_dir, "--json", bad).output)[0]
    book = openpyxl.load_workbook(out)
    cell = book["Encounters"][problem["cell"]]
    assert "MS-DX-HEADER" in cell.comment.text
    assert cell.fill.start_color.rgb.endswith("F4C7C3")
    rows = list(book["Problems"].iter_rows(values_only=True))
    assert rows[1][2] == problem["cell"] and rows[1][4] == "MS-DX-HEADER"
    assert out.stat().st_mode & 0o077 == 0


def test_annotate_refuses_to_overwrite_the_input(practice_dir: Path, invoke) -> None:
    wb = workbooks(practice_dir)[0]
    result = invoke("check", "--practice", practice_dir, "--annotate", wb, wb)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"medsheets: error: {wb.name}: --annotate must name a new file, not the input workbook")


@pytest.mark.parametrize("content, what", [
    (b"encounter_id,date_of_service\nE1,2026-11-02\n", "is a CSV/text file renamed .xlsx"),
    (b"<html><body><table></table></body></html>", "is a web page (HTML) renamed .xlsx"),
])
def test_a_renamed_file_is_one_line_and_exit_two(
    practice_dir: Path, tmp_path: Path, invoke, content: bytes, what: str
) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    result = invoke("check", "--practice", practice_dir, path)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"medsheets: error: export.xlsx: {what}")
    assert "Save As" in result.stderr


def test_missing_workbook_and_missing_practice_exit_two(practice_dir: Path, tmp_path: Path, invoke) -> None:
    result = invoke("check", "--practice", practice_dir, tmp_path / "nope.xlsx")
    assert (result.exit_code, result.stderr) == (2, "medsheets: error: nope.xlsx: no such file\n")
    result = invoke("check", "--practice", tmp_path, workbooks(practice_dir)[0])
    assert result.exit_code == 2
    assert "not a practice folder" in result.stderr


def test_unknown_config_key_names_the_key(practice_dir: Path, invoke) -> None:
    config = practice_dir / "medsheets.toml"
    config.write_text(config.read_text().replace("[practice]", "[practice]\nnpii = \"1\"", 1))
    result = invoke("check", "--practice", practice_dir, workbooks(practice_dir)[0])
    assert result.exit_code == 2
    assert "unknown key 'npii' in [practice]" in result.stderr
