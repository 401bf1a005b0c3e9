"""`medsheets invoices`: patient statements for what insurance left, recorded, mailed, emailed.

The order of events is what makes a crash harmless (every recording command's,
medsheets/command.py):

1. hold the practice; remove temporary files a killed run left; read the ledger once (one
   snapshot time) and plan: new statements, recorded ones whose PDF is missing;
2. render every PDF (in memory, on all cores) before touching the ledger;
3. in ONE transaction record the run and the new statements; commit;
4. only then write the PDFs and the outbox's .eml files (atomically, owner-only);
5. with --send, deliver the outbox, logging each message in its own transaction.

Killed before 3, nothing happened; killed during 4, the next run restores the missing files
from the ledger, byte for byte; killed during 5, see delivery.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2

from medsheets.command import Run, command_session
from medsheets.errors import BadFileError
from medsheets.files import remove_stale_parts
from medsheets.invoices import compose, delivery, smtp, templates
from medsheets.invoices.delivery import MailReport
from medsheets.invoices.message import address_problem
from medsheets.invoices.plan import Names, Plan, current_statements, plan_statements
from medsheets.invoices.records import Statement
from medsheets.invoices.render import render_all
from medsheets.ledger import Ledger, utc_now
from medsheets.ledger import statements as ledger_statements
from medsheets.money import ZERO
from medsheets.practice import Practice
from medsheets.practice_files import load_codesets

Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


@dataclass
class InvoiceResult:
    """What one `invoices` run did, for the report."""

    as_of: dt.date
    plan: Plan = field(default_factory=Plan)
    files: list[Path] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    mail: MailReport = field(default_factory=MailReport)
    email_note: str | None = None  # why no email was prepared at all
    codesets_note: str | None = None

    @property
    def produced(self) -> list[Statement]:
        return self.plan.new

    @property
    def total_due(self) -> Decimal:
        return sum((s.amount_due for s in self.plan.new), ZERO)

    @property
    def has_errors(self) -> bool:
        return bool(self.mail.problems or self.mail.failed)


@contextlib.contextmanager
def _no_progress(total: int) -> Iterator[Callable[[int], None]]:
    yield lambda done: None


def load_names(practice: Practice, result: InvoiceResult) -> Names:
    """Procedure descriptions and payer names from codesets.xlsx; codes alone if unreadable."""
    try:
        codesets = load_codesets(practice).codesets
    except BadFileError as exc:
        result.codesets_note = f"{exc}; statements show procedure codes without descriptions"
        return Names()
    return Names({code: p.description for code, p in codesets.procedures.items()},
                 {pid: payer.name for pid, payer in codesets.payers.items()})


def produce_statements(
    practice: Practice,
    *,
    as_of: dt.date,
    send: bool = False,
    workers: int | None = None,
    progress: Progress = _no_progress,
    environ: Mapping[str, str] = os.environ,
) -> InvoiceResult:
    """Produce (and with `send`, email) the statements due on `as_of`; see the module doc."""
    config = practice.config
    mail_settings = smtp.check_settings(config.email, environ, practice.root) if send else None
    folders = templates.template_folders(practice.root)
    statement_html = templates.load(templates.environment(folders, html=True),
                                    templates.STATEMENT_HTML)
    email_body = templates.load(templates.environment(folders, html=False), templates.EMAIL_TEXT)
    invoices_dir, outbox_dir = practice.output_dir("invoices"), practice.output_dir("outbox")
    result = InvoiceResult(as_of)
    with command_session(practice, "invoices") as session:
        _remove_stale_parts(invoices_dir, outbox_dir)
        names = load_names(practice, result)
        snapshot = utc_now()
        with session.reading() as tx:
            result.plan = plan_statements(tx, config, as_of, snapshot, names, invoices_dir)
        to_render = result.plan.documents
        jobs = [(d.file_stem, templates.fill(statement_html, compose.html_context(d)))
                for d in to_render]
        with progress(len(jobs)) as tick:
            pdfs = dict(render_all(jobs, folders, workers=workers, progress=tick))
        with session.run(as_of=as_of) as run:
            _record(run, result.plan, snapshot)
            result.files = [run.write_after(invoices_dir / f"{s.file_stem}.pdf", pdfs[s.file_stem])
                            for s in to_render]
        result.restored = sorted({f"{s.file_stem}.pdf" for s in result.plan.restore})
        result.mail, result.email_note = _outbox(session.ledger, practice, as_of, invoices_dir,
                                                 outbox_dir, email_body)
        if mail_settings is not None:
            delivery.send_outbox(session.ledger, run.id, result.mail, mail_settings)
            _finish(session.ledger, run.id, result)
    return result


def mark_mailed(practice: Practice, *, as_of: dt.date) -> int:
    """Record that the statements of `as_of` that were not emailed went out by post today:
    from then on they count toward collections. How many were marked."""
    with command_session(practice, "invoices") as session, \
            session.run(as_of=as_of, command="mailed") as run:
        marked = ledger_statements.mark_mailed(run.tx, as_of, as_of)
        run.counts["mailed"] = marked
    return marked


def _record(run: Run, plan: Plan, snapshot: dt.datetime) -> None:
    """The run's new statements and counts (its one transaction)."""
    for statement in plan.new:
        ledger_statements.add_statement(
            run.tx, run.id, statement.recipient.account, statement.statement_date,
            statement.amount_due, statement.cycle_position, f"{statement.file_stem}.pdf",
            snapshot, statement.guarantor.key if statement.guarantor else None)
    run.counts.update({"statements": len(plan.new), "restored": len(plan.restore),
                       "already": len(plan.already), "not_due": len(plan.not_due),
                       "placed": len(plan.placed)})


def _finish(ledger: Ledger, run_id: int, result: InvoiceResult) -> None:
    with ledger.transaction() as tx:
        tx.finish_run(run_id, {"statements": len(result.plan.new),
                               "restored": len(result.plan.restore),
                               "sent": len(result.mail.sent), "failed": len(result.mail.failed)})


def _outbox(
    ledger: Ledger, practice: Practice, as_of: dt.date, invoices_dir: Path, outbox_dir: Path,
    email_body: jinja2.Template,
) -> tuple[MailReport, str | None]:
    config = practice.config
    if config.email is None:
        return MailReport(), "no [email] section in medsheets.toml: no statement emails prepared"
    if (problem := address_problem(config.email.from_address)) is not None:
        return MailReport(), f"[email] from {problem}: no statement emails prepared"
    with ledger.reading() as tx:
        records = current_statements(tx, as_of, config)
    return delivery.prepare_outbox(ledger, config, records, invoices_dir, outbox_dir,
                                   email_body, as_of), None


def _remove_stale_parts(*folders: Path) -> None:
    """Temporary files of a run killed while writing (files.atomic_path names them .*.part)."""
    for folder in folders:
        remove_stale_parts(folder)
