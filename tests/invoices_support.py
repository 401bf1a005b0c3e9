"""Builders for the invoices tests (no tests here): billed practices, adjudications, PDF text.

`billed_example` bills the example practice once per test session (billing checks every code,
which takes seconds) and each test gets its own copy. `adjudicate` then posts for each insured
line what an 835 would, exactly as docs/posting.md says: the payer's payment (reference = the
trace number), a CO-45 contractual adjustment, and the patient's part as a PR transfer with
reason 1 (deductible), 2 (coinsurance) or 3 (copay).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from clock import EXAMPLE_AS_OF, NOW
from pypdf import PdfReader

from medsheets.claims import bill_workbooks
from medsheets.cli import cli
from medsheets.ledger import ClaimStatus, JournalEntry, Kind, Ledger, Party
from medsheets.ledger.schema import claim_lines, claims, journal
from medsheets.model import Encounter, Origin, Person, ServiceLine
from medsheets.practice import Practice, open_practice

CENT = Decimal("0.01")
TRACE = "EFT20261130001"
_billed: dict[str, Path] = {}


def billed_example(factory: pytest.TempPathFactory) -> Path:
    """A practice folder made by `medsheets init` whose two example days are billed (cached)."""
    if "example" not in _billed:
        folder = factory.mktemp("invoices-billed") / "practice"
        result = CliRunner().invoke(cli, ["init", str(folder), "--as-of", EXAMPLE_AS_OF.isoformat()])
        assert result.exit_code == 0, result.output
        practice = open_practice(folder)
        workbooks = sorted(practice.encounters_dir.glob("*.xlsx"))
        billed = bill_workbooks(practice, workbooks, now=NOW)
        assert billed.billed and billed.self_pay and not billed.has_errors
        _billed["example"] = folder
    return _billed["example"]


def copy_of(folder: Path, tmp_path: Path) -> Practice:
    target = tmp_path / "practice"
    shutil.copytree(folder, target)
    return open_practice(target)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def adjudicate(practice: Practice, paid_on: dt.date) -> dict[str, Decimal]:
    """Post a payer's answer on every insured claim; the PR reason rotates by claim: copay (3)
    where one was collected, else deductible (1) or coinsurance (2). Returns PR total by patient."""
    ledger = Ledger.open(practice.db_url)
    owed: dict[str, Decimal] = {}
    with ledger.transaction() as tx:
        run_id = tx.start_run("remit", [("payer.835", "cd" * 32)])
        insured = tx.conn.execute(
            sa.select(claims.c.id, claims.c.patient_id, claims.c.payer_id)
            .where(claims.c.payer_id.is_not(None)).order_by(claims.c.id)
        ).all()
        for number, claim in enumerate(insured):
            copay = _copay(tx.conn, claim.id)
            for index, line in enumerate(tx.claim_lines(claim.id)):
                reason, patient = _patient_part(number, index, line.charge, copay)
                allowed = _cents(line.charge * Decimal("0.80"))
                patient = min(patient, allowed)
                entries = [
                    JournalEntry(run_id, Kind.PAYMENT, Party.PAYER, allowed - patient,
                                 claim_line_id=line.id, payer_id=claim.payer_id,
                                 reference=TRACE, effective_date=paid_on),
                    JournalEntry(run_id, Kind.ADJUSTMENT, Party.PAYER, line.charge - allowed,
                                 claim_line_id=line.id, payer_id=claim.payer_id,
                                 group_code="CO", reason_code="45", effective_date=paid_on),
                ]
                if patient:
                    entries.append(JournalEntry(
                        run_id, Kind.TRANSFER, Party.PATIENT, patient, claim_line_id=line.id,
                        payer_id=claim.payer_id, group_code="PR", reason_code=reason,
                        effective_date=paid_on))
                    owed[claim.patient_id] = owed.get(claim.patient_id, Decimal("0.00")) + patient
                tx.post(entries)
            tx.set_claim_status(claim.id, ClaimStatus.PAID, payer_claim_number=f"PCN{claim.id}")
        tx.finish_run(run_id, {"claims": len(insured)})
    ledger.close()
    return owed


def _copay(conn: sa.Connection, claim_id: int) -> Decimal:
    cents = conn.execute(
        sa.select(sa.func.sum(journal.c.amount_cents))
        .where(journal.c.claim_id == claim_id, journal.c.reference == "copay")
    ).scalar()
    return Decimal(int(cents or 0)) / 100


def _patient_part(number: int, index: int, charge: Decimal, copay: Decimal) -> tuple[str, Decimal]:
    if copay:
        return "3", copay if index == 0 else Decimal("0.00")
    if number % 2 == 0:
        return "1", Decimal("40.00") if index == 0 else Decimal("0.00")
    return "2", _cents(charge * Decimal("0.80") * Decimal("0.20"))


def post(practice: Practice, *entries: JournalEntry) -> None:
    """Post entries in a run of their own (entries name run_id 0: replaced here)."""
    ledger = Ledger.open(practice.db_url)
    with ledger.transaction() as tx:
        run_id = tx.start_run("payments", [])
        tx.post([replace(entry, run_id=run_id) for entry in entries])
        tx.finish_run(run_id, {})
    ledger.close()


def self_pay_visit(
    practice: Practice, patient_id: str, person: Person, *, email: str | None,
    day: dt.date, charge: str = "150.00", code: str = "99213",
) -> int:
    """Bill one self-pay visit for a patient of our own making; the claim id."""
    encounter_id = f"V{patient_id}{day:%m%d}"[:20]
    line = ServiceLine(
        origin=Origin("day.xlsx", "Encounters", 2, {}), encounter_id=encounter_id,
        date_of_service=day, patient_id=patient_id, patient=person, patient_email=email,
        patient_phone=None, payer_id=None, member_id=None, group_number=None,
        subscriber_relationship="self", subscriber=None, procedure_code=code, modifiers=(),
        units=1, charge=Decimal(charge), diagnoses=("Z0000",), place_of_service="11",
        rendering_npi=None, referring_npi=None, referring_name=None, prior_auth=None,
        copay_collected=None,
    )
    ledger = Ledger.open(practice.db_url)
    with ledger.transaction() as tx:
        run_id = tx.start_run("claims", [("day.xlsx", "ef" * 32)])
        tx.upsert_patient(patient_id, person, email, None)
        claim_id = tx.add_claim(Encounter(encounter_id, (line,)), fingerprint="f" * 64,
                                run_id=run_id, batch_id=None,
                                line_control_numbers=[f"{encounter_id}-1"],
                                source_file="day.xlsx")
        tx.finish_run(run_id, {})
    ledger.close()
    return claim_id


def first_line_id(practice: Practice, claim_id: int) -> int:
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        line_id = tx.conn.execute(
            sa.select(claim_lines.c.id).where(claim_lines.c.claim_id == claim_id)
        ).scalar_one()
    ledger.close()
    return int(line_id)


def patient_balances(practice: Practice) -> dict[str, Decimal]:
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        balances = tx.patient_balances()
    ledger.close()
    return balances


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)


MONEY = re.compile(r"\$([0-9,]+\.[0-9]{2})( CR)?")


def amounts(text: str) -> list[Decimal]:
    """Every $ amount in a text, credits negative."""
    found = []
    for digits, credit in MONEY.findall(text):
        value = Decimal(digits.replace(",", ""))
        found.append(-value if credit else value)
    return found


def amount_due(text: str) -> Decimal:
    """The amount due a statement prints (on the stub and under the activity table), checked to
    be printed the same everywhere."""
    printed = re.findall(r"Amount due +\$([0-9,]+\.[0-9]{2})", text)
    found = {Decimal(m.replace(",", "")) for m in printed}
    assert len(found) == 1, f"amounts due printed: {found}"
    return found.pop()


# ---- email: the practice's [email] settings, certificates, a real SMTP server on 127.0.0.1 ----

def set_email(root: Path, **values: object) -> Practice:
    """Rewrite medsheets.toml's [email] section with `values` (TOML key = value)."""
    config = root / "medsheets.toml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("[email]"), text.index("[columns]")
    lines = ["[email]"] + [f"{key} = {_toml(value)}" for key, value in values.items()]
    config.write_text(text[:start] + "\n".join(lines) + "\n\n" + text[end:], encoding="utf-8")
    return open_practice(root)


def _toml(value: object) -> str:
    return str(value) if isinstance(value, int) else '"' + str(value).replace('"', '\\"') + '"'


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate (its own authority) for 127.0.0.1 and localhost: (cert, key)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "medsheets test mail server")])
    # The TLS stack checks the certificate against the machine's clock, so it must be valid
    # then; nothing the tests assert depends on this date.
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "mail-ca.pem", folder / "mail-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Inbox:
    """An aiosmtpd handler that keeps what it is given (or refuses every recipient)."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], bytes, bool]] = []  # recipients, data, over TLS

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        over_tls = server.transport.get_extra_info("ssl_object") is not None
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content), over_tls))
        return "250 Message accepted"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def smtp_server(inbox: Inbox, *, tls: str | None = None, cert: tuple[Path, Path] | None = None,
                password: str | None = None) -> Iterator[int]:
    """A real SMTP server on 127.0.0.1 (plain, STARTTLS or SSL); yields its port."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    kwargs: dict[str, object] = {}
    if tls is not None:
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        if tls == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            kwargs.update(ssl_context=context)
    if password is not None:
        def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
            return AuthResult(success=auth_data.password == password.encode())

        kwargs.update(authenticator=check, auth_required=True)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
