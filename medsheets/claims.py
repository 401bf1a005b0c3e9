"""`medsheets claims`: bill the clean encounters of the day's workbooks, exactly once.

The order of events is what makes a crash harmless (medsheets/command.py keeps it):

1. hold the practice (one run at a time) and re-write any claim file, paper form or summary
   workbook the ledger has but `out/claims/` lacks (a run killed between its commit and its
   rename);
2. read and check the workbooks (against the patients the ledger knows, read without the
   write lock: nothing changes them while the practice is held), as `remit` reads its files;
3. in ONE ledger transaction: decide per encounter (new, already billed, changed since
   billed, held), write the 837 text, store it as a batch, record the claims, and keep the
   paper forms and the summary's rows with the run;
4. commit; only then write the 837, the PDFs and the summary workbook (atomically,
   owner-only).

Killed before 4, nothing happened; killed during 4, step 1 of the next run finishes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from pathlib import Path

from medsheets.billing_summary import SUMMARY, keep_summary
from medsheets.check import CheckResult
from medsheets.claims_intake import LineKey, check_in_order, repeated_line
from medsheets.cob.bill import CobClaim, plan_cob, record_cob_bills
from medsheets.codes.prepare import visit_profiles
from medsheets.command import command_session
from medsheets.ledger import Transaction
from medsheets.ledger.claims import NewClaim
from medsheets.ledger.events import ClaimEvent
from medsheets.model import CodeSets, Encounter, Problem, ServiceLine, error
from medsheets.paper.batch import PAPER, is_paper, keep_forms, paper_files, paper_forms
from medsheets.paper.form import ClaimForm
from medsheets.practice import Practice
from medsheets.practice_files import (
    file_sha256,
    load_codesets,
    restore_missing_batches,
)
from medsheets.progress import NO_PROGRESS, Progress
from medsheets.x12.claim837 import MAX_CLAIMS_PER_TRANSACTION, write_837p
from medsheets.x12.envelope import ControlNumbers
from medsheets.x12.errors import ClaimInputError


@dataclass
class BillingResult:
    """What one `claims` run did, for the report and the summary workbook."""

    checks: list[CheckResult] = field(default_factory=list)
    billed: list[Encounter] = field(default_factory=list)
    self_pay: list[Encounter] = field(default_factory=list)
    already_billed: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)  # changed since billed, duplicate ids
    secondary: list[CobClaim] = field(default_factory=list)  # COB claims to a further payer
    batch_file: Path | None = None
    summary_file: Path | None = None
    restored_files: list[str] = field(default_factory=list)
    on_paper: list[str] = field(default_factory=list)  # encounter ids billed on CMS-1500 forms
    paper_files: list[Path] = field(default_factory=list)

    cob_problems: list[Problem] = field(default_factory=list)  # secondaries that wait (warnings)

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.checks for p in c.problems] + self.refused + self.cob_problems

    @property
    def held(self) -> list[str]:
        return [eid for c in self.checks for eid in sorted(c.held)]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


NOT_FINGERPRINTED = frozenset({"origin", "guarantor", "from_ledger"})
BLANK = {"subscriber_relationship": "self"}  # what a blank cell reads as, where not None
FINGERPRINTED = tuple(f.name for f in fields(ServiceLine) if f.name not in NOT_FINGERPRINTED)
_FINGERPRINTED_VALUES = attrgetter(*FINGERPRINTED)
# json.dumps(..., sort_keys=True, default=str), its encoder made once rather than for every call
_fingerprint_json = json.JSONEncoder(sort_keys=True, default=str).encode


def fingerprint(encounter: Encounter) -> str:
    """sha256 of everything the encounter puts on a claim or in the ledger (not its row numbers),
    so that an encounter edited after billing is recognised as changed.

    What a blank cell took from the ledger's patient profile counts as blank: the profile may
    change later (a new address) without the workbook billed earlier having changed. Nor does
    the guarantor (statements only) count."""
    lines = []
    for line in encounter.lines:
        values = dict(zip(FINGERPRINTED, _FINGERPRINTED_VALUES(line)))
        for name in line.from_ledger:
            if name.startswith("patient."):
                values["patient"] = replace(values["patient"], **{name[len("patient."):]: None})
            elif name.startswith(("secondary.", "tertiary.")):
                coverage, blank = name.split(".", 1)
                values[coverage] = replace(values[coverage], **{blank: BLANK.get(blank)})
            else:
                values[name] = BLANK.get(name)
        if values["secondary"] is None:  # as before secondary insurance was read: same hash
            del values["secondary"]
        for name in ("secondary_ended", "tertiary", "tertiary_ended"):
            if not values[name]:  # as before a row could name or end it: same hash
                del values[name]
        lines.append(values)
    return hashlib.sha256(_fingerprint_json(lines).encode()).hexdigest()


def bill_workbooks(practice: Practice, paths: Sequence[Path], *, now: dt.datetime,
                  progress: Progress = NO_PROGRESS) -> BillingResult:
    """Check `paths`, bill every clean new encounter once, and every secondary insurance whose
    primary has adjudicated a claim (medsheets.cob); write the 837 and its summary."""
    result = BillingResult()
    claims_dir = practice.output_dir("claims")
    with command_session(practice, "claims") as session:
        folder = session.folder_id
        result.restored_files = restore_missing_batches(session.ledger, claims_dir, folder)
        result.restored_files += session.restore(PAPER, SUMMARY)
        codesets = load_codesets(practice)
        inputs = [(path.name, file_sha256(path)) for path in paths]
        with session.reading() as reader:
            result.checks = check_in_order(reader, paths, practice, codesets, now.date(), progress)
        with session.run(inputs, as_of=now.date()) as run:
            tx, run_id = run.tx, run.id
            new = _sort_encounters(tx, result)
            payers = codesets.codesets.payers
            on_paper = [e for e, _ in new if not e.is_self_pay and is_paper(e, payers)]
            insured = [e for e, _ in new if not e.is_self_pay and not is_paper(e, payers)]
            forms: list[ClaimForm] = []
            paper_name = ""
            if on_paper:
                forms, on_paper = paper_forms(on_paper, payers, practice.config, result.refused)
                if forms:
                    paper_name = f"claims-{now:%Y%m%d-%H%M%S}-cms1500.pdf"
            printed = {e.encounter_id for e in on_paper}
            new = [(e, f) for e, f in new if e.is_self_pay or e.encounter_id in printed
                   or not is_paper(e, payers)]
            cob = plan_cob(tx, payers)
            result.cob_problems = cob.problems
            line_numbers = {(e.encounter_id, i): line_control_number(e, i)
                            for e in insured for i in range(len(e.lines))}
            line_numbers.update({(c.encounter.encounter_id, i): number for c in cob.claims
                                 for i, number in enumerate(c.line_control_numbers)})
            batch_id = None
            text: str | None = None
            batch_name: str | None = None
            outgoing = insured + [c.encounter for c in cob.claims]
            if outgoing:
                control = ControlNumbers(*tx.allocate_control_numbers(_transactions(outgoing)))
                text, outgoing = _write_batch(outgoing, practice, codesets.codesets, control,
                                              now, line_numbers, result, cob.claims)
                writable = {e.encounter_id for e in outgoing} | printed
                new = [(e, f) for e, f in new if e.is_self_pay or e.encounter_id in writable]
                result.secondary = [c for c in cob.claims if c.encounter.encounter_id in writable]
            if text is not None:
                batch_name = f"claims-{now:%Y%m%d-%H%M%S}-{control.interchange:09d}.837"
                batch_id = tx.add_batch(run_id, batch_name, (control.interchange, control.group,
                                                             control.first_transaction), text,
                                        folder_id=folder)
                record_cob_bills(tx, run_id, batch_id, result.secondary)
                result.batch_file = run.write_after(claims_dir / batch_name, text)
            if forms:
                keep_forms(run, paper_name, forms)
                result.paper_files = paper_files(claims_dir, paper_name)
            tx.remember_profiles(visit_profiles(e.first for e, _ in new))
            claim_ids = tx.add_claims(run_id, [
                NewClaim(e, fingerprint(e), None if e.is_self_pay or e.encounter_id in printed
                         else batch_id, [line_control_number(e, i) for i in range(len(e.lines))],
                         source_file, on_paper=e.encounter_id in printed)
                for e, source_file in new
            ], billed_at=now)
            tx.add_new_claims_events(run_id, [
                ClaimEvent(claim_id, "paper", "billed", now.date(),
                           payer_id=encounter.first.payer_id, detail={"file": paper_name})
                for (encounter, _), claim_id in zip(new, claim_ids)
                if encounter.encounter_id in printed
            ])
            result.on_paper += [e.encounter_id for e, _ in new if e.encounter_id in printed]
            for encounter, _ in new:
                (result.self_pay if encounter.is_self_pay else result.billed).append(encounter)
            if result.billed or result.self_pay or result.secondary:
                result.summary_file = keep_summary(run, result, codesets.codesets.providers,
                                                   batch_name, now)
            run.counts.update({
                "billed": len(result.billed), "self_pay": len(result.self_pay),
                "already_billed": len(result.already_billed), "held": len(result.held),
                "refused": len(result.refused), "secondary": len(result.secondary),
            })
    return result


def line_control_number(encounter: Encounter, index: int) -> str:
    """REF*6R of a line: the encounter id and the 1-based line number, so the 835 can be
    matched line by line (at most 20 + 3 characters, well inside REF02's 50)."""
    return f"{encounter.encounter_id}-{index + 1}"


def _sort_encounters(tx: Transaction, result: BillingResult) -> list[tuple[Encounter, str]]:
    """The clean encounters not billed before; the rest counted as already billed or refused."""
    new: list[tuple[Encounter, str]] = []
    seen: dict[str, str] = {}
    lines_seen: dict[LineKey, str] = {}  # this run's lines -> their encounter id
    billed_before = tx.find_claims(e.encounter_id for c in result.checks for e in c.clean_encounters)
    for check in result.checks:
        for encounter in check.clean_encounters:
            eid = encounter.encounter_id
            where = encounter.first.origin.at("encounter_id")
            if eid in seen:
                result.refused.append(error(where, "MS-ENC-ID-REUSED",
                                            f"encounter {eid} is also in {seen[eid]}; give each visit its own encounter_id"))
                continue
            seen[eid] = check.file
            billed = billed_before.get(eid)
            if billed is None:
                if (repeat := repeated_line(encounter, lines_seen)) is not None:
                    result.refused.append(repeat)
                else:
                    new.append((encounter, check.file))
            elif billed.fingerprint == fingerprint(encounter):
                result.already_billed.append(eid)
            else:
                result.refused.append(error(
                    where, "MS-CLAIM-CHANGED",
                    f"encounter {eid} changed after it was billed; it was not billed again. Use "
                    "'medsheets resubmit' for a corrected claim"))
    return new


def _write_batch(
    insured: list[Encounter], practice: Practice, codesets: CodeSets,
    control: ControlNumbers, now: dt.datetime, line_numbers: Mapping[tuple[str, int], str],
    result: BillingResult, cob_claims: Sequence[CobClaim] = (),
) -> tuple[str | None, list[Encounter]]:
    """The 837 text for `insured` (and the COB claims among them). Should the writer refuse an
    encounter (data the checks let through), find which one by writing them singly, refuse
    those, and write the rest."""
    coordination = {c.encounter.encounter_id: c.coordination for c in cob_claims}
    resubmissions = {c.encounter.encounter_id: c.resubmission for c in cob_claims if c.resubmission}

    def write(encounters: list[Encounter]) -> str:
        return write_837p(encounters, party=practice.config.billing_party, payers=codesets.payers, control=control,
                          now=now, line_control_numbers=line_numbers, providers=codesets.providers,
                          coordination=coordination, resubmissions=resubmissions)

    try:
        return write(insured), insured
    except ClaimInputError:
        pass
    writable = []
    for encounter in insured:
        try:
            write([encounter])
            writable.append(encounter)
        except ClaimInputError as exc:
            result.refused.append(error(encounter.first.origin.at("encounter_id"), "MS-CLAIM-INPUT",
                                        str(exc)))
    return (write(writable) if writable else None), writable


def _transactions(insured: Sequence[Encounter]) -> int:
    per_payer: dict[str | None, int] = {}
    for encounter in insured:
        per_payer[encounter.first.payer_id] = per_payer.get(encounter.first.payer_id, 0) + 1
    return sum(-(-count // MAX_CLAIMS_PER_TRANSACTION) for count in per_payer.values())
