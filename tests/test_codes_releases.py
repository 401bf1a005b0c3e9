"""ICD-10-CM by date of service: CMS order files for newer fiscal years, and the missing-release warning."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from edits_factory import assert_problem, codesets, line, problems

from medsheets.check import check_workbook
from medsheets.codes.orderfile import fiscal_year_of_file, parse_order_file
from medsheets.codes.releases import Releases, fiscal_year
from medsheets.errors import ConfigError
from medsheets.practice import open_practice

FY2027_DAY, FY2026_DAY = dt.date(2026, 11, 20), dt.date(2026, 9, 30)
# (code, billable, description): E11.9 kept, I10 deleted, a code new in FY2027, E11 a header.
ROWS = [
    ("E11", False, "Type 2 diabetes mellitus"),
    ("E119", True, "Type 2 diabetes mellitus without complications"),
    ("E1165", True, "Type 2 diabetes mellitus with hyperglycemia"),
    ("M1711", True, "Unilateral primary osteoarthritis, right knee"),
    ("U0990", True, "Post COVID-19 condition, unspecified (a new code in this test's year)"),
]


def order_line(number: int, code: str, billable: bool, description: str) -> str:
    """One line as CMS writes it: order number, code, 0/1, short (60) and long description."""
    return f"{number:05d} {code:<7} {int(billable)} {description[:60]:<60} {description}"


def write_order_file(folder: Path, rows: list[tuple[str, bool, str]] = ROWS,
                     name: str = "icd10cm_order_2027.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(order_line(i, *row) for i, row in enumerate(rows, start=1)) + "\n")
    return path


@pytest.fixture
def fy2027(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Releases:
    monkeypatch.setenv("MEDSHEETS_CACHE_DIR", str(tmp_path / "cache"))
    return Releases(((2027, write_order_file(tmp_path / "codes")),))


def scrubbed(fy2027: Releases, **changes):  # type: ignore[no-untyped-def]
    from edits_factory import TODAY

    from medsheets.codes.scrub import scrub

    return list(scrub([line(**changes)], codesets(), as_of=TODAY, default_place_of_service="11",
                      releases=fy2027).problems)


def test_the_fixed_columns_of_a_cms_order_file(tmp_path: Path) -> None:
    text = write_order_file(tmp_path).read_text()
    assert parse_order_file(text, "x")[:2] == [
        ("E11", False, "Type 2 diabetes mellitus"),
        ("E119", True, "Type 2 diabetes mellitus without complications")]
    assert fiscal_year_of_file(Path("icd10cm_order_2027.txt")) == 2027


def test_a_line_out_of_cms_format_is_refused_with_its_number() -> None:
    with pytest.raises(ConfigError, match="line 2: not a CMS order-file line"):
        parse_order_file(order_line(1, "E119", True, "x") + "\nE11.9 billable\n", "x")


def test_a_file_name_without_its_year_is_refused() -> None:
    with pytest.raises(ConfigError, match="icd10cm_order_2027.txt"):
        fiscal_year_of_file(Path("codes.txt"))


def test_fiscal_years_start_on_october_first() -> None:
    assert fiscal_year(dt.date(2026, 9, 30)) == 2026 and fiscal_year(dt.date(2026, 10, 1)) == 2027


def test_a_code_new_in_the_order_file_counts_from_its_october_first(fy2027: Releases) -> None:
    assert scrubbed(fy2027, diagnoses=("U0990",), date_of_service=FY2027_DAY) == []
    found = scrubbed(fy2027, diagnoses=("U0990",), date_of_service=FY2026_DAY)
    assert [p.code for p in found] == ["MS-DX-UNKNOWN"]


def test_a_code_deleted_in_the_order_file_is_refused_from_its_october_first(
        fy2027: Releases) -> None:
    found = scrubbed(fy2027, diagnoses=("I10",), date_of_service=FY2027_DAY)
    problem = assert_problem(found, "MS-DX-UNKNOWN", "dx1")
    assert "I10 is not in the ICD-10-CM code set (FY2027)" in problem.message
    assert scrubbed(fy2027, diagnoses=("I10",), date_of_service=FY2026_DAY) == []


def test_a_header_in_the_order_file_suggests_its_billable_codes(fy2027: Releases) -> None:
    problem = assert_problem(scrubbed(fy2027, diagnoses=("E11",), date_of_service=FY2027_DAY),
                             "MS-DX-HEADER", "dx1")
    assert problem.message.endswith("use e.g. E11.9, E11.65")


def test_without_an_order_file_every_date_uses_the_shipped_release() -> None:
    assert problems(line(diagnoses=("I10",), date_of_service=FY2027_DAY)) == []


def _configure(practice_dir: Path, order_file: str) -> None:
    config = practice_dir / "medsheets.toml"
    config.write_text(config.read_text() + f'\n[codes]\nicd10cm_order_file = "{order_file}"\n')


def test_a_day_past_the_newest_release_warns_what_to_download(practice_dir: Path,
                                                             invoke) -> None:  # type: ignore[no-untyped-def]
    day = min((practice_dir / "encounters").glob("*.xlsx"))
    result = check_workbook(day, open_practice(practice_dir), as_of=dt.date(2026, 12, 1))
    [notice] = result.notices
    assert notice.startswith("dates of service from 2026-10-01 are in ICD-10-CM fiscal year 2027")
    assert 'icd10cm_order_file = "codes/icd10cm_order_2027.txt"' in notice and "cms.gov" in notice
    assert not result.problems  # about the installation, not a cell: nothing is held
    out = invoke("check", "--practice", practice_dir, day).output
    assert out.splitlines()[-2].startswith("medsheets: warning: dates of service from 2026-10-01")
    assert out.count("medsheets: warning:") == 1


def test_with_the_years_order_file_the_day_has_no_release_warning(
        practice_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MEDSHEETS_CACHE_DIR", str(tmp_path / "cache"))
    write_order_file(practice_dir / "codes")
    _configure(practice_dir, "codes/icd10cm_order_2027.txt")
    day = min((practice_dir / "encounters").glob("*.xlsx"))
    result = check_workbook(day, open_practice(practice_dir), as_of=dt.date(2026, 12, 1))
    assert result.notices == ()
    assert any(p.code == "MS-DX-UNKNOWN" and "(FY2027)" in p.message for p in result.problems)


def test_an_order_file_that_is_not_there_cannot_run(practice_dir: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    _configure(practice_dir, "codes/icd10cm_order_2027.txt")
    day = min((practice_dir / "encounters").glob("*.xlsx"))
    result = invoke("check", "--practice", practice_dir, day)
    assert result.exit_code == 2
    assert "[codes] icd10cm_order_file codes/icd10cm_order_2027.txt: no such file" in \
        result.output


def test_show_lists_the_fiscal_years_a_code_is_valid_in(
        practice_dir: Path, invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MEDSHEETS_CACHE_DIR", str(tmp_path / "cache"))
    write_order_file(practice_dir / "codes")
    _configure(practice_dir, "codes/icd10cm_order_2027.txt")
    shown = json.loads(invoke("codes", "show", "E11.9", "--json", "--practice",
                              practice_dir).output)
    assert [v["fiscal_year"] for v in shown["valid_in"]] == [2026, 2027]
    out = invoke("codes", "show", "I10", "--practice", practice_dir).output
    assert out.rstrip().endswith("valid in: FY2026 (2025-10-01 to 2026-09-30)")


def test_an_unknown_key_in_codes_is_refused(practice_dir: Path) -> None:
    config = practice_dir / "medsheets.toml"
    config.write_text(config.read_text() + '\n[codes]\nicd10_order = "x.txt"\n')
    with pytest.raises(ConfigError, match="unknown key 'icd10_order' in \\[codes\\]"):
        _ = open_practice(practice_dir).config


def test_claims_says_too_which_release_to_download(practice_dir: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    day = min((practice_dir / "encounters").glob("*.xlsx"))
    result = invoke("claims", "--practice", practice_dir, "--as-of", "2026-11-25", day)
    assert result.output.count("medsheets: warning: dates of service from 2026-10-01") == 1
