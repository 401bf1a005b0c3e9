"""`medsheets followup`: ask about the claims nobody answered, and list every unpaid claim.

Holding the practice, in ONE ledger transaction: read every unpaid insurance claim with its
events, plan the worklist (plan.py), write one 276 for the claims to ask about, record it
(output_files, so an interrupted run's file is written by the next) and record a `276` event
per claim asked about, so the same claim is not asked again before another followup_days
period. After the commit, the 276 goes to `out/followup/` and the worklist to
`out/reports/followup-DATE.xlsx`, both atomically and owner-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.command import Kept, command_session
from medsheets.denials.sent import SentBatches
from medsheets.files import write_atomic
from medsheets.followup.plan import FollowupRow, plan_followup
from medsheets.followup.request276 import StatusInquiry, write_276
from medsheets.ledger import Transaction
from medsheets.ledger.denials import patient_records
from medsheets.ledger.events import ClaimEvent, add_event
from medsheets.practice import Practice
from medsheets.practice_files import load_codesets
from medsheets.workbook.followup_report import write_followup_report
from medsheets.x12.envelope import ControlNumbers

KIND, FOLDER = "276", "followup"
REQUESTS = Kept(KIND, FOLDER, write_atomic)  # a 276 is kept as its X12 text


@dataclass
class FollowupResult:
    """What one `followup` run did."""

    rows: list[FollowupRow] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # encounter ids in the 276
    request_file: Path | None = None
    report_file: Path | None = None
    restored_files: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """Follow-up holds nothing back: its findings are on the worklist."""
        return False


def follow_up(practice: Practice, *, as_of: dt.date, now: dt.datetime) -> FollowupResult:
    """Write the day's 276 requests and the follow-up worklist for `as_of`."""
    result = FollowupResult()
    codesets = load_codesets(practice).codesets
    payers, overrides = codesets.payers, codesets.status_codes
    with command_session(practice, "followup") as session:
        result.restored_files = session.restore(REQUESTS)
        with session.run(as_of=as_of) as run:
            tx = run.tx
            result.rows = plan_followup(tx.unpaid_insurance_claims(), payers, as_of, overrides,
                                        codesets.providers)
            inquiries = _inquiries(tx, [r for r in result.rows if r.ask])
            if inquiries:
                control = ControlNumbers(*tx.allocate_control_numbers(
                    len({i.payer_id for i in inquiries})))
                text = write_276(inquiries, config=practice.config, control=control, now=now)
                name = f"status-{now:%Y%m%d-%H%M%S}-{control.interchange:09d}.276"
                result.request_file = run.keep(REQUESTS, name, text)
                asked = {i.encounter_id for i in inquiries}
                for row in result.rows:
                    if row.claim.encounter_id in asked:
                        add_event(tx, run.id, ClaimEvent(
                            row.claim.claim_id, "276", "status_asked", as_of,
                            payer_id=row.claim.payer_id, detail={"file": name}))
                result.asked = sorted(asked)
            run.counts.update({"claims": len(result.rows), "asked": len(result.asked)})
    result.report_file = write_followup_report(
        practice.output_dir("reports") / f"followup-{as_of:%Y-%m-%d}.xlsx", result.rows, as_of)
    return result


def _inquiries(tx: Transaction, rows: list[FollowupRow]) -> list[StatusInquiry]:
    """What each 276 asks: who is insured as the 837 sent it, the patient from the ledger."""
    sent = SentBatches(tx)
    people = patient_records(tx, [r.claim.patient_id for r in rows])
    inquiries = []
    for row in rows:
        claim = row.claim
        record = sent.claim(claim.batch_id, claim.encounter_id)
        patient = people.get(claim.patient_id)
        if record is None or patient is None or not claim.member_id:
            continue  # nothing to ask with: the worklist still lists it
        lines = tx.claim_lines(claim.claim_id)
        days = [line.date_of_service for line in lines] or [claim.date_of_service]
        inquiries.append(StatusInquiry(
            claim.payer_id, record.payer_name, claim.encounter_id, claim.member_id,
            record.subscriber_name, None if record.relationship == "18" else record.patient_name,
            patient.person.dob, (patient.person.sex or "U").upper(), claim.charge,
            min(days), max(days), claim.payer_claim_number or ""))
    return inquiries
