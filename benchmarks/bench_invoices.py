"""Benchmark: `invoices` per statement, next to bare WeasyPrint rendering the same HTML.

    python benchmarks/bench_invoices.py [--patients 1000] [--workers 2]

Creates a practice with `medsheets init` in a temporary folder and a ledger of N patients
who each owe something (self-pay visits and adjudicated insured visits, one to six lines,
codes from the example fee schedule), then prints, in one run:

- bare WeasyPrint: `HTML(string=...).write_pdf()` on each statement's HTML with its stylesheet
  inlined, one core: what rendering alone costs;
- `invoices` on one core (workers=1): the whole command per statement (ledger reads, the
  accounts, templates, PDFs, recording, writing the PDFs and the .eml outbox);
- `invoices` on every core (workers=N): the same, and the speed-up over one core.

Each `invoices` run starts from a fresh copy of the practice, so each produces all N
statements. Wall-clock and CPU time (this process and its workers) are both printed: on a
shared, busy machine the wall-clock speed-up across cores cannot show, while the CPU time
still tells whether running in parallel added work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from medsheets.cli import cli
from medsheets.invoices import compose, templates
from medsheets.invoices.plan import Names, plan_statements
from medsheets.invoices.render import default_workers
from medsheets.invoices.run import produce_statements
from medsheets.ledger import JournalEntry, Kind, Ledger, Party
from medsheets.ledger.sql import utc_now
from medsheets.model import Encounter, Origin, Person, ServiceLine
from medsheets.practice import Practice, open_practice
from medsheets.practice_files import load_codesets

LAST = ["Smith", "O'Brien", "Peña", "Nguyen", "García", "Kowalski", "Okafor", "Lindqvist"]
FIRST = ["Ann", "José", "Li", "Maria", "John", "Aisha", "Tom", "Eve"]
PAYERS = ["BSTAR", "MCRB1", "NEMUT", "PRAHM"]


def build_practice(folder: Path, patients: int, as_of: dt.date) -> Practice:
    """An example practice whose ledger has `patients` patients with a balance each."""
    assert CliRunner().invoke(cli, ["init", str(folder)]).exit_code == 0
    practice = open_practice(folder)
    fees = [p for p in load_codesets(practice).codesets.procedures.values() if p.terminated is None]
    rng = random.Random(11)
    ledger = Ledger.open(practice.db_url)
    with ledger.transaction() as tx:
        run_id = tx.start_run("claims", [])
        for number in range(patients):
            pid = f"B{number:06d}"
            person = Person(rng.choice(LAST), rng.choice(FIRST), dt.date(1960 + number % 50, 1, 2),
                            "F", f"{number} Elm St", "Springfield", "IL", "62701")
            tx.upsert_patient(pid, person, f"p{number}@example.com", None)
            for visit in range(rng.randint(1, 2)):
                payer = rng.choice(PAYERS + [None])
                day = as_of - dt.timedelta(days=rng.randint(3, 120))
                codes = rng.sample(fees, rng.randint(1, 6))
                _visit(tx, run_id, pid, person, payer, day, codes, f"{pid}-{visit}")
        tx.finish_run(run_id, {})
    ledger.close()
    return practice


def _visit(  # type: ignore[no-untyped-def]
    tx, run_id, pid, person, payer, day, procedures, encounter_id
) -> None:
    """One visit's claim and, for an insured one, the payer's answer (20% coinsurance)."""
    lines = tuple(
        ServiceLine(
            origin=Origin("bench.xlsx", "Encounters", 2, {}), encounter_id=encounter_id,
            date_of_service=day, patient_id=pid, patient=person, patient_email=None,
            patient_phone=None, payer_id=payer, member_id="M1" if payer else None,
            group_number=None, subscriber_relationship="self", subscriber=None,
            procedure_code=p.code, modifiers=(), units=1, charge=p.fee, diagnoses=("Z0000",),
            place_of_service="11", rendering_npi=None, referring_npi=None, referring_name=None,
            prior_auth=None, copay_collected=None)
        for p in procedures
    )
    claim_id = tx.add_claim(Encounter(encounter_id, lines), fingerprint="b" * 64, run_id=run_id,
                            batch_id=None, source_file="bench.xlsx",
                            line_control_numbers=[f"{encounter_id}-{n}" for n in range(len(lines))])
    if payer is None:
        return
    paid_on = day + dt.timedelta(days=2)
    for line in tx.claim_lines(claim_id):
        allowed = (line.charge * Decimal("0.8")).quantize(Decimal("0.01"))
        patient = (allowed * Decimal("0.2")).quantize(Decimal("0.01"))
        tx.post([
            JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, allowed - patient,
                         claim_line_id=line.id, payer_id=payer, reference="TRN1",
                         effective_date=paid_on),
            JournalEntry(run_id, Kind.ADJUSTMENT, Party.PAYER, line.charge - allowed,
                         claim_line_id=line.id, payer_id=payer, group_code="CO", reason_code="45",
                         effective_date=paid_on),
            JournalEntry(run_id, Kind.TRANSFER, Party.PATIENT, patient, claim_line_id=line.id,
                         payer_id=payer, group_code="PR", reason_code="2", effective_date=paid_on),
        ])


def statement_html(practice: Practice, as_of: dt.date) -> list[str]:
    """Each statement's HTML, exactly as `invoices` makes it, with its stylesheet inlined."""
    codesets = load_codesets(practice).codesets
    names = Names({c: p.description for c, p in codesets.procedures.items()},
                  {p: payer.name for p, payer in codesets.payers.items()})
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        plan = plan_statements(tx, practice.config, as_of, utc_now(), names, Path("/nonexistent"))
    ledger.close()
    env = templates.environment((templates.PACKAGED,), html=True)
    template = templates.load(env, templates.STATEMENT_HTML)
    css = (templates.PACKAGED / templates.STATEMENT_CSS).read_text(encoding="utf-8")
    return [templates.fill(template, compose.html_context(s)).replace(
        "</head>", f"<style>{css}</style></head>") for s in plan.new]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (the render workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_bare_weasyprint(pages: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds to render every page with WeasyPrint's defaults, one core."""
    from weasyprint import HTML

    start, cpu = time.perf_counter(), cpu_seconds()
    for html in pages:
        HTML(string=html, base_url=str(templates.PACKAGED) + "/").write_pdf()
    return time.perf_counter() - start, cpu_seconds() - cpu


def time_invoices(source: Path, scratch: Path, as_of: dt.date,
                  workers: int) -> tuple[float, float, int]:
    """(wall, CPU) seconds of the whole command on a fresh copy, and the statements made."""
    target = scratch / f"run-{workers}"
    shutil.copytree(source, target)
    practice = open_practice(target)
    start, cpu = time.perf_counter(), cpu_seconds()
    result = produce_statements(practice, as_of=as_of, workers=workers)
    return time.perf_counter() - start, cpu_seconds() - cpu, len(result.plan.new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    as_of = dt.date.today()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        source = build_practice(scratch / "practice", args.patients, as_of)
        pages = statement_html(source, as_of)
        bare, bare_cpu = time_bare_weasyprint(pages)
        one, one_cpu, count = time_invoices(source.root, scratch, as_of, 1)
        many, many_cpu, count_many = time_invoices(source.root, scratch, as_of, args.workers)
    assert count == count_many == len(pages), (count, count_many, len(pages))
    ms = 1000 / count
    print(f"statements: {count} (one per patient), {args.workers} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"bare WeasyPrint, 1 core:  {bare * ms:6.1f} ms per statement wall, "
          f"{bare_cpu * ms:6.1f} ms CPU")
    print(f"invoices, 1 core:         {one * ms:6.1f} ms per statement wall, "
          f"{one_cpu * ms:6.1f} ms CPU: {one / bare:.2f}x bare WeasyPrint "
          f"(CPU {one_cpu / bare_cpu:.2f}x); {one:.1f} s in all")
    print(f"invoices, {args.workers} cores:        {many * ms:6.1f} ms per statement wall, "
          f"{many_cpu * ms:6.1f} ms CPU; {many:.1f} s in all: speed-up {one / many:.2f}x wall, "
          f"CPU {many_cpu / one_cpu:.2f}x of the 1-core run")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
