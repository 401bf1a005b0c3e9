"""`medsheets resubmit WB`: do what the biller chose on the denial worklist, exactly once.

The order of every recording command (medsheets/command.py), for the same reason as
`medsheets claims`: a crash is harmless.

1. read the worklist (a file that is not one stops here, exit 2); hold the practice; write out
   any committed 837 whose file is missing;
2. in ONE ledger transaction: sort the rows into work per claim (plan.py), hold back every
   claim with an error on one of its rows, rebuild and check the corrections, write the 837 of
   the corrected and void claims and keep it as a batch, post the write-offs and transfers,
   record the corrections and voids and their claim events;
3. commit; only then write the 837 (and a paper rebill's PDFs) into out/claims (atomically,
   owner-only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from medsheets.command import command_session
from medsheets.denials.advice import BILL_PATIENT
from medsheets.denials.events import OpenDenial, denying_coverage, open_denials
from medsheets.denials.on_paper import PaperRebills, print_rebills
from medsheets.denials.plan import (
    ClaimWork,
    Plan,
    booked_reason,
    changed_without_action,
    plan_work,
)
from medsheets.denials.sending import Outgoing, prepare_claims, write_claims
from medsheets.ledger import Transaction
from medsheets.ledger import denials as posting
from medsheets.ledger.cob import coverages
from medsheets.ledger.denials import line_money
from medsheets.model import CodeSets, Problem, warning
from medsheets.paper.batch import PAPER
from medsheets.practice import Practice
from medsheets.practice_files import (
    file_sha256,
    load_codesets,
    restore_missing_batches,
)
from medsheets.workbook.worklist import EditedWorklist, read_worklist

Reason = tuple[str | None, str | None] | None  # (CAS group, reason code) typed on the worklist


@dataclass
class ResubmitResult:
    """What one `resubmit` run did, for the report."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)  # sent as frequency 7
    sent_again: list[str] = field(default_factory=list)  # rejected before, sent as frequency 1
    voided: list[str] = field(default_factory=list)  # frequency 8 sent
    voided_in_ledger: list[str] = field(default_factory=list)  # never on file with the payer
    # a secondary's claim its front end rejected, voided without an 837: (claim, payer, what
    # the patient owes on it now that the wait for that payer ended)
    secondary_ended: list[tuple[str, str, Decimal]] = field(default_factory=list)
    rebilled: list[tuple[str, str, str]] = field(default_factory=list)  # (claim, from, to payer)
    rebilled_on_paper: list[str] = field(default_factory=list)  # of those, printed on a CMS-1500
    noted: int = 0  # worklist notes kept
    written_off: list[tuple[str, int, Decimal]] = field(default_factory=list)
    billed_to_patient: list[tuple[str, int, Decimal]] = field(default_factory=list)
    done_before: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    batch_file: Path | None = None
    paper_files: list[Path] = field(default_factory=list)  # plain paper, red pre-printed form
    restored_files: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    @property
    def did_anything(self) -> bool:
        return bool(self.corrected or self.sent_again or self.voided or self.voided_in_ledger
                    or self.secondary_ended or self.written_off or self.billed_to_patient or self.rebilled or self.noted)


def resubmit_worklist(practice: Practice, path: Path, *, now: dt.datetime) -> ResubmitResult:
    """Act on every row of the edited worklist at `path` that is clean and not done before."""
    worklist = read_worklist(path)
    inputs = [(path.name, file_sha256(path))]
    codesets = load_codesets(practice).codesets
    claims_dir = practice.output_dir("claims")
    result = ResubmitResult(worklist.file, problems=list(worklist.problems))
    with command_session(practice, "resubmit") as session:
        folder = session.folder_id
        result.restored_files = restore_missing_batches(session.ledger, claims_dir, folder)
        result.restored_files += session.restore(PAPER)
        with session.run(inputs, as_of=now.date()) as run:
            text, batch_name, paper = _apply(run.tx, run.id, worklist, codesets, practice, now,
                                             result, folder)
            if text is not None and batch_name is not None:
                result.batch_file = run.write_after(claims_dir / batch_name, text)
            result.paper_files = paper.keep(run, claims_dir)
            run.counts.update(_counts(result))
    return result


def _apply(tx: Transaction, run_id: int, worklist: EditedWorklist, codesets: CodeSets,
           practice: Practice, now: dt.datetime, result: ResubmitResult,
           folder: str) -> tuple[str | None, str | None, PaperRebills]:
    """Everything the run records, inside its transaction; the 837 text and its file name,
    and the forms of the rebills to paper payers."""
    open_ = open_denials(tx)
    plan = plan_work(tx, worklist.edits, open_)
    result.problems += plan.problems
    result.problems += changed_without_action(tx, worklist.edits, result.problems)
    result.done_before, result.stale = plan.done_before, plan.stale
    reasons = {id(row): booked_reason(row, result.problems)
               for work in plan.work for row in work.line_rows}
    works = _not_held(plan, result)
    prepared = prepare_claims(tx, [w for w in works if w.action != "lines"], open_, codesets,
                              practice, now.date())
    result.problems += prepared.problems
    paper = print_rebills(prepared, codesets, practice, now, result.problems)
    written = write_claims(tx, prepared.outgoing, codesets, practice, now, result.problems)
    text = batch_name = None
    batch_id = None
    sent: list[Outgoing] = []
    if written is not None:
        text, control, sent = written
        batch_name = f"resubmit-{now:%Y%m%d-%H%M%S}-{control.interchange:09d}.837"
        batch_id = tx.add_batch(run_id, batch_name, (control.interchange, control.group,
                                                     control.first_transaction), text,
                                folder_id=folder)
    done = sent + [out for out in prepared.outgoing if not out.send]
    for out in sorted(done, key=lambda out: out.role != "void"):  # a rebill's void first
        _record_claim(tx, run_id, out, batch_id if out.send else None, worklist.file, now.date(),
                      result, paper.file_name if out.on_paper else None)
    result.noted = _record_notes(tx, run_id, worklist, open_, now.date())
    line_works = [w for w in works if w.action == "lines"]
    insurances = coverages(tx, [w.claim.id for w in line_works])
    for work in line_works:
        further = denying_coverage(work.claim, open_[work.claim.id], insurances.get(work.claim.id, {}))
        _record_lines(tx, run_id, work, reasons, now.date(), result,
                      further.coverage.payer_id if further else None)
    result.held = sorted(_claims_with_errors(worklist, result) - _acted(result) - set(result.done_before))
    return text, batch_name, paper


def _claims_with_errors(worklist: EditedWorklist, result: ResubmitResult) -> set[str]:
    bad_rows = {(p.source.sheet, p.source.row) for p in result.problems if p.is_error}
    return {edit.encounter_id for edit in worklist.edits if (edit.origin.sheet, edit.origin.row) in bad_rows}


def _not_held(plan: Plan, result: ResubmitResult) -> list[ClaimWork]:
    """The work whose rows carry no error (a claim with one is held back whole)."""
    bad_rows = {(p.source.file, p.source.sheet, p.source.row) for p in result.problems if p.is_error}
    return [work for work in plan.work
            if not any((row.origin.file, row.origin.sheet, row.origin.row) in bad_rows
                       for row in work.rows)]


def _record_claim(tx: Transaction, run_id: int, out: Outgoing, batch_id: int | None,
                  worklist: str, as_of: dt.date, result: ResubmitResult,
                  paper_file: str | None = None) -> None:
    claim, eid = out.work.claim, out.work.claim.encounter_id
    if out.secondary is not None:
        further = out.secondary
        posting.record_secondary_resubmission(
            tx, run_id, claim, payer_id=further.payer_id,
            payer_claim_number=out.payer_claim_number, rank=further.rank,
            frequency=out.frequency, batch_id=batch_id, as_of=as_of, worklist=worklist,
            coverage=further.coverage,
            diagnosed=(out.work.lines, out.encounter) if further.diagnosed else None)
        if batch_id is None:  # its front end rejected it: nothing on file to void
            money = line_money(tx, [line.id for line in out.work.lines]).values()
            owed = sum((found.patient_balance for found in money), Decimal("0.00"))
            result.secondary_ended.append((eid, further.payer_id, owed))
        else:
            (result.voided if out.frequency == "8" else result.corrected).append(eid)
    elif out.role == "rebill":
        assert batch_id is not None or paper_file
        posting.record_rebill(tx, run_id, claim, out.work.lines, out.encounter, batch_id=batch_id,
                              as_of=as_of, worklist=worklist, paper_file=paper_file)
        result.rebilled.append((eid, claim.payer_id or "", out.encounter.first.payer_id or ""))
        if paper_file:
            result.rebilled_on_paper.append(eid)
    elif out.work.action == "correct":
        posting.note_member(tx, claim, out.encounter)
        assert batch_id is not None
        posting.record_correction(tx, run_id, claim, out.work.lines, out.encounter, batch_id=batch_id,
                                  frequency=out.frequency, as_of=as_of, worklist=worklist)
        (result.corrected if out.frequency == "7" else result.sent_again).append(eid)
    else:
        posting.record_void(tx, run_id, claim, out.work.lines, batch_id=batch_id, as_of=as_of,
                            worklist=worklist)
        (result.voided if out.send else result.voided_in_ledger).append(eid)


def _record_lines(tx: Transaction, run_id: int, work: ClaimWork, reasons: Mapping[int, Reason],
                  as_of: dt.date, result: ResubmitResult, further_payer: str | None) -> None:
    """Each line row's write-off or transfer. Denied by a further payer, what is open on the
    line is the patient's share waiting for that payer (ledger/denials.py)."""
    by_number = {line.line_number: line for line in work.lines}
    money = line_money(tx, [line.id for line in work.lines])
    for row in work.line_rows:
        line = by_number[row.line_number]
        booked = reasons[id(row)]
        assert booked is not None  # a row whose reason is unusable has an error: held
        group, reason = booked
        amount = Decimal("0.00")
        if line.id in money:
            found = money[line.id]
            amount = found.patient_balance if further_payer else found.payer_balance
        to_patient = row.action == BILL_PATIENT
        if to_patient and group == "CO":
            result.problems.append(warning(row.origin.at("reason"), "MS-WL-CO-PATIENT",
                                           f"line {row.line_number} of claim {work.claim.encounter_id} "
                                           "was moved to the patient under a CO reason; CO means the "
                                           "contract bars billing the patient: check it"))
        posting.move_insurance_balance(tx, run_id, work.claim, line, max(amount, Decimal("0.00")),
                                       to_patient=to_patient, group=group, reason=reason, as_of=as_of,
                                       further_payer=further_payer)
        done = (work.claim.encounter_id, row.line_number, max(amount, Decimal("0.00")))
        (result.billed_to_patient if to_patient else result.written_off).append(done)


def _record_notes(tx: Transaction, run_id: int, worklist: EditedWorklist,
                  open_: Mapping[int, OpenDenial], as_of: dt.date) -> int:
    """Keep each row's note that is new or changed since the worklist was made."""
    kept = 0
    for edit in worklist.edits:
        note = (edit.note or "").strip()
        claim = tx.find_claim(edit.encounter_id) if note else None
        if claim is None:
            continue
        line = next((l for l in tx.claim_lines(claim.id) if l.line_number == edit.line_number), None)
        denial = open_.get(claim.id)
        if line is None or (denial is not None and denial.notes.get(line.id) == note):
            continue
        posting.record_note(tx, run_id, claim, line, note, as_of=as_of)
        kept += 1
    return kept


def _acted(result: ResubmitResult) -> set[str]:
    lines = {eid for eid, _, _ in result.written_off + result.billed_to_patient}
    rebilled = {eid for eid, _, _ in result.rebilled}
    ended = {eid for eid, _, _ in result.secondary_ended}
    return (set(result.corrected + result.sent_again + result.voided + result.voided_in_ledger)
            | lines | rebilled | ended)


def _counts(result: ResubmitResult) -> dict[str, int]:
    return {
        "corrected": len(result.corrected), "sent_again": len(result.sent_again),
        "voided": len(result.voided) + len(result.voided_in_ledger) + len(result.secondary_ended),
        "rebilled": len(result.rebilled), "notes": result.noted,
        "written_off": len(result.written_off), "billed_to_patient": len(result.billed_to_patient),
        "done_before": len(result.done_before), "stale": len(result.stale), "held": len(result.held),
    }
