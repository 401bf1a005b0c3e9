"""`medsheets eligibility APPTS…`: ask each payer, in one 270, whether the patients are covered.

One inquiry per insured patient and payer (the earliest appointment's date, every planned
service's type); self-pay appointments are not asked about. A question already asked (same
patient, payer, member id and date) is not sent again. The order of events is the one of
every recording command (medsheets/command.py): hold the practice, restore any recorded 270
whose file is missing, record the run, the file's text and its inquiries in ONE transaction,
and only after the commit write `out/eligibility/*.270` (atomically, owner-only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from medsheets.codes.service_types import service_types
from medsheets.command import command_session
from medsheets.eligibility.appointments import AppointmentBook, read_appointments
from medsheets.files import restore_files
from medsheets.ledger import Ledger, Transaction
from medsheets.ledger import eligibility as store
from medsheets.model import CodeSets, Encounter, Person, Problem
from medsheets.practice import Practice
from medsheets.practice_files import file_sha256, load_codesets
from medsheets.x12.envelope import ControlNumbers
from medsheets.x12.inquiry270 import (
    Inquiry,
    Receiver270,
    envelope_header,
    transactions_needed,
    write_270,
)

COMMAND = "eligibility"


@dataclass
class EligibilityResult:
    """What one `eligibility` run asked, skipped and held."""

    book: AppointmentBook = field(default_factory=AppointmentBook)
    asked: list[tuple[str, Inquiry]] = field(default_factory=list)  # (patient_id, inquiry)
    already_asked: list[str] = field(default_factory=list)  # appointment ids
    self_pay: list[str] = field(default_factory=list)
    file: Path | None = None
    restored: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.book.problems

    @property
    def has_errors(self) -> bool:
        return self.book.has_errors


def ask_eligibility(practice: Practice, paths: Sequence[Path], *, now: dt.datetime) -> EligibilityResult:
    """Write the 270 for the insured appointments of `paths`; see the module doc."""
    result = EligibilityResult()
    out_dir = practice.output_dir(COMMAND)
    codesets = load_codesets(practice).codesets
    inputs = [(path.name, file_sha256(path)) for path in paths]
    with command_session(practice, COMMAND) as session:
        result.restored = _restore(session.ledger, out_dir)
        with session.reading() as tx:
            known = tx.patient_profiles()
        result.book = read_appointments(
            paths, codesets, aliases=practice.config.columns, profiles=known,
            default_place_of_service=practice.config.practice.default_place_of_service)
        with session.run(inputs, as_of=now.date()) as run:
            wanted = _inquiries(result, codesets)
            asked = store.asked_before(run.tx, (_key(p, i) for p, i, _ in wanted))
            new = [(p, i, a) for p, i, a in wanted if _key(p, i) not in asked]
            result.already_asked = [a for p, i, a in wanted if _key(p, i) in asked]
            if new:
                control = ControlNumbers(*run.tx.allocate_control_numbers(
                    transactions_needed([i for _, i, _ in new])))
                traced = [(p, _traced(i, a, control), a) for p, i, a in new]
                text = write_270([i for _, i, _ in traced], receiver=_receiver(practice),
                                 header=envelope_header(practice.config.submitter.id,
                                                        practice.config.receiver.id,
                                                        practice.config.x12.usage),
                                 control=control, now=now)
                name = f"eligibility-{now:%Y%m%d-%H%M%S}-{control.interchange:09d}.270"
                _record(run.tx, run.id, name, control.interchange, text, traced)
                result.asked = [(p, i) for p, i, _ in traced]
                result.file = run.write_after(out_dir / name, text)
            run.counts.update({"asked": len(result.asked), "self_pay": len(result.self_pay),
                               "already_asked": len(result.already_asked),
                               "held": len(result.book.held)})
    return result


def _inquiries(result: EligibilityResult, codesets: CodeSets) -> list[tuple[str, Inquiry, str]]:
    """(patient_id, inquiry without its trace, appointment id): one per patient and payer,
    dated by the patient's earliest appointment and asking about every planned service."""
    by_pair: dict[tuple[str, str], list[Encounter]] = {}
    for visit in result.book.ready:
        if visit.is_self_pay:
            result.self_pay.append(visit.encounter_id)
            continue
        key = (visit.first.patient_id or "", visit.first.payer_id or "")
        by_pair.setdefault(key, []).append(visit)
    found = []
    for (patient_id, payer_id), visits in by_pair.items():
        visits.sort(key=lambda v: (v.first.date_of_service or dt.date.max, v.encounter_id))
        first = visits[0].first
        assert first.date_of_service is not None and first.member_id is not None  # checked
        subscriber, dependent = _people(first.patient, first.subscriber,
                                        first.subscriber_relationship)
        kinds = service_types(line.procedure_code for v in visits for line in v.lines)
        payer = codesets.payers[payer_id]
        found.append((patient_id, Inquiry("", payer_id, payer.name, first.member_id,
                                          first.group_number, subscriber, dependent,
                                          first.date_of_service, kinds), visits[0].encounter_id))
    return found


def _people(patient: Person, subscriber: Person | None, relationship: str,
            ) -> tuple[Person, Person | None]:
    """(the subscriber loop's person, the dependent's or None): the patient is the subscriber
    unless the relationship says otherwise."""
    if relationship == "self" or subscriber is None:
        return patient, None
    return subscriber, patient


def _key(patient_id: str, inquiry: Inquiry) -> tuple[str, str, str, dt.date]:
    return (patient_id, inquiry.payer_id, inquiry.member_id, inquiry.date_of_service)


def _traced(inquiry: Inquiry, appointment_id: str, control: ControlNumbers) -> Inquiry:
    """The inquiry with its TRN02: the appointment id and the interchange number, unique per
    run and readable when it comes back on the 271."""
    return replace(inquiry, trace=f"{appointment_id}-{control.interchange}")


def _receiver(practice: Practice) -> Receiver270:
    info = practice.config.practice
    return Receiver270(info.name, info.npi, info.tax_id)


def _record(tx: Transaction, run_id: int, name: str, interchange: int, text: str,
            traced: list[tuple[str, Inquiry, str]]) -> None:
    file_id = store.add_eligibility_file(tx, run_id, name, interchange, text)
    for patient_id, inquiry, appointment_id in traced:
        store.add_inquiry(tx, file_id, trace=inquiry.trace, appointment_id=appointment_id,
                          patient_id=patient_id, payer_id=inquiry.payer_id,
                          member_id=inquiry.member_id, date_of_service=inquiry.date_of_service,
                          service_types=inquiry.service_types)


def _restore(ledger: Ledger, out_dir: Path) -> list[str]:
    """Write out any recorded 270 whose file is missing (a run killed before its rename)."""
    with ledger.reading() as tx:
        missing = store.eligibility_files_missing(tx, out_dir)
    return restore_files(out_dir, missing)
