"""`medsheets acks`: read 999 and 277CA files and mark each claim accepted or rejected, once;
read 277 claim-status responses and record the payer's status of each claim (for follow-up).

An acknowledgment of a COB claim (the batch it answers carried the claim to a secondary,
ledger/cob.py `sent_to_further_payer`) is recorded under that payer: the claim event names
the secondary, and the claim row (status, acceptance, number), which is the primary's, stays.

The pattern of claims.py: every file is read and checked before the practice is held (a
damaged file stops the command with one line and changes nothing); then, holding the practice,
ONE ledger transaction records the run, every verdict (claim_events row, claims.status,
claims.accepted_at on first acceptance, the payer's claim number) and each file read
(ack_files, by content hash). A file read before is recognised by its hash and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.acks.ack277 import StatusReport, read_277_status, read_277ca
from medsheets.acks.ack999 import GroupAck, read_999
from medsheets.acks.batches import batch_of_reference
from medsheets.acks.judge import Verdict, judge_277, judge_999, judge_claim_status
from medsheets.command import command_session
from medsheets.errors import BadFileError
from medsheets.files import read_input
from medsheets.ledger import ClaimStatus, Transaction
from medsheets.ledger.acks import ack_file_read, add_ack_file
from medsheets.ledger.cob import (
    CoverageRow,
    coverages,
    sent_to_further_payer,
    set_coverage_claim_number,
)
from medsheets.ledger.events import (
    ClaimEvent,
    add_event,
    fit_reason_codes,
    move_status,
    note_acceptance,
)
from medsheets.model import Problem, Source, error
from medsheets.practice import Practice
from medsheets.x12.classify import classify_x12_text
from medsheets.x12.reader import read_x12

X214 = "005010X214"  # 277CA claim acknowledgment
X212 = "005010X212"  # 277 claim-status response (to our 276)
ELSEWHERE = {"835": "a remittance (835); post it with 'medsheets remit'",
             "837": "a claim batch (837), not an answer to one",
             "TA1": "an interchange acknowledgment (TA1) only; it says nothing about claims"}


@dataclass(frozen=True)
class AckFile:
    """An acknowledgment file read and parsed: its name, hash, kind and contents."""

    name: str
    sha256: str
    kind: str  # 999 or 277CA
    groups: tuple[GroupAck, ...] = ()
    reports: tuple[StatusReport, ...] = ()
    statuses: tuple[StatusReport, ...] = ()  # 277 claim-status responses (005010X212)


@dataclass(frozen=True)
class Outcome:
    """What was recorded for one claim (for the report): `new` is False when already known,
    `status_kept` when the claim was adjudicated already and kept its status."""

    file: str
    encounter_id: str
    source: str
    event: str
    reason_codes: str
    explanation: str
    new: bool = True
    status_kept: bool = False


@dataclass
class AckResult:
    """What one `acks` run did."""

    read: list[str] = field(default_factory=list)
    already_read: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    accepted_sets: int = 0
    problems: list[Problem] = field(default_factory=list)

    def of(self, event: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.event == event and o.new]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def load_ack_file(path: Path) -> AckFile:
    """Read and parse one 999 or 277CA file; BadFileError for anything else."""
    data = read_input(path)
    kind = classify_x12_text(data, path.name)
    if kind not in ("999", "277"):
        what = ELSEWHERE.get(kind, f"an X12 {kind} transaction")
        raise BadFileError(f"{path.name}: is {what}; 'medsheets acks' reads 999 and 277CA files")
    interchanges = read_x12(data, path.name)
    groups, reports, statuses = [], [], []
    for interchange in interchanges:
        for transaction in interchange.transactions():
            if transaction.type == "999":
                groups.append(read_999(interchange, transaction))
            elif transaction.type == "277" and transaction.version.startswith(X214):
                reports.append(read_277ca(transaction))
            elif transaction.type == "277" and transaction.version.startswith(X212):
                statuses.append(read_277_status(transaction))
            else:
                raise BadFileError(f"{path.name}: transaction {transaction.control_number} is a "
                                   f"{transaction.type} ({transaction.version}), not a 999, a "
                                   f"277CA ({X214}) or a 277 ({X212}); give acknowledgment "
                                   "files only")
    kind = "999" if groups else "277CA" if reports else "277"
    return AckFile(path.name, hashlib.sha256(data).hexdigest(), kind, tuple(groups),
                   tuple(reports), tuple(statuses))


def read_acknowledgments(practice: Practice, paths: list[Path], *, as_of: dt.date) -> AckResult:
    """Record what the acknowledgment files at `paths` say about our claims."""
    files = [load_ack_file(path) for path in paths]
    result = AckResult()
    with command_session(practice, "acks") as session, \
            session.run([(f.name, f.sha256) for f in files], as_of=as_of) as run:
        for ack in files:
            _one_file(run.tx, run.id, ack, as_of, result)
        run.counts.update({
            "files": len(result.read), "already_read": len(result.already_read),
            "accepted": len(result.of("accepted")), "rejected": len(result.of("rejected")),
            "unmatched": len(result.problems),
        })
    return result


def _one_file(tx: Transaction, run_id: int, ack: AckFile, as_of: dt.date, result: AckResult) -> None:
    if ack_file_read(tx, ack.sha256):
        result.already_read.append(ack.name)
        return
    verdicts: list[Verdict] = []
    problems: list[Problem] = []
    for group in ack.groups:
        found, unmatched, accepted = judge_999(tx, group, ack.name, as_of)
        verdicts += found
        problems += unmatched
        result.accepted_sets += accepted
    for report in ack.reports:
        verdicts += judge_277(report, as_of)
    for report in ack.statuses:
        verdicts += judge_claim_status(report, as_of)
    before = len(result.outcomes)
    for verdict in verdicts:
        outcome = _record(tx, run_id, verdict, ack.name)
        if outcome is None:
            problems.append(error(Source(ack.name), "MS-ACK-UNKNOWN-CLAIM",
                                  f"{verdict.source} names claim {verdict.encounter_id}, which "
                                  "medsheets never billed; check it is this practice's file"))
        else:
            result.outcomes.append(outcome)
    mine = result.outcomes[before:]
    add_ack_file(tx, run_id, ack.kind, ack.name, ack.sha256,
                 {"accepted": sum(o.event == "accepted" for o in mine),
                  "rejected": sum(o.event == "rejected" for o in mine),
                  "unmatched": len(problems)})
    result.problems += problems
    result.read.append(ack.name)


def _record(tx: Transaction, run_id: int, verdict: Verdict, file: str) -> Outcome | None:
    """The verdict as a claim event, status and acceptance date; None for an unknown claim."""
    claim = tx.find_claim(verdict.encounter_id)
    if claim is None:
        return None
    reasons = fit_reason_codes(verdict.reason_codes)
    further = _further_coverage(tx, claim.id, verdict)
    event = ClaimEvent(
        claim.id, verdict.source, verdict.event, verdict.effective_date, reasons,
        payer_id=further.coverage.payer_id if further else claim.payer_id,
        payer_claim_number=verdict.payer_claim_number or None, detail=verdict.detail,
    )
    new = add_event(tx, run_id, event)
    status = ClaimStatus.ACCEPTED if verdict.event == "accepted" else ClaimStatus.REJECTED
    kept = False
    if further is not None:  # the secondary's claim: the primary's row stays as it is
        if new and verdict.payer_claim_number and not further.payer_claim_number:
            set_coverage_claim_number(tx, claim.id, further.rank, verdict.payer_claim_number)
    elif verdict.source == "277":  # the payer's status, for the follow-up: no status change
        if new and verdict.payer_claim_number and not claim.payer_claim_number:
            move_status(tx, claim, ClaimStatus(claim.status), verdict.payer_claim_number,
                        only_if_open=False)
    elif new:
        kept = not move_status(tx, claim, status, verdict.payer_claim_number or None)
        if verdict.event == "accepted":
            note_acceptance(tx, claim.id, verdict.effective_date)
    return Outcome(file, verdict.encounter_id, verdict.source, verdict.event, reasons,
                   verdict.explanation, new, kept)


def _further_coverage(tx: Transaction, claim_id: int, verdict: Verdict) -> CoverageRow | None:
    """The further insurance whose COB claim this acknowledgment answers (None: the claim's
    own payer): found by the batch it answers, never by CLM01, which both claims share."""
    batch_id = verdict.batch_id
    if batch_id is None and verdict.source == "277CA":
        batch_id = batch_of_reference(tx, str(verdict.detail.get("batch_reference") or ""))
    rank = None if batch_id is None else sent_to_further_payer(tx, claim_id, batch_id)
    return None if rank is None else coverages(tx, [claim_id]).get(claim_id, {}).get(rank)
