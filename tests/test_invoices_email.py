"""Statement emails: one checked recipient, the outbox, and SMTP delivery to a real server on
127.0.0.1 (plain, STARTTLS and SSL with a self-signed certificate), each statement once."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from clock import TODAY
from invoices_support import (
    Inbox,
    self_pay_visit,
    self_signed_certificate,
    set_email,
    smtp_server,
)

from medsheets.invoices import produce_statements
from medsheets.invoices.message import address_problem
from medsheets.ledger import Ledger
from medsheets.ledger.schema import email_log, statements
from medsheets.model import Person
from medsheets.practice import Practice, open_practice

PERSON = Person("Okafor", "Ngozi", dt.date(1961, 3, 4), "F", "12 Birch Ln", "Springfield",
                "IL", "62704")
ADDRESS = "ngozi.okafor@example.com"
FROM = "billing@maplestreet.example"


@pytest.mark.parametrize("address, reason", [
    ("a@example.com, b@example.com", "has a comma"),
    ("a@example.com;b@example.com", "has a semicolon"),
    ("a@example.com\r\nBcc: x@evil.example", "has a line break"),
    ("a@b@example.com", "has more than one @"),
    ("a b@example.com", "has a space"),
    ("no-at-sign.example.com", "has no @"),
    ("<a@example.com>", "is not a plain address"),
    ("", "is blank"),
])
def test_an_address_that_is_not_exactly_one_is_refused(address: str, reason: str) -> None:
    problem = address_problem(address)
    assert problem is not None and problem.startswith(reason)


@pytest.mark.parametrize("address", ["ngozi.okafor@example.com", "o'brien+bills@mail.example.org"])
def test_a_plain_address_is_accepted(address: str) -> None:
    assert address_problem(address) is None


def _practice(
    practice_dir: Path, email_address: str | None = ADDRESS, **settings: object
) -> Practice:
    values = {"host": "127.0.0.1", "port": 25, "security": "plain", "from": FROM, **settings}
    practice = set_email(practice_dir, **values)
    self_pay_visit(practice, "700001", PERSON, email=email_address, day=TODAY)
    return practice


def _log(practice: Practice) -> list[tuple[str, str | None]]:
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        rows = tx.conn.execute(sa.select(email_log.c.result, email_log.c.detail)
                               .order_by(email_log.c.id)).all()
    ledger.close()
    return [(row.result, row.detail) for row in rows]


def test_the_outbox_message_has_one_recipient_a_bare_body_and_the_pdf(practice_dir: Path) -> None:
    practice = _practice(practice_dir)
    result = produce_statements(practice, as_of=TODAY)
    (eml,) = result.mail.written
    assert eml.name == f"statement-700001-{TODAY.isoformat()}.eml"
    assert stat.S_IMODE(os.stat(eml).st_mode) == 0o600
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.SMTP)
    assert message.get_all("To") == [ADDRESS] and message.get_all("Cc") is None
    body = message.get_body(("plain",)).get_content()
    for private in ("Okafor", "Ngozi", "150.00", "99213", "700001"):
        assert private not in body and private not in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    pdf = practice.out_dir / "invoices" / f"statement-700001-{TODAY.isoformat()}.pdf"
    assert attachment.get_content() == pdf.read_bytes()
    # The same statement makes the same message, byte for byte.
    written = eml.read_bytes()
    eml.unlink()
    produce_statements(practice, as_of=TODAY)
    assert eml.read_bytes() == written


def test_a_bad_address_is_reported_on_the_patient_email_and_no_message_made(
    practice_dir: Path, invoke
) -> None:
    _practice(practice_dir, "ngozi@example.com, someone.else@example.com")
    result = invoke("invoices", "--practice", practice_dir)
    assert result.exit_code == 1
    assert ("day.xlsx: MS-EMAIL-ADDRESS account 700001: the patient_email has a comma "
            "(more than one address?); no statement email was prepared") in result.output
    assert "someone.else" not in result.output and "Okafor" not in result.output
    assert not list((practice_dir / "out" / "outbox").glob("*.eml"))
    assert list((practice_dir / "out" / "invoices").glob("*.pdf"))


def test_send_delivers_each_statement_once_and_logs_it(practice_dir: Path, invoke) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        practice = _practice(practice_dir, port=port)
        first = invoke("invoices", "--send", "--practice", practice.root)
        again = invoke("invoices", "--send", "--practice", practice.root)
    assert first.exit_code == 0 and "sent: 1 statement email" in first.output
    assert again.exit_code == 0 and "nothing to send" in again.output
    ((recipients, data, _),) = inbox.messages
    assert recipients == [ADDRESS] and b"application/pdf" in data
    assert [result for result, _ in _log(practice)] == ["sending", "sent"]
    outbox = practice.out_dir / "outbox"
    assert not list(outbox.glob("*.eml")) and len(list((outbox / "sent").glob("*.eml"))) == 1


def test_a_failed_send_is_reported_left_unsent_and_retried(practice_dir: Path, invoke) -> None:
    with smtp_server(Inbox(refuse=True)) as port:
        practice = _practice(practice_dir, port=port)
        failed = invoke("invoices", "--send", "--practice", practice.root)
    assert failed.exit_code == 1
    assert ("not sent: account 700001: the server refused the recipient (SMTP 550); the next "
            "run tries again") in failed.output
    assert _log(practice)[-1] == ("failed", "the server refused the recipient (SMTP 550)")
    inbox = Inbox()
    with smtp_server(inbox) as port:
        practice = set_email(practice.root, host="127.0.0.1", port=port, security="plain",
                             **{"from": FROM})
        retried = invoke("invoices", "--send", "--practice", practice.root)
    assert retried.exit_code == 0 and len(inbox.messages) == 1
    assert [r for r, _ in _log(practice)] == ["sending", "failed", "sending", "sent"]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_a_self_signed_certificate_needs_the_practice_ca_file(
    practice_dir: Path, tmp_path: Path, invoke, security: str
) -> None:
    cert = self_signed_certificate(tmp_path)
    inbox = Inbox()
    with smtp_server(inbox, tls=security, cert=cert) as port:
        practice = _practice(practice_dir, port=port, security=security)
        refused = invoke("invoices", "--send", "--practice", practice.root)
        assert refused.exit_code == 1 and not inbox.messages
        assert "the server's certificate could not be verified (TLS)" in refused.output
        trusted = set_email(practice.root, host="127.0.0.1", port=port, security=security,
                            ca_file=str(cert[0]), **{"from": FROM})
        sent = invoke("invoices", "--send", "--practice", trusted.root)
    assert sent.exit_code == 0, sent.output
    ((recipients, _, over_tls),) = inbox.messages
    assert recipients == [ADDRESS] and over_tls


def test_the_password_comes_from_the_environment_only(
    practice_dir: Path, tmp_path: Path, invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert = self_signed_certificate(tmp_path)
    inbox = Inbox()
    monkeypatch.delenv("MEDSHEETS_SMTP_PASSWORD", raising=False)
    with smtp_server(inbox, tls="starttls", cert=cert, password="s3cret") as port:
        practice = _practice(practice_dir, port=port, security="starttls", ca_file=str(cert[0]),
                             username="billing")
        missing = invoke("invoices", "--send", "--practice", practice.root)
        assert missing.exit_code == 2
        assert "put it in the environment variable MEDSHEETS_SMTP_PASSWORD" in missing.stderr
        monkeypatch.setenv("MEDSHEETS_SMTP_PASSWORD", "s3cret")
        sent = invoke("invoices", "--send", "--practice", practice.root)
    assert sent.exit_code == 0, sent.output
    assert len(inbox.messages) == 1


def test_plain_smtp_to_another_host_is_refused_before_anything_runs(
    practice_dir: Path, invoke
) -> None:
    practice = _practice(practice_dir, host="smtp.example.com", port=25)
    result = invoke("invoices", "--send", "--practice", practice.root)
    assert result.exit_code == 2
    assert "security = \"plain\" is allowed only for a loopback host" in result.stderr
    assert not list((practice.out_dir / "invoices").glob("*.pdf"))


def test_a_send_interrupted_after_it_started_is_never_repeated(practice_dir: Path, invoke) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        practice = _practice(practice_dir, port=port)
        produce_statements(practice, as_of=TODAY)
        ledger = Ledger.open(practice.db_url)
        with ledger.transaction() as tx:  # as if killed after 'sending' was committed
            statement_id, run_id = tx.conn.execute(
                sa.select(statements.c.id, statements.c.run_id)).one()
            tx.conn.execute(email_log.insert().values(
                statement_id=statement_id, run_id=run_id, attempted_at=dt.datetime(2026, 11, 27, 11, 0),
                message_id="<x@y>", result="sending"))
        ledger.close()
        result = invoke("invoices", "--send", "--practice", practice.root)
    assert result.exit_code == 0 and not inbox.messages
    assert "account 700001: an earlier run stopped while sending its statement" in result.output
    assert open_practice(practice.root).root == practice.root
