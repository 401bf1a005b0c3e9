"""`medsheets init DIR`: a practice folder that works at once, and never an overwrite."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from clock import TODAY

from medsheets.cli import cli
from medsheets.config import load_config
from medsheets.example import create_practice, folder, recent_weekdays
from medsheets.workbook.codesets import read_codesets
from medsheets.workbook.encounters import read_encounter_workbook


def run_init(target: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["init", str(target), "--as-of", TODAY.isoformat()])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    target = tmp_path_factory.mktemp("init") / "maple"
    code, out, err = run_init(target)
    assert (code, err) == (0, "")
    return target, out


def test_init_writes_a_practice_every_reader_accepts(made: tuple[Path, str]) -> None:
    target, _ = made
    config = load_config(target / "medsheets.toml")
    assert config.practice.name == "Maple Street Family Medicine"
    codesets, problems = read_codesets(target / "codesets.xlsx")
    assert problems == []
    assert {"99213", "0500T", "J3420"} <= codesets.procedures.keys()
    workbooks = sorted((target / "encounters").glob("*.xlsx"))
    assert len(workbooks) == 2
    for path in workbooks:
        book = read_encounter_workbook(path, config.columns)
        assert book.problems == []
        assert 30 <= len(book.lines) <= 60
        assert 12 <= len({line.encounter_id for line in book.lines}) <= 25


def test_init_dates_the_example_to_the_last_two_weekdays(made: tuple[Path, str]) -> None:
    target, _ = made
    first, second = recent_weekdays(TODAY)
    names = sorted(p.name for p in (target / "encounters").iterdir())
    assert names == [f"{first.isoformat()}.xlsx", f"{second.isoformat()}.xlsx"]
    book = read_encounter_workbook(target / "encounters" / names[1])
    assert {line.date_of_service for line in book.lines} == {second}


def test_init_makes_every_file_and_folder_owner_only(made: tuple[Path, str]) -> None:
    target, _ = made
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    for path in target.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    assert {p.name for p in target.iterdir() if p.is_dir()} == {
        "encounters", "remits", "payments", "out", "appointments"}
    assert not list(target.rglob(".gitkeep"))


def test_init_says_what_it_made_and_what_to_run_next(made: tuple[Path, str]) -> None:
    target, out = made
    lines = out.splitlines()
    assert "  medsheets.toml" in lines and "  codesets.xlsx" in lines and "  remits/" in lines
    assert lines[-1] == f"Next: medsheets run {target}"


def test_init_refuses_an_existing_practice(made: tuple[Path, str]) -> None:
    target, _ = made
    before = (target / "medsheets.toml").read_bytes()
    code, _, err = run_init(target)
    assert code == 2
    assert err == (f"medsheets: error: {target} already holds a practice (medsheets.toml); "
                   "init never overwrites one\n")
    assert (target / "medsheets.toml").read_bytes() == before


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run_init(tmp_path)
    assert code == 2
    assert err == f"medsheets: error: {tmp_path} is not empty; give a new or empty folder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "practice"
    target.write_text("not a folder")
    code, _, err = run_init(target)
    assert code == 2
    assert "exists and is not a folder" in err


def test_init_fills_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    code, _, _ = run_init(target)
    assert code == 0
    assert (target / "codesets.xlsx").is_file()
    assert stat.S_IMODE(target.stat().st_mode) == 0o700


def test_interrupted_init_leaves_nothing_behind(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(folder, "write_codesets", fail)
    with pytest.raises(OSError):
        create_practice(tmp_path / "maple", recent_weekdays(dt.date(2026, 11, 27)))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2026, 11, 25), (dt.date(2026, 11, 23), dt.date(2026, 11, 24))),  # Wednesday
        (dt.date(2026, 11, 23), (dt.date(2026, 11, 19), dt.date(2026, 11, 20))),  # Monday
        (dt.date(2026, 11, 29), (dt.date(2026, 11, 26), dt.date(2026, 11, 27))),  # Sunday
        (dt.date(2026, 11, 24), (dt.date(2026, 11, 20), dt.date(2026, 11, 23))),  # Tuesday
    ],
)
def test_recent_weekdays_skip_weekends_and_today(as_of: dt.date,
                                                 expected: tuple[dt.date, dt.date]) -> None:
    assert recent_weekdays(as_of) == expected


def test_init_of_the_current_empty_folder_keeps_the_folder(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inode = tmp_path.stat().st_ino
    code, out, _ = run_init(Path("."))
    assert code == 0
    assert tmp_path.stat().st_ino == inode
    assert (tmp_path / "medsheets.toml").is_file()
    assert not [p for p in tmp_path.parent.iterdir() if ".init-" in p.name]
    assert out.splitlines()[-1] == "Next: medsheets run ."
