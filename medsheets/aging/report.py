"""`medsheets aging`: the weekly A/R aging workbook, once per state of the ledger.

The order makes a rerun harmless and a crash leave nothing half-done:

1. hold the practice; read the ledger's bucket totals and a fingerprint of everything the
   report depends on (journal, claim events, statements, placements, claims, patients, the
   code sets and the settings, the as-of date and age basis);
2. an earlier workbook saved with that fingerprint is the same report: say so, write nothing;
3. otherwise record the run and its bucket totals (the Trend sheet's history) in one
   transaction, unless a run already recorded this very data;
4. after the commit, stream the workbook from one consistent read of the ledger into a
   temporary file renamed into place. The Detail lines must add up to the totals of step 1
   to the cent, or nothing is saved.

File names: out/aging/aging-YYYY-MM-DD.xlsx for the as-of date. An earlier workbook is never
overwritten: when the data changed since it was written (a payment posted the same day), the
new one is aging-YYYY-MM-DD-2.xlsx, then -3, and so on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from medsheets import __version__
from medsheets.aging.kpi_sheet import write_kpis
from medsheets.aging.refunds import write_plans, write_refunds
from medsheets.aging.sheets import ReportContext, write_by_patient, write_collections, write_detail
from medsheets.aging.summary import next_steps, write_by_payer, write_summary, write_trend
from medsheets.command import CommandSession, command_session
from medsheets.files import remove_stale_parts
from medsheets.guarantors import guarantor_labels
from medsheets.ledger import Transaction
from medsheets.ledger.accounts import payer_overpayments, refunds_due, standings
from medsheets.ledger.plans import plan_standings
from medsheets.ledger.reports import collections, kpis, totals, trend
from medsheets.ledger.reports.buckets import AgeBasis, Scope
from medsheets.ledger.reports.detail import detail_rows
from medsheets.model import CodeSets
from medsheets.practice import CONFIG_NAME, Practice
from medsheets.practice_files import load_codesets
from medsheets.progress import NO_PROGRESS, Progress, counted
from medsheets.workbook.report_book import ReportBook, read_identifier

SHEETS = ("Summary", "By Payer", "By Patient", "Detail", "Collections", "Refunds", "Plans", "KPIs",
          "Trend")
IDENTIFIER_PREFIX = "medsheets-aging:"


@dataclass(frozen=True)
class AgingResult:
    """What one `aging` run did: the workbook (new, or the identical earlier one) and totals."""

    file: Path
    written: bool
    recorded_run: bool
    scope: Scope
    totals: totals.PartyTotals
    ready_for_collections: int

    @property
    def has_errors(self) -> bool:
        return False  # a report: nothing is held back


def run_aging(practice: Practice, *, as_of: dt.date, basis: AgeBasis, now: dt.datetime,
              progress: Progress = NO_PROGRESS) -> AgingResult:
    """Write the workbook for `as_of` unless an identical one exists. `progress` is told the
    phases (reading the ledger, each big sheet with its rows counted, saving): a million open
    lines take minutes."""
    scope = Scope(as_of, basis)
    codesets = load_codesets(practice).codesets
    folder = practice.output_dir("aging")
    with command_session(practice, "aging") as session:
        remove_stale_parts(folder)  # a run killed while writing
        return _run(practice, session, scope, codesets, folder, now, progress)


def _run(practice: Practice, session: CommandSession, scope: Scope, codesets: CodeSets,
         folder: Path, now: dt.datetime, progress: Progress) -> AgingResult:
    rules = practice.config.statements
    with progress.phase("Reading the ledger"), session.reading() as tx:
        fingerprint = source_fingerprint(tx, practice, scope)
        party = totals.party_totals(tx, scope)
        ready = collections.ready_ids(tx, scope.as_of, rules)
    identifier = IDENTIFIER_PREFIX + fingerprint
    same = next((p for p in report_files(folder, scope.as_of) if read_identifier(p) == identifier), None)
    if same is not None:
        return AgingResult(same, False, False, scope, party, len(ready))
    with session.reading() as tx:  # the practice is held: no run can record it meanwhile
        recorded = not trend.already_recorded(tx, fingerprint)
    if recorded:  # the trend's point for this state of the ledger, once
        with session.run(as_of=scope.as_of, command=trend.COMMAND) as run:
            run.counts.update(trend.run_counts(scope, party.grand, fingerprint))
    ctx = ReportContext(practice.config.practice.name, scope, now,
                        {pid: p.name for pid, p in codesets.payers.items()}, rules,
                        practice.config.kpis)
    target = free_name(folder, scope.as_of)
    with session.reading() as tx:
        write_workbook(tx, target, ctx, party, ready, codesets, identifier, progress)
    return AgingResult(target, True, recorded, scope, party, len(ready))


def write_workbook(tx: Transaction, target: Path, ctx: ReportContext,
                   party: totals.PartyTotals, ready_ids: list[str], codesets: CodeSets,
                   identifier: str, progress: Progress = NO_PROGRESS) -> Path:
    """Every sheet, the big ones streamed; saved only if the lines add up to `party`.
    `party` and `ready_ids` were read under the same practice lock, before the run's commit."""
    book = ReportBook(SHEETS)
    try:
        return _fill(book, tx, target, ctx, party, ready_ids, codesets, identifier, progress)
    except BaseException:
        book.abandon()
        raise


def _fill(book: ReportBook, tx: Transaction, target: Path, ctx: ReportContext,
          party: totals.PartyTotals, ready_ids: list[str], codesets: CodeSets,
          identifier: str, progress: Progress) -> Path:
    scope = ctx.scope
    with progress.phase("Writing Detail: lines") as advance:
        tally = write_detail(book, "Detail", ctx, counted(detail_rows(tx, scope), advance))
    tally.check(party)
    with progress.phase("Reading accounts, plans and collections"):
        ready = collections.describe(tx, scope.as_of, ready_ids)
        placed = collections.describe(tx, scope.as_of, collections.placed_ids(tx, scope.as_of))
        standing = standings(tx, scope.as_of)
        plans = plan_standings(tx, scope.as_of)
    with progress.phase("Writing By Patient: accounts") as advance:
        credits = write_by_patient(book.sheet("By Patient"), ctx,
                                   counted(totals.patient_rows(tx, scope), advance),
                                   frozenset(ready_ids), party.patients + party.placed, standing,
                                   plans, guarantor_labels(tx, scope.as_of))
    with progress.phase("Writing the other sheets and the KPIs"):
        write_plans(book.sheet("Plans"), ctx, plans)
        write_refunds(book.sheet("Refunds"), ctx, refunds_due(tx, scope.as_of),
                      payer_overpayments(tx, scope.as_of))
        write_by_payer(book.sheet("By Payer"), ctx, party, tally)
        write_collections(book.sheet("Collections"), ctx, ready, placed)
        measures = kpis.measure(tx, scope, party.grand.total, codesets.procedures,
                                codesets.payers, over_90_cents=party.grand.over_90)
        write_kpis(book.sheet("KPIs"), ctx, measures, codesets.reason_codes)
        write_trend(book.sheet("Trend"), ctx, trend.trend(tx, scope, party.grand, ctx.written_at))
        write_summary(book.sheet("Summary"), ctx, party,
                      next_steps(party, tally, ready, credits, measures, ctx))
    title = f"A/R aging as of {scope.as_of.isoformat()}"
    with progress.phase(f"Saving {target.name}"):
        return book.save(target, title=title, identifier=identifier)


def source_fingerprint(tx: Transaction, practice: Practice, scope: Scope) -> str:
    """sha256 of everything the report reads: the ledger's state (trend.ledger_state), the
    code sets and the settings, the as-of date and the age basis."""
    facts: list[object] = [__version__, scope.as_of.isoformat(), scope.basis.value]
    facts += trend.ledger_state(tx)
    for path in (practice.codesets_path, practice.root / CONFIG_NAME):
        facts.append(hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None)
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


def report_files(folder: Path, as_of: dt.date) -> list[Path]:
    """The aging workbooks already written for `as_of`, oldest first."""
    base = f"aging-{as_of.isoformat()}"
    pattern = re.compile(rf"^{base}(?:-(\d+))?\.xlsx$")
    found = [(int(m.group(1) or 1), p) for p in folder.iterdir() if (m := pattern.match(p.name))]
    return [path for _, path in sorted(found)]


def free_name(folder: Path, as_of: dt.date) -> Path:
    """aging-DATE.xlsx, or the first aging-DATE-N.xlsx (N >= 2) not taken."""
    target = folder / f"aging-{as_of.isoformat()}.xlsx"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"aging-{as_of.isoformat()}-{number}.xlsx"
    return target
