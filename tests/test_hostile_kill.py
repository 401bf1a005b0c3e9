"""SIGKILL at seeded-random moments of `claims`, `remit`, `payments` and `invoices`.

Each command runs as `python -m medsheets ...` in a child process killed after a delay drawn from
a fixed-seed RNG (the same points on every run of the suite; where they land in the work varies
with the machine's load, which is the point: the assertion holds wherever they land). Then the
command runs again to its end, and the ledger must equal that of a day never killed, with no
`.part` or half-written file left in out/. test_billing_crash.py and test_remit_crash.py kill at
chosen points inside the code; this module kills from outside, as a power cut or the OOM killer.
"""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from clock import EXAMPLE_AS_OF, TODAY

from medsheets.ledger import Ledger
from medsheets.ledger.schema import batches, claims, journal, statements
from medsheets.practice import open_practice

RNG_SEED = 17
POINTS_PER_COMMAND = 2
STEPS = ("claims", "remit", "payments", "invoices")


def command(step: str, practice: Path) -> list[str]:
    books = {
        "claims": ["--as-of", EXAMPLE_AS_OF.isoformat(),
                   *map(str, sorted((practice / "encounters").glob("*.xlsx")))],
        "remit": ["--as-of", TODAY.isoformat(), *map(str, sorted((practice / "remits").glob("*.835")))],
        "payments": ["--as-of", TODAY.isoformat(),
                     *map(str, sorted((practice / "payments").glob("*.xlsx")))],
        "invoices": ["--as-of", TODAY.isoformat()],
    }[step]
    return [sys.executable, "-m", "medsheets", step, "--practice", str(practice), *books]


def run(step: str, practice: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command(step, practice), capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    return done


def kill_after(step: str, practice: Path, delay: float) -> None:
    child = subprocess.Popen(command(step, practice), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    time.sleep(delay)
    child.kill()  # SIGKILL; a child already finished is left as it ended
    child.wait(timeout=60)


def ledger_state(practice: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a day's work leaves in the ledger, without ids and wall-clock instants."""
    ledger = Ledger.open(open_practice(practice).db_url)
    try:
        with ledger.reading() as tx:
            def table(select: sa.Select) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
                return sorted(tuple(r) for r in tx.conn.execute(select))
            return {
                "journal": table(sa.select(journal.c.patient_id, journal.c.kind, journal.c.party,
                                           journal.c.payer_id, journal.c.amount_cents,
                                           journal.c.group_code, journal.c.reason_code,
                                           journal.c.reference, journal.c.effective_date)),
                "claims": table(sa.select(claims.c.encounter_id, claims.c.status,
                                          claims.c.fingerprint, claims.c.date_of_service)),
                "batches": table(sa.select(batches.c.file_name)),
                "statements": table(sa.select(sa.func.count()).select_from(statements)),
            }
    finally:
        ledger.close()


def assert_whole_outputs(practice: Path) -> None:
    out = practice / "out"
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    for path in (p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert data, path
        if path.suffix == ".837":
            assert data.rstrip().endswith(b"~") and b"IEA*" in data, path
        elif path.suffix == ".xlsx":
            assert zipfile.ZipFile(path).testzip() is None, path
        elif path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF"), path


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory, practice_template: Path) -> dict[str, Path]:
    """The never-killed day: the practice before each step, and after the last."""
    base = tmp_path_factory.mktemp("never-killed")
    states: dict[str, Path] = {}
    current = base / "start"
    shutil.copytree(practice_template, current)
    for step in STEPS:
        states[f"before-{step}"] = base / f"before-{step}"
        shutil.copytree(current, states[f"before-{step}"])
        run(step, current)
        states[f"after-{step}"] = base / f"after-{step}"
        shutil.copytree(current, states[f"after-{step}"])
    return states


def _points() -> list[tuple[str, float]]:
    rng = random.Random(RNG_SEED)
    return [(step, round(rng.uniform(0.3, 4.0), 2)) for step in STEPS
            for _ in range(POINTS_PER_COMMAND)]


@pytest.mark.parametrize(("step", "delay"), _points())
def test_killed_then_run_again_equals_a_day_never_killed(day: dict[str, Path], tmp_path: Path,
                                                        step: str, delay: float) -> None:
    practice = tmp_path / "practice"
    shutil.copytree(day[f"before-{step}"], practice)
    kill_after(step, practice, delay)
    run(step, practice)
    assert ledger_state(practice) == ledger_state(day[f"after-{step}"])
    assert_whole_outputs(practice)


def test_the_never_killed_day_did_work(day: dict[str, Path]) -> None:
    """The control: each step changed the ledger, so equality above is not trivial."""
    states = [ledger_state(day[f"before-{step}"]) for step in STEPS]
    states.append(ledger_state(day["after-invoices"]))
    for before, after in itertools.pairwise(states):
        assert before != after
