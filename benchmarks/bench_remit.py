"""Benchmark: `remit` posting an 835 of many claims, against pyx12 merely parsing the same file.

    python benchmarks/bench_remit.py [--claims 10000] [--validate]

Creates a practice with `medsheets init` in a temporary folder, bills N two-line claims straight
into its ledger (one transaction, as `claims` records them), writes a matching, balanced 835
(one transaction, CO-45 and PR-2 on every claim, every line echoing its REF*6R), then prints in
one run: pyx12's own segment parse of that file (pyx12.x12file.X12Reader), medsheets' parse
(read + interpret), the whole `remit` command (parse, balance, match, post every entry in one
ledger transaction, commit, write the report workbook) with its posting and report phases, as
wall and CPU seconds and claims per second. --validate adds pyx12's full validation
(x12n_document), which is much slower.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from medsheets.cli import cli
from medsheets.ledger import Ledger
from medsheets.model import Encounter, Origin, Person, ServiceLine
from medsheets.practice import open_practice
from medsheets.remit import run as run_module
from medsheets.remit.balance import balance_problems
from medsheets.remit.run import post_remit_files

DAY = dt.date(2026, 11, 20)
PATIENT = Person("Doe", "Alice", dt.date(1970, 1, 1), "F", "1 Elm St", "Springfield", "IL", "62701")
LINES = (("99213", Decimal("135.00"), Decimal("94.50"), Decimal("27.00")),  # code, charge, CO-45, PR-2
         ("36415", Decimal("12.00"), Decimal("3.00"), Decimal("1.80")))


def _line(eid: str, code: str, charge: Decimal) -> ServiceLine:
    return ServiceLine(
        origin=Origin("bench.xlsx", "Encounters", 2, {}), encounter_id=eid, date_of_service=DAY,
        patient_id=f"A{eid}", patient=PATIENT, patient_email=None, patient_phone=None,
        payer_id="BSTAR", member_id="M1", group_number=None, subscriber_relationship="self",
        subscriber=None, procedure_code=code, modifiers=(), units=1, charge=charge,
        diagnoses=("E119",), place_of_service="11", rendering_npi=None, referring_npi=None,
        referring_name=None, prior_auth=None, copay_collected=None)


def bill(db_url: str, count: int) -> None:
    """N two-line claims B0000000… billed into the ledger in one transaction."""
    with Ledger.open(db_url) as ledger, ledger.transaction() as tx:
        run_id = tx.start_run("claims", [("bench.xlsx", "0" * 64)])
        for n in range(count):
            eid = f"B{n:07d}"
            tx.upsert_patient(f"A{eid}", PATIENT, None, None)
            encounter = Encounter(eid, tuple(_line(eid, code, charge) for code, charge, _, _ in LINES))
            tx.add_claim(encounter, fingerprint="f" * 64, run_id=run_id, batch_id=None,
                         line_control_numbers=[f"{eid}-1", f"{eid}-2"], source_file="bench.xlsx")
        tx.finish_run(run_id, {"billed": count})


def remittance(count: int, start: int = 0, trace: str = "BENCH1") -> str:
    """A balanced 835 paying claims B{start}… B{start + count - 1} as billed by `bill`."""
    body = ["BPR*I*{total}*C*CHK************20261201", f"TRN*1*{trace}*1360000003",
            "DTM*405*20261201", "N1*PR*BLUESTEM HEALTH INSURANCE", "N3*2200 COMMERCE PKWY",
            "N4*PEORIA*IL*61602", "PER*BL*EDI*TE*8005550100",
            "N1*PE*MAPLE STREET FAMILY MEDICINE*XX*1982045761"]
    total = Decimal(0)
    for n in range(start, start + count):
        eid = f"B{n:07d}"
        charge = sum(line[1] for line in LINES)
        paid = sum(c - co - pr for _, c, co, pr in LINES)
        owed = sum(pr for *_, pr in LINES)
        total += paid
        body += [f"LX*{n - start + 1}", f"CLP*{eid}*1*{charge}*{paid}*{owed}*12*ICN{n:09d}",
                 "NM1*QC*1*DOE*ALICE****MI*M1"]
        for number, (code, c, co, pr) in enumerate(LINES, start=1):
            body += [f"SVC*HC:{code}*{c}*{c - co - pr}**1", "DTM*472*20261120",
                     f"CAS*CO*45*{co}", f"CAS*PR*2*{pr}", f"REF*6R*{eid}-{number}"]
    body[0] = body[0].format(total=total)
    segments = ["ISA*00*          *00*          *ZZ*CLEARHOUSE01   *ZZ*MAPLE01        *261201*0800*^*00501*000000001*0*T*:",
                "GS*HP*CLEARHOUSE01*MAPLE01*20261201*0800*1*X*005010X221A1", "ST*835*0001",
                *body, f"SE*{len(body) + 2}*0001", "GE*1*1", "IEA*1*000000001"]
    return "".join(f"{s}~\n" for s in segments)


class Clock:
    """Wall and CPU seconds of an action (the machines are shared: CPU time is the steadier)."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def run(self, action: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return action()
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, timed by this clock whenever it is called."""
        return lambda *args, **kwargs: self.run(lambda: function(*args, **kwargs))


def pyx12_parse(path: Path) -> int:
    import pyx12.x12file

    with pyx12.x12file.X12Reader(str(path)) as reader:
        return sum(1 for _ in reader)


def pyx12_validate(path: Path) -> bool:
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)  # its findings are not the point here

    return bool(pyx12.x12n_document.x12n_document(param=pyx12.params.params(), src_file=str(path),
                                                  fd_997=None, fd_html=io.StringIO()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--validate", action="store_true", help="also time pyx12's validation")
    args = parser.parse_args()
    n = args.claims
    with tempfile.TemporaryDirectory() as tmp:
        practice_dir = Path(tmp) / "practice"
        CliRunner().invoke(cli, ["init", str(practice_dir)])
        practice = open_practice(practice_dir)
        billing = Clock()
        billing.run(lambda: bill(practice.db_url, n))
        path = practice_dir / "remits" / "bench.835"
        path.write_text(remittance(n))
        pyx12_clock, whole, parse, report = Clock(), Clock(), Clock(), Clock()
        segments = pyx12_clock.run(lambda: pyx12_parse(path))
        # the phases of the one real run, timed where run.py calls them
        run_module.read_remit_file = parse.wrap(run_module.read_remit_file)
        run_module.write_remit_report = report.wrap(run_module.write_remit_report)
        result = whole.run(lambda: post_remit_files(practice, [path], now=dt.datetime(2026, 12, 2, 9)))
        posted = sum(c.claim_id is not None for c in result.posted_claims)
        assert posted == n and not result.has_errors, "every claim must match and post"
        assert all(not balance_problems(o.remittance) for o in result.outcomes if o.remittance)
        print(f"claims: {n:,} ({2 * n:,} lines); 835: {path.stat().st_size / 1e6:.1f} MB, "
              f"{segments:,} segments; billing them first took {billing.wall:.1f} s")
        posting = Clock()
        posting.wall = whole.wall - parse.wall - report.wall
        posting.cpu = whole.cpu - parse.cpu - report.cpu
        rows = [("pyx12 x12file parse", pyx12_clock), ("medsheets parse+interpret", parse),
                ("whole remit command", whole), ("  posting in the ledger", posting),
                ("  report workbook", report)]
        if args.validate:
            validate = Clock()
            validate.run(lambda: pyx12_validate(path))
            rows.insert(1, ("pyx12 x12n_document", validate))
        print(f"{'':28} {'wall s':>8} {'claims/s':>10} {'cpu s':>8} {'claims/s':>10}")
        for name, clock in rows:
            print(f"{name:28} {clock.wall:8.2f} {n / clock.wall:10,.0f} {clock.cpu:8.2f} "
                  f"{n / clock.cpu:10,.0f}")
        print(f"whole remit / pyx12 parse: {whole.wall / pyx12_clock.wall:.1f}x wall, "
              f"{whole.cpu / pyx12_clock.cpu:.1f}x cpu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
