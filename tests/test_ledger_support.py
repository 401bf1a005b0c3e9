"""Builders shared by the ledger tests (no tests here): encounters, ledgers, child processes.

The child-process helpers let a test hold the practice lock or a ledger transaction in a real
second process, and kill it, which is what the lock and crash guarantees are about.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from medsheets.ledger import Ledger
from medsheets.model import Encounter, Origin, Person, ServiceLine

DAY = dt.date(2026, 3, 2)
ALICE = Person("Doe", "Alice", dt.date(1980, 5, 17), "F", "1 Elm St", "Springfield", "IL", "62701")
TESTS_DIR = Path(__file__).parent
SHA = "ab" * 32


def line(
    encounter_id: str = "E1",
    *,
    code: str = "99213",
    charge: str = "120.00",
    payer_id: str | None = "BCBS",
    patient_id: str = "P1",
    diagnoses: tuple[str, ...] = ("E119",),
    copay: str | None = None,
    modifiers: tuple[str, ...] = (),
) -> ServiceLine:
    """A service line with believable defaults; override what a test is about."""
    return ServiceLine(
        origin=Origin("day.xlsx", "Encounters", 2, {}),
        encounter_id=encounter_id, date_of_service=DAY, patient_id=patient_id, patient=ALICE,
        patient_email=None, patient_phone=None, payer_id=payer_id,
        member_id="M123" if payer_id else None, group_number=None,
        subscriber_relationship="self", subscriber=None, procedure_code=code,
        modifiers=modifiers, units=1, charge=Decimal(charge), diagnoses=diagnoses,
        place_of_service="11", rendering_npi=None, referring_npi=None, referring_name=None,
        prior_auth=None, copay_collected=Decimal(copay) if copay else None,
    )


def encounter(encounter_id: str = "E1", *lines: ServiceLine) -> Encounter:
    return Encounter(encounter_id, lines or (line(encounter_id),))


def bill(ledger: Ledger, enc: Encounter, patient_id: str = "P1") -> tuple[int, int]:
    """Bill one encounter in its own transaction, as the claims command would: (run id, claim id)."""
    with ledger.transaction() as tx:
        run_id = tx.start_run("claims", [("day.xlsx", SHA)])
        tx.upsert_patient(patient_id, ALICE, None, None)
        claim_id = tx.add_claim(
            enc, fingerprint="f" * 64, run_id=run_id, batch_id=None,
            line_control_numbers=[f"{enc.encounter_id}-{n}" for n in range(1, len(enc.lines) + 1)],
            source_file="day.xlsx",
        )
        tx.finish_run(run_id, {"claims": 1})
    return run_id, claim_id


def _first_line(fd: int) -> str:
    """The first line on the pipe `fd`, and not a byte more."""
    line = bytearray()
    while not line.endswith(b"\n") and (byte := os.read(fd, 1)):
        line += byte
    return line.decode()


def start_child(body: str) -> subprocess.Popen[str]:
    """Run `body` (Python) in a new interpreter that can import these helpers; wait for 'ready'.

    The body prints 'ready' when it has reached the state the test is about. The line is read
    from the pipe a byte at a time: a buffered readline could also take what the child wrote
    next (its output reaches the pipe at once under PYTHONUNBUFFERED), and `communicate()`,
    which reads the pipe itself, would never see that part.
    """
    code = f"import sys\nsys.path.insert(0, {str(TESTS_DIR)!r})\n" + textwrap.dedent(body)
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    first = _first_line(child.stdout.fileno()).strip()
    if first != "ready":
        child.kill()
        _, err = child.communicate(timeout=10)
        raise AssertionError(f"child did not get ready: {first!r} {err}")
    return child
