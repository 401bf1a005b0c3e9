"""SIGKILL at seeded-random moments of every command that records or writes something.

Each command runs as `python -m medsheets ...` in a child process killed after a delay drawn from
a fixed-seed RNG (the same points on every run of the suite; where they land in the work varies
with the machine's load, which is the point: the assertion holds wherever they land). Then the
command runs again to its end, and the whole ledger (tests/kill_support.py) and out/ must equal
those of a day never killed: every output it wrote present, whole, equal, no `.part` left.
`claims`, `remit`, `payments` and `invoices` get two points, every other command one (the suite
must stay fast); `run` is killed once inside the whole day. test_billing_crash.py and
test_remit_crash.py kill at chosen points inside the code; this module kills from outside, as a
power cut or the OOM killer.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
from pathlib import Path

import pytest
from acks_support import ack_999, sent_batch
from clock import EXAMPLE_AS_OF, TODAY
from denials_support import edit_worklist
from kill_support import assert_whole_outputs, kill_after, ledger_state, outputs, run_to_end

RNG_SEED = 17
TWICE = ("claims", "remit", "payments", "invoices")
# The day in `medsheets run`'s order, then the worklists' commands after it.
STEPS = ("eligibility", "benefits", "estimate", "claims", "acks", "remit", "payments", "denials",
         "resubmit", "invoices", "followup", "aging", "collections")
DENIALS = f"out/reports/denials-{TODAY.isoformat()}.xlsx"
# One line written off (a CO-96 line) and one claim corrected and sent again.
WORKLIST_EDITS = {("E261125-08", 4): {"action": "write off"},
                  ("E261125-14", 1): {"action": "correct"}}


def words(step: str, practice: Path) -> list[str]:
    """The command line of `step` on `practice`: its inputs are the example's own files."""
    def files(folder: str, pattern: str) -> list[str]:
        return [str(p) for p in sorted((practice / folder).glob(pattern))]
    as_of = EXAMPLE_AS_OF if step == "claims" else TODAY
    arguments = {
        "eligibility": files("appointments", "*.xlsx"), "estimate": files("appointments", "*.xlsx"),
        "benefits": files("remits", "*.271"), "claims": files("encounters", "*.xlsx"),
        "acks": files("acks", "*.999"), "remit": files("remits", "*.835"),
        "payments": files("payments", "*.xlsx"), "resubmit": [str(practice / "worklist.xlsx")],
        "collections": ["--export"], "run": [str(practice)],
    }.get(step, [])
    practice_option = [] if step == "run" else ["--practice", str(practice)]
    return [step, *practice_option, "--as-of", as_of.isoformat(), *arguments]


def prepare(step: str, practice: Path) -> None:
    """What a clearinghouse or a biller hands over before `step`: a 999 accepting the batch
    billed; the denial worklist with two rows edited; for collections, the statements marked
    mailed and a rule (no wait, one statement) the example's accounts meet the same day."""
    if step == "acks":
        sent = sent_batch(practice)
        sets: list[tuple[str, str, list[str]]] = [(st02, "A", []) for st02 in sent.sets]
        (practice / "acks").mkdir()
        (practice / "acks" / "batch.999").write_text(
            ack_999(sent.group_control, sets, "A", (len(sets),) * 3))
    elif step == "resubmit":
        edit_worklist(practice / DENIALS, WORKLIST_EDITS, practice / "worklist.xlsx")
    elif step == "collections":
        settings = practice / "medsheets.toml"
        text = re.sub(r"(?m)^collections_after_days = \d+", "collections_after_days = 0",
                      settings.read_text())
        settings.write_text(re.sub(r"(?m)^collections_after_statements = \d+",
                                   "collections_after_statements = 1", text))
        run_to_end(["invoices", "--mailed", "--practice", str(practice), "--as-of", TODAY.isoformat()])


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory, practice_template: Path) -> dict[str, Path]:
    """The never-killed day: the practice before each step and after it; and `run`'s day."""
    base = tmp_path_factory.mktemp("never-killed")
    states: dict[str, Path] = {}
    current = base / "start"
    shutil.copytree(practice_template, current)
    for step in STEPS:
        prepare(step, current)
        states[f"before-{step}"] = base / f"before-{step}"
        shutil.copytree(current, states[f"before-{step}"])
        run_to_end(words(step, current))
        states[f"after-{step}"] = base / f"after-{step}"
        shutil.copytree(current, states[f"after-{step}"])
    states["before-run"] = base / "before-run"
    shutil.copytree(practice_template, states["before-run"])
    states["after-run"] = base / "after-run"
    shutil.copytree(practice_template, states["after-run"])
    run_to_end(words("run", states["after-run"]))
    return states


def _points() -> list[tuple[str, float]]:
    rng = random.Random(RNG_SEED)
    points = [(step, round(rng.uniform(0.3, 4.0), 2)) for step in TWICE for _ in range(2)]
    points += [(step, round(rng.uniform(0.3, 3.0), 2)) for step in STEPS if step not in TWICE]
    return [*points, ("run", round(rng.uniform(1.0, 15.0), 2))]


@pytest.mark.parametrize(("step", "delay"), _points())
def test_killed_then_run_again_equals_a_day_never_killed(day: dict[str, Path], tmp_path: Path,
                                                        step: str, delay: float) -> None:
    practice = tmp_path / "practice"
    shutil.copytree(day[f"before-{step}"], practice)
    kill_after(words(step, practice), delay)
    run_to_end(words(step, practice))
    assert ledger_state(practice) == ledger_state(day[f"after-{step}"])
    assert_whole_outputs(practice)
    assert outputs(practice) == outputs(day[f"after-{step}"])


def test_the_never_killed_day_did_work(day: dict[str, Path]) -> None:
    """The control: each step changed the ledger or out/, so equality above is not trivial."""
    names = [f"before-{step}" for step in STEPS] + ["after-collections"]
    states = [(ledger_state(day[name]), outputs(day[name])) for name in names]
    for step, (before, after) in zip(STEPS, itertools.pairwise(states), strict=True):
        assert before != after, step
    assert ledger_state(day["before-run"]) != ledger_state(day["after-run"])
