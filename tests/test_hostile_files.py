"""Hostile files given to every command that reads files: one line, exit 2 (or 1 where the command
reports problems), never a traceback, and the file given is left exactly as it was.

The readers' own refusals are tested in test_workbook_badfiles.py; this module checks that each
command turns them into one line a person can act on, and that the X12 commands (remit, acks,
benefits) hold against the same files.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from workbook_factory import (
    BILLION_LAUGHS,
    add_zip_bomb,
    row,
    shared_strings,
    with_shared_strings,
    write_encounters,
)

from medsheets.ledger import Ledger
from medsheets.ledger.schema import journal
from medsheets.practice import open_practice

COMMANDS = ("check", "claims", "payments", "remit", "acks", "benefits")
WORKBOOK_COMMANDS = {"check", "claims", "payments"}


def _empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.touch()
    return path


def _random_bytes(folder: Path) -> Path:
    path = folder / "noise.xlsx"
    path.write_bytes(random.Random(17).randbytes(4096))
    return path


def _csv_renamed(folder: Path) -> Path:
    path = folder / "export.xlsx"
    path.write_text("encounter_id,date_of_service,patient_id\nE1,2026-11-25,P001\n")
    return path


def _good(folder: Path) -> Path:
    return write_encounters(folder / "good.xlsx", [row(), row(encounter_id="E2")])


def _truncated(folder: Path) -> Path:
    data = _good(folder).read_bytes()
    path = folder / "half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_bomb(folder: Path) -> Path:
    return add_zip_bomb(_good(folder), folder / "zbomb.xlsx", 100 * 1024**2)


def _entity_bomb(folder: Path) -> Path:
    bomb = shared_strings("&i;", BILLION_LAUGHS)
    return with_shared_strings(_good(folder), folder / "laughs.xlsx", "A2", bomb)


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "empty": _empty,
    "random-bytes": _random_bytes,
    "csv-renamed": _csv_renamed,
    "truncated-xlsx": _truncated,
    "zip-bomb": _zip_bomb,
    "entity-bomb": _entity_bomb,
}


def journal_count(practice: Path) -> int:
    ledger = Ledger.open(open_practice(practice).db_url)
    try:
        with ledger.reading() as tx:
            return len(tx.conn.execute(journal.select()).all())
    finally:
        ledger.close()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_refused_in_one_line(practice_dir: Path, tmp_path: Path, invoke,
                                           command: str, kind: str) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = BAD_FILES[kind](folder)
    if command not in WORKBOOK_COMMANDS:  # the X12 readers get the same bytes under their name
        path = path.rename(path.with_suffix(".835" if command == "remit" else ".x12"))
    before = path.read_bytes()
    journal_before = journal_count(practice_dir)
    result = invoke(command, "--practice", practice_dir, path)
    assert result.exit_code in (1, 2), result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 2:
        assert len(lines) == 1, result.stderr
        assert path.name in lines[0], lines[0]
    else:  # the command reports the file among its problems, by name
        assert path.name in result.output + result.stderr
    assert path.read_bytes() == before
    assert journal_count(practice_dir) == journal_before
    assert not list((practice_dir / "out").rglob("*.part"))


def test_a_sound_workbook_is_the_control(practice_dir: Path, invoke) -> None:
    """The same harness passes a good day: the refusals above are about the files."""
    books = sorted((practice_dir / "encounters").glob("*.xlsx"))
    copy = practice_dir.parent / "copy.xlsx"
    shutil.copy(books[0], copy)
    result = invoke("check", "--practice", practice_dir, copy)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
