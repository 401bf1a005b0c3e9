"""`medsheets denials`: the worklist of every rejected or denied claim still waiting for work.

Reading only: the open denials (events.py), each claim's lines with their money, the patient,
the codes as sent (the claim's 837 in the ledger), and per line what to do and by when
(advice.py). The workbook is written by medsheets/workbook/worklist.py after the read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from medsheets.codes.reasons import parse_reason_codes
from medsheets.command import command_session
from medsheets.denials import advice
from medsheets.denials.events import OpenDenial, claim_number, denying_coverage, open_denials
from medsheets.denials.explanations import explain_denial
from medsheets.denials.sent import SentBatches, SentClaim
from medsheets.ledger import ClaimRow, LineRow, Transaction
from medsheets.ledger.cob import CoverageRow, coverages
from medsheets.ledger.denials import LineMoney, PatientRecord, line_money, patient_records
from medsheets.ledger.events import EventRow
from medsheets.model import CodeSets, provider_name
from medsheets.money import ZERO
from medsheets.practice import Practice
from medsheets.practice_files import load_codesets
from medsheets.workbook.worklist import WorklistRow, write_worklist

STATUS = {"rejected": "rejected", "denied": "denied", "line_denied": "line denied"}
NO_MONEY = LineMoney(ZERO, ZERO, ZERO, ZERO, ZERO)


@dataclass(frozen=True)
class WorklistResult:
    """What `medsheets denials` wrote: the rows, how many claims, and where."""

    rows: tuple[WorklistRow, ...]
    claims: int
    path: Path

    @property
    def has_errors(self) -> bool:
        return False  # a report: nothing is held back


def make_worklist(practice: Practice, out: Path | None, *, as_of: dt.date) -> WorklistResult:
    """Write the worklist to `out` (default out/reports/denials-YYYY-MM-DD.xlsx)."""
    target = out or practice.output_dir("reports") / f"denials-{as_of.isoformat()}.xlsx"
    codesets = load_codesets(practice).codesets
    with command_session(practice, "denials") as session, session.reading() as tx:
        rows = build_worklist(tx, codesets, as_of=as_of)
    write_worklist(target, rows)
    return WorklistResult(tuple(rows), len({row.encounter_id for row in rows}), target)


def build_worklist(tx: Transaction, codesets: CodeSets, *, as_of: dt.date) -> list[WorklistRow]:
    """Every line of every claim on the worklist, the most urgent first."""
    denials = open_denials(tx)
    claim_rows = tx.claims_by_id(denials.keys())
    lines = {claim_id: tx.claim_lines(claim_id) for claim_id in claim_rows}
    money = line_money(tx, [line.id for found in lines.values() for line in found])
    people = patient_records(tx, [claim.patient_id for claim in claim_rows.values()])
    sent = SentBatches(tx)
    insurances = coverages(tx, claim_rows)
    explanations = codesets.reason_codes
    rows: list[WorklistRow] = []
    for claim_id, claim in claim_rows.items():
        denial = denials[claim_id]
        rows += _claim_rows(claim, lines[claim_id], denial, money, people.get(claim.patient_id),
                            sent, codesets, explanations, as_of,
                            denying_coverage(claim, denial, insurances.get(claim_id, {})))
    return _most_urgent_first(rows)



def _claim_rows(
    claim: ClaimRow, lines: list[LineRow], denial: OpenDenial, money: Mapping[int, LineMoney],
    patient: PatientRecord | None, sent: SentBatches, codesets: CodeSets,
    explanations: Mapping[str, str], as_of: dt.date, further: CoverageRow | None,
) -> list[WorklistRow]:
    """The claim's lines; denied by a further insurance (`further`), they name that payer
    and its claim number (denials/secondary.py)."""
    as_sent = sent.of_claim(claim)
    diagnoses = as_sent.record.diagnoses if as_sent else ()
    fields = claim_fields(claim, as_sent, patient, further)
    notes = denial.notes
    payer_id = (further.coverage.payer_id if further else claim.payer_id) or ""
    payer = codesets.payers.get(payer_id)
    limit = payer.timely_filing_days if payer else None
    latest = denial.latest
    number = (claim_number(further, denial) if further
              else claim.payer_claim_number or latest.payer_claim_number)
    rows = []
    for line in lines:
        event = denial.lines.get(line.id)
        amounts = money.get(line.id, NO_MONEY)
        rows.append(WorklistRow(
            encounter_id=claim.encounter_id, line_number=line.line_number, ref=denial.ref,
            account=claim.patient_id, patient=patient.display_name if patient else "",
            rendering=provider_name(claim.rendering_npi, codesets.providers),
            payer_id=payer_id, payer_claim_number=number,
            date_of_service=line.date_of_service, denied_on=(event or latest).effective_date,
            status=STATUS.get(event.event, event.event) if event else "not denied",
            charge=amounts.charge, paid=amounts.paid, balance=amounts.balance,
            insurance_balance=amounts.payer_balance,
            procedure_code=line.procedure_code, modifiers=line.modifiers,
            diagnoses=tuple(diagnoses[p - 1] for p in line.diagnosis_pointers if 0 < p <= len(diagnoses)),
            units=line.units,
            **_what_to_do(event, claim, amounts, limit, explanations, as_of,
                          codesets.status_codes)._asdict(),
            claim_fields=fields, note=notes.get(line.id, ""),
        ))
    return rows


def claim_fields(claim: ClaimRow, sent: SentClaim | None, patient: PatientRecord | None,
                 further: CoverageRow | None = None) -> dict[str, Any]:
    """The worklist's claim columns as the claim was sent: payer, member, subscriber, patient,
    providers (blank where the ledger does not know); denied by a further insurance, that
    insurance's payer, member, group and subscriber, as its COB claim named them."""
    person = patient.person if patient else None
    subscriber = sent.subscriber if sent else None
    record = sent.record if sent else None
    fields = {
        "bill_payer": claim.payer_id, "member_id": claim.member_id,
        "group_number": sent.group_number if sent else None,
        "subscriber_relationship": sent.relationship if sent else None,
        "subscriber_last_name": subscriber.last_name if subscriber else None,
        "subscriber_first_name": subscriber.first_name if subscriber else None,
        "subscriber_dob": subscriber.dob if subscriber else None,
        "subscriber_sex": subscriber.sex if subscriber else None,
        "patient_last_name": person.last_name if person else None,
        "patient_first_name": person.first_name if person else None,
        "patient_dob": person.dob if person else None,
        "patient_sex": person.sex if person else None,
        "patient_address": person.address if person else None,
        "patient_city": person.city if person else None,
        "patient_state": person.state if person else None,
        "patient_zip": person.zip if person else None,
        "rendering_npi": (record.rendering_npi or None) if record else None,
        "referring_npi": (record.referring_npi or None) if record else None,
    }
    if further is not None:
        coverage, insured = further.coverage, further.coverage.subscriber
        fields.update({
            "bill_payer": coverage.payer_id, "member_id": coverage.member_id,
            "group_number": coverage.group_number,
            "subscriber_relationship": coverage.subscriber_relationship,
            "subscriber_last_name": insured.last_name if insured else None,
            "subscriber_first_name": insured.first_name if insured else None,
            "subscriber_dob": insured.dob if insured else None,
            "subscriber_sex": insured.sex if insured else None})
    return fields


class Guidance(NamedTuple):
    """The worklist columns that say why a line was denied and what to do by when."""

    reason_codes: str
    explanation: str
    suggested_action: str
    deadline: dt.date | None
    days_left: int | None
    reason: str


NOT_DENIED = Guidance("", "", "", None, None, "")


def _what_to_do(
    event: EventRow | None, claim: ClaimRow, amounts: LineMoney,
    limit: int | None, explanations: Mapping[str, str], as_of: dt.date,
    status_words: Mapping[str, str] | None = None,
) -> Guidance:
    """The reason, suggestion and deadline columns of one line (blank for a line not denied)."""
    if event is None:
        return NOT_DENIED
    codes = parse_reason_codes(event.reason_codes)
    tip = advice.suggest(event.event, codes, amounts.patient_balance, amounts.balance)
    last_day = advice.deadline(event.event, claim.date_of_service, event.effective_date, limit)
    booked = next((code for code in codes if code.group), None)
    return Guidance(
        reason_codes=event.reason_codes or "",
        explanation=explain_denial(codes, explanations, status_words or {},
                                   (event.detail or {}).get("text")),
        suggested_action=f"{tip.action}: {tip.text}" if tip.action else tip.text,
        deadline=last_day,
        days_left=(last_day - as_of).days if last_day else None,
        reason=str(booked) if booked else "",
    )


def _most_urgent_first(rows: list[WorklistRow]) -> list[WorklistRow]:
    """Claims by their nearest deadline (none last), each claim's lines together in order."""
    nearest: dict[str, dt.date] = {}
    for row in rows:
        if row.deadline is not None:
            nearest[row.encounter_id] = min(row.deadline, nearest.get(row.encounter_id, dt.date.max))
    return sorted(rows, key=lambda r: (nearest.get(r.encounter_id, dt.date.max), r.encounter_id,
                                       r.line_number))
