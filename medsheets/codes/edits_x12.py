"""Line edits for what the 837 itself can carry, so the claim writer never refuses a clean line.

An insured line becomes X12 text: IDs are sent exactly as typed, so an ID holding a delimiter
or a character a claim cannot carry must be retyped; names and addresses are cleaned to the X12
character set, so one with nothing left after cleaning (a name typed only in another script)
must be written in Latin letters. Self-pay lines never reach an 837 and are not checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.sieve import Sieve
from medsheets.identifiers import id_problem, text_problem
from medsheets.model import Person, Problem, ServiceLine, error

TextFields = tuple[tuple[str, str, str], ...]  # (column, Person attribute, X12 element)
ID_FIELDS = ("encounter_id", "member_id", "group_number", "prior_auth")
_ids = attrgetter(*ID_FIELDS)
# Required text on the claim and the element it fills (for the element's limits).
PATIENT_TEXT = (("patient_last_name", "last_name", "NM103"), ("patient_first_name", "first_name", "NM104"),
                ("patient_address", "address", "N301"), ("patient_city", "city", "N401"))
SUBSCRIBER_TEXT = (("subscriber_last_name", "last_name", "NM103"),
                   ("subscriber_first_name", "first_name", "NM104"))


def check_claim_text(line: ServiceLine, ctx: EditContext) -> Found:
    """IDs sendable as typed; names and addresses sendable once cleaned; referring named."""
    if line.payer_id is None:
        return NO_PROBLEMS
    found: list[Problem] = []
    for name, value in zip(ID_FIELDS, _ids(line)):
        if why := _id_problem(value):
            found.append(error(line.origin.at(name), "MS-X12-ID", f"{name} {why}"))
    if not _member_id_long_enough(line.member_id):
        found.append(error(line.origin.at("member_id"), "MS-X12-ID",
                           "member_id is shorter than the 2 characters a claim needs; copy it "
                           "from the insurance card"))
    people = [(line.patient, PATIENT_TEXT)]
    if line.subscriber is not None:
        people.append((line.subscriber, SUBSCRIBER_TEXT))
    found += text_problems(line, people)
    if not _referring_named(_referring(line)):
        found.append(error(line.origin.at("referring_name"), "MS-REFERRING-NAME",
                           f"referring_npi {line.referring_npi} is not in the Providers sheet; "
                           "type the referring provider's name (Last, First) in referring_name, "
                           "or add the provider to the Providers sheet of codesets.xlsx"))
    return found or NO_PROBLEMS


def _id_problem(value: str | None) -> str | None:
    # letters and digits alone are always sendable: most IDs, decided without a look-up
    if value is None or (value.isalnum() and value.isascii()):
        return None
    return id_problem(value)


def _id_sendable(value: str | None) -> bool:
    return not _id_problem(value)


def _member_id_long_enough(member_id: str | None) -> bool:
    return member_id is None or len(member_id) >= 2


_referring = attrgetter("referring_npi", "referring_name")


def _referring_named(referring: tuple[str | None, str | None]) -> bool:
    npi, name = referring
    return not npi or bool(name)


def _text_fills(element: str) -> Callable[[str | None], bool]:
    return lambda value: value is None or not text_problem(value, element)


def _text_sendable(fields: TextFields) -> Callable[[Person | None], bool]:
    def sendable(person: Person | None) -> bool:
        return person is None or not any(
            (value := getattr(person, attribute)) is not None and text_problem(value, element)
            for _, attribute, element in fields)
    return sendable


# Self-pay lines are flagged too (the edit itself passes them): the tests need no payer. The
# patient's cells are judged one column each (many patients, few distinct names); the
# subscriber as one record shared by the lines of the same insured (or none).
CLAIM_TEXT_SIEVE = Sieve(
    values=(*((attrgetter(name), _id_sendable) for name in ID_FIELDS),
            (attrgetter("member_id"), _member_id_long_enough), (_referring, _referring_named),
            *((attrgetter(f"patient.{attribute}"), _text_fills(element))
              for _, attribute, element in PATIENT_TEXT)),
    records=((attrgetter("subscriber"), _text_sendable(SUBSCRIBER_TEXT)),),
)


def text_problems(line: ServiceLine, people: Sequence[tuple[Person, TextFields]]) -> list[Problem]:
    """Names and addresses with nothing a claim can carry once cleaned, at their cells."""
    found = []
    for person, fields in people:
        for column, attribute, element in fields:
            value = getattr(person, attribute)
            if value is not None and (why := text_problem(value, element)):
                found.append(error(line.origin.at(column), "MS-X12-TEXT", f"{column} {why}"))
    return found
