"""The statement email: one recipient, checked, a short body, the PDF attached.

A statement sent to the wrong person is a privacy breach, so the address is checked before a
message is made: it must be exactly one plain address (name@example.com). A comma or a
semicolon (a second address), a line break (a second header), a second @ or a space is
refused, with the reason, and the patient's account number so the front desk can fix the
encounter workbook it came from.

The body names no patient and carries no diagnosis, code or amount: those are in the PDF. The
message is built the same way every time for a statement (its Message-ID, Date and MIME
boundary come from the statement), so the .eml in out/outbox/ is what gets sent.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import hashlib
import re
from email.headerregistry import Address
from email.message import EmailMessage

ADDRESS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def address_problem(address: str | None) -> str | None:
    """Why `address` cannot be a statement's only recipient, in words; None if it can."""
    if address is None or not address.strip():
        return "is blank"
    text = address.strip()
    if "," in text:
        return "has a comma (more than one address?)"
    if ";" in text:
        return "has a semicolon (more than one address?)"
    if "\n" in text or "\r" in text:
        return "has a line break"
    if text.count("@") > 1:
        return "has more than one @"
    if "@" not in text:
        return "has no @"
    if any(c.isspace() for c in text):
        return "has a space"
    if not ADDRESS.match(text):
        return "is not a plain address like name@example.com"
    return None


def clean_address(address: str) -> str:
    """The checked address as it goes on the envelope; ValueError if it may not."""
    problem = address_problem(address)
    if problem is not None:
        raise ValueError(f"the address {problem}")
    return address.strip()


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def message_id(statement_id: int, statement_date: dt.date, from_address: str) -> str:
    """A Message-ID unique to the statement, the same every time it is built."""
    domain = from_address.rpartition("@")[2] or "medsheets.invalid"
    return f"<statement-{statement_id}-{statement_date:%Y%m%d}@{domain}>"


def build_message(
    *,
    practice_name: str,
    from_address: str,
    to_address: str,
    body: str,
    pdf: bytes,
    pdf_name: str,
    msg_id: str,
    written_at: dt.datetime,
    subject: str = "Your statement from {practice}",
) -> EmailMessage:
    """The email for one statement (or, with its own `subject`, another document for the
    patient); raises ValueError if either address is not a single one."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = Address(display_name=_one_line(practice_name),
                              addr_spec=clean_address(from_address))
    message["To"] = Address(addr_spec=clean_address(to_address))
    message["Subject"] = _one_line(subject.format(practice=practice_name))
    message["Date"] = email.utils.format_datetime(written_at.replace(tzinfo=dt.UTC))
    message["Message-ID"] = msg_id
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    message.set_boundary("==medsheets-" + hashlib.sha256(pdf).hexdigest()[:32])
    return message


def recipient_count(message: EmailMessage) -> int:
    """How many addresses the message would go to (To, Cc and Bcc together)."""
    fields = [str(v) for key in ("To", "Cc", "Bcc") for v in message.get_all(key, [])]
    return len(email.utils.getaddresses(fields))
