"""`medsheets benefits FILE…`: read the payers' 271 answers into the ledger, each file once.

Each person answered for is matched to the inquiry that asked (by the TRN trace the 270 sent,
else by payer and member id), read into `Terms` (status, plan dates, copay, coinsurance,
deductible and out-of-pocket remaining) and recorded with its account, so that `estimate`,
the claim check and the statements can use it. The front desk's problems (inactive coverage,
member unknown, another payer primary, a different payer answering) are warnings on the
terminal. A file already read (same content) changes nothing. All files of a run are
recorded in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.benefits.explain import front_desk_problems
from medsheets.benefits.terms import Terms, answers_of, terms_of
from medsheets.command import command_session
from medsheets.errors import BadFileError
from medsheets.files import read_input
from medsheets.ledger import Transaction
from medsheets.ledger import eligibility as store
from medsheets.ledger.eligibility import InquiryRow
from medsheets.model import Problem, Source
from medsheets.practice import Practice
from medsheets.x12.reader import read_x12
from medsheets.x12.response271 import MemberResponse, read_271

COMMAND = "benefits"


@dataclass(frozen=True)
class Answer:
    """One person's answer as recorded: whose (account, appointment) and what it says."""

    file: str
    patient_id: str | None
    appointment_id: str | None
    payer_id: str
    terms: Terms


@dataclass
class BenefitsResult:
    """What one `benefits` run read."""

    answers: list[Answer] = field(default_factory=list)
    already_read: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def read_benefit_files(practice: Practice, paths: Sequence[Path], *, as_of: dt.date) -> BenefitsResult:
    """Record the 271 answers of `paths` as received on `today`; see the module doc."""
    loaded = [(path.name, read_input(path)) for path in paths]
    parsed = [(name, hashlib.sha256(data).hexdigest(), _members(name, data)) for name, data in loaded]
    result = BenefitsResult()
    with command_session(practice, COMMAND) as session, \
            session.run([(name, sha) for name, sha, _ in parsed], as_of=as_of) as run:
        for name, sha, members in parsed:
            if store.benefits_file_seen(run.tx, sha):
                result.already_read.append(name)
                continue
            traced = store.inquiries_by_trace(run.tx, (m.trace for m in members if m.trace))
            for member in members:
                _record(run.tx, run.id, name, sha, member, traced, as_of, result)
        run.counts.update({"answers": len(result.answers),
                           "already_read": len(result.already_read)})
    return result


def _members(name: str, data: bytes) -> list[MemberResponse]:
    """Every person answered for in the file; a file holding no 271 is refused (exit 2)."""
    members: list[MemberResponse] = []
    found = False
    for interchange in read_x12(data, name):
        for transaction in interchange.transactions():
            if transaction.type != "271":
                continue
            found = True
            members.extend(read_271(transaction, len(members)))
    if not found:
        raise BadFileError(f"{name}: holds no X12 271 eligibility response; "
                           "'medsheets benefits' reads only 271 files")
    return members


def _record(tx: Transaction, run_id: int, name: str, sha: str, member: MemberResponse,
            traced: Mapping[str, InquiryRow], as_of: dt.date, result: BenefitsResult) -> None:
    inquiry = traced.get(member.trace) if member.trace else None
    if inquiry is None:
        inquiry = store.latest_inquiry_for_member(tx, member.payer_id, member.member_id)
    terms = terms_of(member)
    day = inquiry.date_of_service if inquiry else None
    payer_id = inquiry.payer_id if inquiry else member.payer_id
    who = (f"account {inquiry.patient_id}, appointment {inquiry.appointment_id}" if inquiry
           else f"an answer matching no inquiry (trace {member.trace or 'none'})")
    source = Source(name)
    result.problems.extend(front_desk_problems(
        source, who, terms, day=day, asked_payer=inquiry.payer_id if inquiry else None,
        answering_payer=member.payer_id))
    store.add_benefits(
        tx, run_id, file_name=name, content_sha256=sha, position=member.position,
        inquiry_id=inquiry.id if inquiry else None, trace=member.trace,
        patient_id=inquiry.patient_id if inquiry else None, payer_id=payer_id,
        member_id=member.member_id or None, status=terms.status, plan_begin=terms.plan_begin,
        plan_end=terms.plan_end, date_of_service=day, received_on=as_of, detail=terms.as_json())
    result.answers.append(Answer(name, inquiry.patient_id if inquiry else None,
                                 inquiry.appointment_id if inquiry else None, payer_id, terms))


def coverage_answers(tx: Transaction, *, as_of: dt.date,
                     patient_ids: Sequence[str] | None = None) -> dict[tuple[str, str], Terms]:
    """The latest answer per (patient_id, payer_id) received on or before `as_of`, as Terms."""
    return answers_of(store.latest_benefits(tx, as_of=as_of, patient_ids=patient_ids))
