"""The X12 270 eligibility inquiry (005010X279A1): one question per patient and payer.

One transaction per payer (loop 2000A, the information source), the practice as the
information receiver (2000B, its NPI), and per inquiry a subscriber (2000C) and, when the
patient is not the subscriber, a dependent (2000D) under them. The person asked about carries
the TRN trace the payer echoes on its 271 (TRN*2), which is how the answer is matched to the
question, the date of the appointment (DTP*291) and one EQ per service type.

Every segment is checked against the declared grammar (x12/grammar/x270.py) as it is built,
like the 276 and the 837P; the shared envelope wraps the transactions. Names are cleaned for
X12 (`identifiers.x12_text`); IDs are sent as typed, after `identifiers.id_problem` judged them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from medsheets.identifiers import id_problem, x12_text
from medsheets.model import Person
from medsheets.x12.envelope import ControlNumbers, EnvelopeHeader, write_interchange
from medsheets.x12.errors import ClaimInputError
from medsheets.x12.grammar import X270, checked
from medsheets.x12.grammar.schema import HEADER

VERSION = "005010X279A1"
SEXES = frozenset({"M", "F", "U"})


@dataclass(frozen=True, slots=True)
class Inquiry:
    """One question to a payer: is `patient` (or the subscriber) covered on `date_of_service`
    for `service_types`. `dependent` is None when the patient is the subscriber."""

    trace: str  # TRN02, unique per inquiry: the 271 echoes it
    payer_id: str
    payer_name: str
    member_id: str
    group_number: str | None
    subscriber: Person
    dependent: Person | None
    date_of_service: dt.date
    service_types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Receiver270:
    """Who asks: the practice (loop 2100B) and the EIN behind its trace numbers (TRN03)."""

    name: str
    npi: str
    tax_id: str


def write_270(inquiries: Sequence[Inquiry], *, receiver: Receiver270, header: EnvelopeHeader,
              control: ControlNumbers, now: dt.datetime) -> str:
    """The 270 interchange text; one transaction per payer, in payer order.

    Raises ClaimInputError when an identifier cannot be sent (the checks should have said so).
    """
    for inquiry in inquiries:
        for name, value in (("member_id", inquiry.member_id), ("payer_id", inquiry.payer_id),
                            ("trace", inquiry.trace)):
            if (problem := id_problem(value)) is not None:
                raise ClaimInputError(f"inquiry {inquiry.trace}: {name} {problem}")
    ordered = sorted(inquiries, key=lambda i: i.payer_id)
    bodies = [list(_transaction(list(group), receiver, control, index, now))
              for index, (_, group) in enumerate(groupby(ordered, key=lambda i: i.payer_id))]
    return write_interchange(bodies, header=header, control=control, now=now)


def transactions_needed(inquiries: Sequence[Inquiry]) -> int:
    return len({i.payer_id for i in inquiries})


def envelope_header(sender_id: str, receiver_id: str, usage: str) -> EnvelopeHeader:
    return EnvelopeHeader(sender_id, receiver_id, usage, functional_id="HS",
                          transaction_type="270", version=VERSION)


def _transaction(inquiries: list[Inquiry], receiver: Receiver270, control: ControlNumbers,
                 index: int, now: dt.datetime) -> Iterator[str]:
    first = inquiries[0]
    reference = f"{control.interchange:09d}{index + 1:04d}"
    yield checked(X270, HEADER, "BHT", "0022", "13", reference, now.strftime("%Y%m%d"), now.strftime("%H%M"))
    yield checked(X270, "2000A", "HL", "1", "", "20", "1")
    yield checked(X270, "2100A", "NM1", "PR", "2", x12_text(first.payer_name, "NM103") or first.payer_id,
                  "", "", "", "", "PI", first.payer_id)
    yield checked(X270, "2000B", "HL", "2", "1", "21", "1")
    yield checked(X270, "2100B", "NM1", "1P", "2", x12_text(receiver.name, "NM103"), "", "", "", "",
                  "XX", receiver.npi)
    number = 2
    for inquiry in inquiries:
        subscriber_hl = number + 1
        has_dependent = inquiry.dependent is not None
        yield checked(X270, "2000C", "HL", str(subscriber_hl), "2", "22", "1" if has_dependent else "0")
        if not has_dependent:
            yield checked(X270, "2000C", "TRN", "1", inquiry.trace, "1" + receiver.tax_id)
        yield from _name("C", "IL", inquiry.subscriber, inquiry.member_id)
        if inquiry.group_number and id_problem(inquiry.group_number) is None:
            yield checked(X270, "2100C", "REF", "6P", inquiry.group_number)
        yield from _demographics("C", inquiry.subscriber)
        number = subscriber_hl
        patient = "C"
        if inquiry.dependent is not None:
            number += 1
            patient = "D"
            yield checked(X270, "2000D", "HL", str(number), str(subscriber_hl), "23", "0")
            yield checked(X270, "2000D", "TRN", "1", inquiry.trace, "1" + receiver.tax_id)
            yield from _name("D", "03", inquiry.dependent, None)
            yield from _demographics("D", inquiry.dependent)
        yield checked(X270, f"2100{patient}", "DTP", "291", "D8", inquiry.date_of_service.strftime("%Y%m%d"))
        for code in inquiry.service_types:
            yield checked(X270, f"2110{patient}", "EQ", code)


def _name(level: str, entity: str, person: Person, member_id: str | None) -> Iterator[str]:
    """NM1 of 2100C (the subscriber, with the member id) or 2100D (the dependent)."""
    last = x12_text(person.last_name, "NM103")
    first = x12_text(person.first_name, "NM104")
    if not last:
        raise ClaimInputError(f"NM1*{entity}: the last name has nothing X12 can carry")
    ids = ("MI", member_id) if member_id else ()
    yield checked(X270, f"2100{level}", "NM1", entity, "1", last, first, "", "", "", *ids)


def _demographics(level: str, person: Person) -> Iterator[str]:
    if person.dob is None:
        return
    sex = person.sex if person.sex in SEXES else ""
    yield checked(X270, f"2100{level}", "DMG", "D8", person.dob.strftime("%Y%m%d"), sex)
