"""The order every recording command shares (medsheets/command.py): held, one transaction,
files only after the commit; nothing recorded and nothing written when the work fails."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from clock import TODAY

from medsheets.command import Kept, command_session
from medsheets.errors import LedgerBusyError
from medsheets.files import write_atomic
from medsheets.ledger import Ledger
from medsheets.ledger.schema import runs
from medsheets.practice import open_practice


def recorded_runs(practice) -> list[tuple[str, str, dict]]:
    with Ledger.open(practice.db_url) as ledger, ledger.reading() as tx:
        rows = tx.conn.execute(sa.select(runs.c.command, runs.c.status, runs.c.counts)
                               .order_by(runs.c.id))
        return [(r.command, r.status, dict(r.counts)) for r in rows]


def test_a_run_is_recorded_with_its_counts_and_its_file_written_after_the_commit(
        practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    target = practice.output_dir("reports") / "made.txt"
    with command_session(practice, "test-command") as session:
        with session.run([], as_of=TODAY) as run:
            run.counts["made"] = 1
            assert run.write_after(target, "hello") == target
            assert not target.exists()  # not before the transaction has committed
        assert run.written == [target] and target.read_text() == "hello"
    assert target.stat().st_mode & 0o077 == 0
    assert recorded_runs(practice)[-1] == ("test-command", "ok", {"made": 1})


def test_a_failure_inside_the_run_records_nothing_and_writes_nothing(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    target = practice.output_dir("reports") / "never.txt"
    before = recorded_runs(practice)
    with pytest.raises(RuntimeError), command_session(practice, "test-command") as session, \
            session.run([], as_of=TODAY) as run:
        run.counts["made"] = 1
        run.write_after(target, "never")
        raise RuntimeError("the work failed half-way")
    assert not target.exists()
    assert recorded_runs(practice) == before


def test_a_second_command_is_refused_while_one_holds_the_practice(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    with command_session(practice, "first"), pytest.raises(LedgerBusyError), \
            command_session(practice, "second"):
        pass


KEPT = Kept("test-kept", "reports", write_atomic)


def test_a_kept_file_is_written_after_the_commit_and_written_again_once_lost(
        practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    with command_session(practice, "test-command") as session:
        with session.run([], as_of=TODAY) as run:
            path = run.keep(KEPT, "kept.txt", "from the ledger")
            assert not path.exists()  # not before the transaction has committed
        assert run.written == [path] and path.read_text() == "from the ledger"
    with command_session(practice, "test-command") as session:
        assert session.restore(KEPT) == []  # in its place: left alone
    path.unlink()
    (path.parent / ".kept.txt.x1.part").write_text("half")  # what a killed write leaves
    with command_session(practice, "test-command") as session:
        assert session.restore(KEPT) == ["kept.txt"]
    assert path.read_text() == "from the ledger" and path.stat().st_mode & 0o077 == 0
    assert not list(path.parent.glob(".*.part"))


def test_a_file_kept_by_a_failed_run_is_never_written(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    with pytest.raises(RuntimeError), command_session(practice, "test-command") as session, \
            session.run([], as_of=TODAY) as run:
        path = run.keep(KEPT, "never.txt", "never")
        raise RuntimeError("the work failed half-way")
    with command_session(practice, "test-command") as session:
        assert session.restore(KEPT) == []
    assert not path.exists()
