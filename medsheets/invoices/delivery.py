"""Statement emails: the outbox the practice reviews, and sending it, each statement once.

Every current statement document (the patients' latest, dated within due_days, not placed
with an agency; one per guarantor) whose guarantor has a usable address and that was not sent
yet gets an .eml in out/outbox/. `--send` delivers exactly those, one SMTP session for the run, and logs each in
email_log in its own small transaction:

    'sending' (committed before the message leaves) -> 'sent' or 'failed'

A 'failed' statement is sent again by the next run. One left at 'sending' (the run was killed
while the server had it) may or may not have arrived: it is reported and never sent again
automatically, because nothing may be sent twice. A sent message's .eml moves to
out/outbox/sent/.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path

import jinja2

from medsheets.config import Config
from medsheets.files import ensure_private_dir, write_atomic
from medsheets.guarantors import guarantors
from medsheets.invoices import compose, message, templates
from medsheets.invoices.smtp import Mailer, MailSettings, describe_failure
from medsheets.ledger import Ledger, Transaction, utc_now
from medsheets.ledger import statements as ledger_statements
from medsheets.ledger.accounts import standings
from medsheets.ledger.statements import StatementRecord
from medsheets.model import Problem, Source, error
from medsheets.money import to_cents


@dataclass(frozen=True)
class Outgoing:
    """A statement email ready to go: its record (the first of the document's: one per patient
    on it, `records`), its one recipient (the guarantor), the message, its file."""

    record: StatementRecord
    to_address: str
    message: EmailMessage
    eml: Path
    records: tuple[StatementRecord, ...] = ()

    @property
    def all_records(self) -> tuple[StatementRecord, ...]:
        return self.records or (self.record,)


@dataclass
class MailReport:
    """What the email side of a run found and did."""

    outbox: list[Outgoing] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    already_sent: int = 0
    no_email: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # accounts whose statement no longer matches


def prepare_outbox(
    ledger: Ledger, config: Config, records: list[StatementRecord], invoices_dir: Path,
    outbox_dir: Path, body_template: jinja2.Template, as_of: dt.date,
) -> MailReport:
    """Check each current statement's address (its guarantor's) and write its .eml if it is not
    there yet: one message per statement document, however many patients it covers.

    Only each account's newest statement, and only while its amount is still the balance on
    `as_of`: an older or stale statement's message is taken out of the outbox, never sent.
    """
    report = MailReport()
    latest: dict[str, StatementRecord] = {}
    for record in records:
        latest[record.patient_id] = record  # records are oldest first
    superseded = [r for r in records if latest[r.patient_id] is not r]
    with ledger.reading() as tx:
        placed = ledger_statements.placed_patients(tx)
        balances = standings(tx, as_of, list(latest))
        stale = [r for r in latest.values()
                 if to_cents(r.amount_due) != (balances[r.patient_id].balance
                                               if r.patient_id in balances else 0)]
        report.stale = sorted(r.patient_id for r in stale)
        chosen = [r for pid, r in sorted(latest.items()) if pid not in placed and r not in stale]
        logged = ledger_statements.email_outcomes(tx, [r.id for r in (*superseded, *stale)])
        withdrawn = [r for r in (*superseded, *stale) if "sent" not in logged[r.id]]
        by_file: dict[tuple[str, object], list[StatementRecord]] = {}
        for record in chosen:
            by_file.setdefault((record.file_name, record.statement_date), []).append(record)
        emails = _guarantor_emails(tx, by_file.values())
        outcomes = ledger_statements.email_outcomes(tx, [group[0].id for group in by_file.values()])
        for group in by_file.values():
            record = group[0]
            log = outcomes[record.id]
            address, column = emails.get(record.patient_id, (None, "patient_email"))
            if "sent" in log:
                report.already_sent += 1
            elif log and log[-1] == "sending":
                report.uncertain.append(record.patient_id)
            elif not address:
                report.no_email.append(record.patient_id)
            elif (problem := message.address_problem(address)) is not None:
                report.problems.append(_address_error(tx, record.patient_id, problem, column))
            elif (outgoing := _outgoing(config, record, address, invoices_dir, outbox_dir,
                                        body_template)) is not None:
                report.outbox.append(replace(outgoing, records=tuple(group)))
    for record in withdrawn:  # never sent: their messages must not be sent
        (outbox_dir / (Path(record.file_name).stem + ".eml")).unlink(missing_ok=True)
    for outgoing in report.outbox:
        if not outgoing.eml.exists():
            report.written.append(write_atomic(outgoing.eml, outgoing.message.as_bytes()))
    return report


def _guarantor_emails(tx: Transaction, groups: Iterable[list[StatementRecord]]
                      ) -> dict[str, tuple[str | None, str]]:
    """The email of each document's guarantor and the workbook column it came from
    (patient_email or guarantor_email), by the document's first patient."""
    found: dict[str, tuple[str | None, str]] = {}
    by_day: dict[object, list[str]] = {}
    for group in groups:
        by_day.setdefault(group[0].statement_date, []).append(group[0].patient_id)
    for day, ids in by_day.items():
        addressees = guarantors(tx, ids, day)  # type: ignore[arg-type]
        for pid in ids:
            chosen = addressees.get(pid)
            found[pid] = (chosen.email, chosen.email_column) if chosen else (None, "patient_email")
    return found


def _address_error(tx: Transaction, patient_id: str, problem: str,
                   column: str = "patient_email") -> Problem:
    """The address problem at the column the email came from (the guarantor's, when named)."""
    source_file = ledger_statements.latest_source_file(tx, patient_id)
    return error(
        Source(source_file or "patients", field=column), "MS-EMAIL-ADDRESS",
        f"account {patient_id}: the {column} {problem}; no statement email was prepared. "
        "Put one address like name@example.com in the next encounter workbook",
    )


def _outgoing(
    config: Config, record: StatementRecord, address: str, invoices_dir: Path, outbox_dir: Path,
    body_template: jinja2.Template,
) -> Outgoing | None:
    pdf_path = invoices_dir / record.file_name
    if not pdf_path.is_file() or config.email is None:
        return None
    email_settings = config.email
    body = templates.fill(body_template, compose.email_context(
        config.practice, record.statement_date, config.statements))
    built = message.build_message(
        practice_name=config.practice.name, from_address=email_settings.from_address,
        to_address=address, body=body, pdf=pdf_path.read_bytes(), pdf_name=record.file_name,
        msg_id=message.message_id(record.id, record.statement_date, email_settings.from_address),
        written_at=record.created_at,
    )
    eml = outbox_dir / (Path(record.file_name).stem + ".eml")
    return Outgoing(record, message.clean_address(address), built, eml)


def send_outbox(
    ledger: Ledger, run_id: int, report: MailReport, settings: MailSettings,
    mailer_factory: Callable[[MailSettings], Mailer] = Mailer,
) -> None:
    """Deliver every message of the outbox once, logging each step; failures are reported."""
    if not report.outbox:
        return
    try:
        session = mailer_factory(settings).__enter__()
    except (smtplib.SMTPException, OSError) as exc:  # no session: all failed, retried next run
        reason = describe_failure(exc)
        for outgoing in report.outbox:
            _log(ledger, run_id, outgoing, "failed", reason)
            report.failed.append((outgoing.record.patient_id, reason))
        return
    try:
        for outgoing in report.outbox:
            _send_one(ledger, run_id, session, outgoing, report)
    finally:
        session.__exit__(None, None, None)


def _send_one(ledger: Ledger, run_id: int, session: Mailer, outgoing: Outgoing,
              report: MailReport) -> None:
    if message.recipient_count(outgoing.message) != 1:
        raise AssertionError("a statement email has exactly one recipient")
    _log(ledger, run_id, outgoing, "sending")
    try:
        session.send(outgoing.message, outgoing.to_address)
    except (smtplib.SMTPException, OSError) as exc:
        reason = describe_failure(exc)
        _log(ledger, run_id, outgoing, "failed", reason)
        report.failed.append((outgoing.record.patient_id, reason))
        return
    _log(ledger, run_id, outgoing, "sent")
    report.sent.append(outgoing.record.patient_id)
    if outgoing.eml.exists():
        sent_dir = ensure_private_dir(outgoing.eml.parent / "sent")
        os.replace(outgoing.eml, sent_dir / outgoing.eml.name)


def _log(ledger: Ledger, run_id: int, outgoing: Outgoing, result: str,
         detail: str | None = None) -> None:
    """Log the step for every patient's statement the message carries (one transaction)."""
    with ledger.transaction() as tx:
        for record in outgoing.all_records:
            ledger_statements.log_email(tx, record.id, run_id, utc_now(),
                                        outgoing.message["Message-ID"], result, detail)
