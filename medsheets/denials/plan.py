"""From an edited worklist to the work to do, claim by claim, and what cannot be done.

Rows are grouped by claim. `correct` and `void` act on the whole claim (a corrected claim
replaces every line of the one the payer has; a void cancels it all); `write off` and
`bill patient` act on their own line. A claim whose rows ask for both kinds is refused at the
cell. A row is only acted on while its claim is still open on the worklist for the same
denial (`ref`): the same worklist run again finds its work done and does nothing, and a
worklist older than the claim's latest denial is refused as stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medsheets.denials.advice import BILL_PATIENT, CORRECT, REBILL, VOID, WRITE_OFF
from medsheets.denials.events import OpenDenial
from medsheets.ledger import ClaimRow, LineRow, Transaction
from medsheets.ledger.events import line_settled_since
from medsheets.model import Problem, error, warning
from medsheets.workbook.worklist import WorklistEdit

CLAIM_ACTIONS = frozenset({CORRECT, VOID, REBILL})
_REASON = re.compile(r"^(?:(?P<group>CO|PR|OA|PI|CR)-?)?(?P<code>[A-Z0-9]{1,5})$")


@dataclass
class ClaimWork:
    """One claim to act on: the action (correct, void, or `lines` for per-line actions)."""

    claim: ClaimRow
    lines: list[LineRow]
    action: str
    rows: list[WorklistEdit]  # every worklist row of the claim, in row order
    line_rows: list[WorklistEdit] = field(default_factory=list)  # `lines`: the rows to act on

    @property
    def first(self) -> WorklistEdit:
        return next((row for row in self.rows if row.action), self.rows[0])


@dataclass
class Plan:
    work: list[ClaimWork] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    done_before: list[str] = field(default_factory=list)  # claims (or lines) already worked
    stale: list[str] = field(default_factory=list)


def plan_work(tx: Transaction, edits: list[WorklistEdit], open_: dict[int, OpenDenial]) -> Plan:
    """Sort the worklist's rows into work per claim, with a problem at each cell that is wrong."""
    plan = Plan()
    by_claim: dict[str, list[WorklistEdit]] = {}
    for edit in edits:
        by_claim.setdefault(edit.encounter_id, []).append(edit)
    for encounter_id, rows in by_claim.items():
        if not any(row.action for row in rows):
            continue
        work = _claim_work(tx, encounter_id, rows, open_, plan)
        if work is not None:
            plan.work.append(work)
    return plan


def _claim_work(tx: Transaction, encounter_id: str, rows: list[WorklistEdit],
                open_: dict[int, OpenDenial], plan: Plan) -> ClaimWork | None:
    acting = [row for row in rows if row.action]
    claim = tx.find_claim(encounter_id)
    if claim is None:
        plan.problems.append(error(acting[0].origin.at("encounter_id"), "MS-WL-UNKNOWN-CLAIM",
                                   f"claim {encounter_id} is not in the ledger; keep the worklist's "
                                   "encounter_id as written"))
        return None
    lines = tx.claim_lines(claim.id)
    numbers = {line.line_number for line in lines}
    bad = [row for row in rows if row.line_number not in numbers]
    for row in bad:
        plan.problems.append(error(row.origin.at("line"), "MS-WL-UNKNOWN-LINE",
                                   f"claim {encounter_id} has no line {row.line_number}; keep the "
                                   "worklist's line numbers as written"))
    actions = {row.action for row in acting if row.action}
    if len(actions & CLAIM_ACTIONS) > 1 or (actions & CLAIM_ACTIONS and actions - CLAIM_ACTIONS):
        plan.problems.append(error(acting[-1].origin.at("action"), "MS-WL-CONFLICT",
                                   f"claim {encounter_id} has actions {', '.join(sorted(actions))}: "
                                   "correct, void and rebill act on the whole claim, so choose one "
                                   "alone, or write off / bill patient line by line"))
        return None
    if bad:
        return None
    denial = open_.get(claim.id)
    if denial is None:
        plan.done_before.append(encounter_id)
        return None
    if any(row.ref != denial.ref for row in acting):
        plan.stale.append(encounter_id)
        plan.problems.append(warning(acting[0].origin.at("ref"), "MS-WL-STALE",
                                     f"claim {encounter_id} has a newer answer from the payer than "
                                     "this worklist shows; nothing was done: make a new worklist "
                                     "with 'medsheets denials'"))
        return None
    action = next(iter(actions)) if actions <= CLAIM_ACTIONS else "lines"
    work = ClaimWork(claim, lines, action, rows)
    if action == "lines":
        work.line_rows = _open_line_rows(tx, work, denial, plan)
        if not work.line_rows:
            return None
    return work


def _open_line_rows(tx: Transaction, work: ClaimWork, denial: OpenDenial, plan: Plan) -> list[WorklistEdit]:
    """The rows whose line is still open; lines settled already are skipped, others refused."""
    by_number = {line.line_number: line for line in work.lines}
    chosen = []
    for row in (row for row in work.rows if row.action in (WRITE_OFF, BILL_PATIENT)):
        line = by_number[row.line_number]
        if line.id in denial.lines:
            chosen.append(row)
        elif line_settled_since(tx, line.id, denial.ref):
            plan.done_before.append(f"{work.claim.encounter_id} line {row.line_number}")
        else:
            plan.problems.append(error(row.origin.at("action"), "MS-WL-NOT-DENIED",
                                       f"line {row.line_number} of claim {work.claim.encounter_id} "
                                       "was not denied; write off and bill patient apply to denied "
                                       "lines (correct or void act on the whole claim)"))
    return chosen



def booked_reason(row: WorklistEdit, problems: list[Problem]) -> tuple[str | None, str | None] | None:
    """(group, reason code) typed in the row's reason cell, e.g. CO-29; None if unusable."""
    if not row.reason:
        return (None, None)
    match = _REASON.match(row.reason)
    if match is None:
        problems.append(error(row.origin.at("reason"), "MS-WL-REASON",
                              f"reason '{row.reason}' is not a reason code like CO-29, PR-1 or 45; "
                              "fix it or leave it blank"))
        return None
    return match["group"], match["code"]


def changed_without_action(tx: Transaction, edits: list[WorklistEdit], problems: list[Problem]) -> list[Problem]:
    """Warnings for claims whose codes were changed on the worklist but given no action."""
    flagged = {(p.source.sheet, p.source.row) for p in problems if p.is_error}
    acted = {edit.encounter_id for edit in edits if edit.action}
    found = []
    lines_of: dict[str, dict[int, LineRow]] = {}
    for edit in edits:
        if edit.encounter_id in acted or (edit.origin.sheet, edit.origin.row) in flagged:
            continue
        if edit.encounter_id not in lines_of:
            claim = tx.find_claim(edit.encounter_id)
            lines_of[edit.encounter_id] = ({line.line_number: line for line in tx.claim_lines(claim.id)}
                                           if claim else {})
        line = lines_of[edit.encounter_id].get(edit.line_number)
        if line is None:
            continue
        for column, typed, billed in (("procedure_code", edit.procedure_code, line.procedure_code),
                                      ("modifiers", edit.modifiers, line.modifiers),
                                      ("units", edit.units, line.units)):
            if typed != billed and not (column == "units" and typed is None):
                found.append(warning(edit.origin.at(column), "MS-WL-NO-ACTION",
                                     f"claim {edit.encounter_id} line {edit.line_number} was changed "
                                     "but has no action, so nothing was sent; choose 'correct' to "
                                     "send the change"))
                break
    return found
