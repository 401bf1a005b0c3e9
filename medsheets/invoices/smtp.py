"""Delivering statement emails through the practice's SMTP server, encrypted and verified.

- `starttls` (port 587) or `ssl` (port 465): the server's certificate is verified with
  `ssl.create_default_context()` (the system's authorities and the host name), plus the
  practice's own authority if [email] ca_file names one (relative to the practice folder). A
  server that does not offer STARTTLS is refused, never fallen back from.
- `plain` only to a loopback host (127.0.0.1, ::1, localhost), for a relay on the same machine.
- The password is read from the environment variable named by [email] password_env, never
  from medsheets.toml.

Settings are checked before anything is sent, and a mistake stops the command (exit 2). What
goes wrong while sending is the caller's to log: `describe_failure` words it without the
server's text, which may repeat the recipient's address.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Self

from medsheets.config import EmailSettings
from medsheets.errors import ConfigError
from medsheets.invoices.message import address_problem

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class MailSettings:
    """[email] checked and completed: the password found, the CA file resolved."""

    host: str
    port: int
    security: str
    username: str
    password: str
    from_address: str
    ca_file: Path | None


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_settings(settings: EmailSettings | None, environ: Mapping[str, str],
                   practice_root: Path) -> MailSettings:
    """[email] ready to send with, or ConfigError saying what to change."""
    if settings is None:
        raise ConfigError("medsheets.toml has no [email] section; add one to send statements")
    if settings.security == "plain" and not is_loopback(settings.host):
        raise ConfigError(
            f"medsheets.toml: [email] security = \"plain\" is allowed only for a loopback host "
            f"(127.0.0.1, ::1, localhost), not {settings.host}; use starttls or ssl"
        )
    problem = address_problem(settings.from_address)
    if problem is not None:
        raise ConfigError(f"medsheets.toml: [email] from {problem}; give the practice's address")
    password = ""
    if settings.username:
        password = environ.get(settings.password_env, "")
        if not password:
            raise ConfigError(
                f"the SMTP password is not set: put it in the environment variable "
                f"{settings.password_env} ([email] password_env)"
            )
    ca_file = None
    if settings.ca_file:
        ca_file = Path(settings.ca_file)
        ca_file = ca_file if ca_file.is_absolute() else practice_root / ca_file
        if not ca_file.is_file():
            raise ConfigError(f"medsheets.toml: [email] ca_file {ca_file}: no such file")
        tls_context(ca_file)  # a file that is not a certificate stops the command here
    return MailSettings(settings.host, settings.port, settings.security, settings.username,
                        password, settings.from_address.strip(), ca_file)


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """Certificate and host name verified; the practice's authority trusted too if given."""
    context = ssl.create_default_context()
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(ca_file))
        except (ssl.SSLError, OSError) as exc:
            raise ConfigError(f"[email] ca_file {ca_file}: not a PEM certificate ({exc})") from None
    return context


class Mailer:
    """One SMTP session for a run: `with Mailer(settings) as mailer: mailer.send(message)`."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        s = self.settings
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS,
                                                  context=tls_context(s.ca_file))
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=tls_context(s.ca_file))
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return self

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Hand one message for exactly one recipient to the server; raise if it is refused."""
        assert self._smtp is not None, "use Mailer as a context manager"
        refused = self._smtp.send_message(message, from_addr=self.settings.from_address,
                                          to_addrs=[recipient])
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def describe_failure(exc: BaseException) -> str:
    """What went wrong, for the log and the terminal: the error's kind and SMTP code only."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "the server's certificate could not be verified (TLS); check [email] ca_file"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "the server does not offer STARTTLS"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in exc.recipients.values()})
        return f"the server refused the recipient (SMTP {', '.join(codes)})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"the server refused the user name or password (SMTP {exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server answered {exc.smtp_code} ({type(exc).__name__})"
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return f"cannot reach the mail server ({type(exc).__name__})"
    return type(exc).__name__
