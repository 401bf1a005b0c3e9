"""Failures of the environment end a command with one line a person can act on (exit 2), and
no patient data reaches an error message or a -v traceback."""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from medsheets.cli import cli
from medsheets.ledger import Ledger
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.schema import patients


def day_books(practice: Path) -> list[str]:
    return [str(p) for p in sorted((practice / "encounters").glob("*.xlsx"))]


def one_line_failure(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback (most recent" not in result.stderr
    assert "internal error" not in lines[0]
    return lines[0]


def test_a_garbage_ledger_is_refused_with_what_to_do(practice_dir: Path, invoke) -> None:
    (practice_dir / "medsheets.db").write_bytes(b"these are not the pages of a database\n" * 200)
    line = one_line_failure(invoke("claims", "--practice", practice_dir, *day_books(practice_dir)))
    assert "not a medsheets ledger or is damaged" in line and "backup" in line


def test_a_ledger_path_that_is_a_folder_is_refused(practice_dir: Path, tmp_path: Path,
                                                   invoke) -> None:
    folder = tmp_path / "ledger.db"
    folder.mkdir()
    line = one_line_failure(invoke("claims", "--practice", practice_dir, "--db",
                                   f"sqlite:///{folder}", *day_books(practice_dir)))
    assert "is a folder" in line and "--db" in line


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "the disk is full"),
                                             (errno.EACCES, "permission denied on"),
                                             (errno.EROFS, "permission denied on")])
def test_a_file_system_failure_names_the_path_and_the_fix(
    practice_dir: Path, monkeypatch: pytest.MonkeyPatch, invoke, code: int, words: str
) -> None:
    import medsheets.cli.claims

    target = practice_dir / "out" / "claims" / "claims-1.837"

    def fails(*args: object, **kwargs: object) -> None:
        raise OSError(code, "as the system says", str(target))

    monkeypatch.setattr(medsheets.cli.claims, "bill_workbooks", fails)
    line = one_line_failure(invoke("claims", "--practice", practice_dir, *day_books(practice_dir)))
    assert words in line and str(target) in line


def test_a_full_disk_during_a_transaction_is_a_ledger_error_and_nothing_is_saved(
    tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'medsheets.db'}"
    with Ledger.open(url) as ledger:
        with pytest.raises(LedgerError, match="disk holding the ledger is full"):
            with ledger.transaction() as tx:
                tx.conn.execute(patients.insert().values(
                    patient_id="P1", updated_at=dt.datetime(2026, 11, 27, 9, 0)))
                raise sa.exc.OperationalError("COMMIT", {}, sqlite3.OperationalError(
                    "database or disk is full"))
        with ledger.reading() as tx:
            assert tx.conn.execute(sa.select(sa.func.count()).select_from(patients)).scalar() == 0


def test_a_database_error_while_a_patient_is_written_shows_no_patient_data_even_with_v(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'medsheets.db'}"
    row = {"patient_id": "P1", "last_name": "Quillfeather", "first_name": "Odalys",
           "dob": dt.date(1961, 3, 4), "address": "77 Larkspur Way",
           "updated_at": dt.datetime(2026, 11, 27, 9, 0)}
    with Ledger.open(url) as ledger:
        with ledger.transaction() as tx:
            tx.conn.execute(patients.insert().values(**row))
        with pytest.raises(sa.exc.IntegrityError) as raised:
            with ledger.transaction() as tx:
                tx.conn.execute(patients.insert().values(**row))  # the same patient again
    shown = str(raised.value)
    for secret in ("Quillfeather", "Odalys", "1961", "Larkspur"):
        assert secret not in shown

    import medsheets.cli.claims

    def fails(*args: object, **kwargs: object) -> None:
        raise raised.value

    monkeypatch.setattr(medsheets.cli.claims, "bill_workbooks", fails)
    (tmp_path / "day.xlsx").write_bytes(b"")
    result = CliRunner().invoke(cli, ["-v", "claims", "--practice", str(tmp_path),
                                      "--as-of", "2026-12-01", str(tmp_path / "day.xlsx")])
    assert result.exit_code == 2 and "Traceback (most recent" in result.output + result.stderr
    for secret in ("Quillfeather", "Odalys", "1961", "Larkspur"):
        assert secret not in result.output + result.stderr


def test_another_programs_sqlite_database_is_never_used_as_the_ledger(practice_dir: Path,
                                                                       invoke) -> None:
    path = practice_dir / "medsheets.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        other.execute("INSERT INTO recipes VALUES ('soup', 40)")
    books = [str(p) for p in sorted((practice_dir / "encounters").glob("*.xlsx"))]
    line = one_line_failure(invoke("claims", "--practice", practice_dir, *books))
    assert "another program's tables (recipes)" in line and "--db" in line
    with sqlite3.connect(path) as other:  # left exactly as it was
        names = [r[0] for r in other.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert names == ["recipes"]
    assert not list((practice_dir / "out" / "claims").glob("*.837"))
