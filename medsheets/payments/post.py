"""`medsheets payments`: post patient payments and paper EOBs from workbooks, each reference once.

The order of every recording command (medsheets/command.py): the workbooks are read before the
practice is held (a file that is not a payments workbook stops the command with one line);
then, holding the practice, ONE ledger transaction checks every row, posts each clean reference (a payment_imports row, its
journal entries, their journal_sources links, and for an EOB the claim events and status), and
records the run. A reference posted before with the same content is "already posted"; with
different content it is an error on its cell. Rows with errors hold back their reference.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from medsheets.cob.paper import Stated, keep_eob_adjudications, stated_adjudication
from medsheets.command import command_session
from medsheets.ledger import ClaimStatus, JournalEntry, Transaction
from medsheets.ledger.events import add_event
from medsheets.ledger.payments import (
    add_import,
    find_import,
    line_patient_shares,
    line_payer_shares,
    link_entries,
)
from medsheets.model import Problem, error
from medsheets.money import ZERO
from medsheets.payments.apply import applied, apply_credits
from medsheets.payments.groups import EOB, PATIENT, REFUND, RefGroup, group_rows, rows_with_errors
from medsheets.payments.match import LedgerLookup, MatchedEob, match_eob_row, match_patient_row
from medsheets.payments.plan import eob_plan, patient_entries
from medsheets.payments.plans import record_plans
from medsheets.payments.refunds import refund_entries, refund_problems
from medsheets.payments.report import PaymentsResult, Posted, note_balances
from medsheets.payments.rows import check_eob_row, check_patient_row, check_refund_row
from medsheets.practice import Practice
from medsheets.practice_files import file_sha256
from medsheets.workbook.headers import in_users_words
from medsheets.workbook.payments import PaymentsWorkbook, read_payments_workbook

STATUS_AFTER = {"paid": ClaimStatus.PAID, "partly_paid": ClaimStatus.PAID, "denied": ClaimStatus.DENIED}


def post_payment_workbooks(practice: Practice, paths: list[Path], *, as_of: dt.date) -> PaymentsResult:
    """Post every clean reference of the workbooks at `paths`; hold the rest with reasons."""
    inputs = [(path.name, file_sha256(path)) for path in paths]
    books = [read_payments_workbook(path, practice.config.columns) for path in paths]
    result = PaymentsResult()
    with command_session(practice, "payments") as session, \
            session.run(inputs, as_of=as_of) as run:
        lookup = LedgerLookup(run.tx)
        for book in books:
            _post_book(run.tx, run.id, book, lookup, as_of, result)
        result.applied_credits = len(apply_credits(run.tx, run.id, as_of)) // 2
        note_balances(run.tx, result, as_of)
        run.counts.update({"posted": len(result.posted),
                           "already_posted": len(result.already_posted),
                           "held": len(result.held)})
    return result


def _post_book(tx: Transaction, run_id: int, book: PaymentsWorkbook, lookup: LedgerLookup,
               as_of: dt.date, result: PaymentsResult) -> None:
    first = len(result.problems)
    _check_and_post(tx, run_id, book, lookup, as_of, result)
    # every problem of this workbook names its columns as its header row spells them
    result.problems[first:] = in_users_words(result.problems[first:], book.headers)


def _check_and_post(tx: Transaction, run_id: int, book: PaymentsWorkbook, lookup: LedgerLookup,
                    as_of: dt.date, result: PaymentsResult) -> None:
    problems = list(book.problems)
    for patient_row in book.patient_rows:
        problems += check_patient_row(patient_row, as_of)
    for eob_row in book.eob_rows:
        problems += check_eob_row(eob_row, as_of)
    for refund_row in book.refund_rows:
        problems += check_refund_row(refund_row, as_of)
    origins = [*(r.origin for r in book.patient_rows), *(r.origin for r in book.eob_rows),
               *(r.origin for r in book.refund_rows)]
    data_rows = {(origin.sheet, origin.row) for origin in origins}
    bad_rows, bad_sheets = rows_with_errors(problems, data_rows)
    patient_groups, loose = group_rows(PATIENT, book.file, book.patient_rows)
    eob_groups, loose_eob = group_rows(EOB, book.file, book.eob_rows)
    refund_groups, loose_refunds = group_rows(REFUND, book.file, book.refund_rows)
    plans, plan_problems = record_plans(tx, run_id, book.plan_rows, lookup, book.file)
    result.plans += plans
    problems += plan_problems
    result.problems += problems
    result.held_rows += len(loose) + len(loose_eob) + len(loose_refunds)
    groups: list[RefGroup[Any]] = [*patient_groups, *eob_groups, *refund_groups]
    for group in groups:
        if any((r.origin.sheet, r.origin.row) in bad_rows or r.origin.sheet in bad_sheets
               for r in group.rows):
            result.held.append((group.kind, group.reference, group.file))
            continue
        _post_group(tx, run_id, group, lookup, result)


def _post_group(tx: Transaction, run_id: int, group: RefGroup[Any], lookup: LedgerLookup,
                result: PaymentsResult) -> None:
    fingerprint = group.fingerprint()
    earlier = find_import(tx, group.kind, group.reference)
    if earlier is not None:
        if earlier.fingerprint == fingerprint:
            result.already_posted.append((group.kind, group.reference, group.file))
        else:
            result.problems.append(error(
                group.first.at("reference"), "MS-PAY-REF-USED",
                f"reference {group.reference} was posted on {earlier.as_of or earlier.posted_at:%Y-%m-%d} from "
                f"{earlier.file_name} with other amounts; nothing was posted again. If this is "
                "a new payment, give it its own reference"))
            result.held.append((group.kind, group.reference, group.file))
        return
    problems: list[Problem] = []
    matched: list[Any] = []
    for row in group.rows:
        match, found = (match_eob_row(row, lookup) if group.kind == EOB
                        else match_patient_row(row, lookup))
        problems += found
        matched.append((row, match))
    if group.kind == REFUND and not problems:
        problems += refund_problems(tx, group)
    if problems:
        result.problems += problems
        result.held.append((group.kind, group.reference, group.file))
        return
    import_id = add_import(tx, run_id, group.kind, group.reference, fingerprint, group.file)
    if group.kind == PATIENT:
        _post_patient(tx, run_id, import_id, group, matched, result)
    elif group.kind == REFUND:
        _post_refund(tx, run_id, import_id, group, result)
    else:
        _post_eob(tx, run_id, import_id, group, [m for _, m in matched], result)


def _post_patient(tx: Transaction, run_id: int, import_id: int, group: RefGroup[Any],
                  matched: list[tuple[Any, int | None]], result: PaymentsResult) -> None:
    entries: list[JournalEntry] = []
    for entry in patient_entries(run_id, matched):  # one at a time: each sees the one before
        parts = applied(tx, entry)
        link_entries(tx, tx.post(parts), import_id)
        entries += parts
    result.posted.append(Posted(
        PATIENT, group.reference, group.file, len(group.rows),
        sum((e.amount for e in entries), ZERO),
        accounts=sorted({e.patient_id or "" for e in entries}),
        claims=sorted({r.encounter_id for r, _ in matched if r.encounter_id}),
    ))


def _post_refund(tx: Transaction, run_id: int, import_id: int, group: RefGroup[Any],
                 result: PaymentsResult) -> None:
    entries = refund_entries(tx, run_id, group)
    link_entries(tx, tx.post(entries), import_id)
    result.posted.append(Posted(
        REFUND, group.reference, group.file, len(group.rows), -sum((e.amount for e in entries), ZERO),
        accounts=sorted({row.patient_id for row in group.rows})))


def _stated(matched: list[MatchedEob]) -> dict[int, dict[str, Any]]:
    """A further payer's EOB, claim by claim, as its rows state it (cob/paper.py)."""
    rows: dict[int, list[Stated]] = {}
    for m in matched:
        if m.rank > 1:
            rows.setdefault(m.claim.id, []).append((m.line, m.row.paid or ZERO, [
                (a.group or "", a.reason or "", a.amount) for a in m.row.adjustments
                if a.amount is not None]))
    by_claim = {m.claim.id: m for m in matched}
    return {claim_id: stated_adjudication(by_claim[claim_id].lines, found,
                                          by_claim[claim_id].row.date)
            for claim_id, found in rows.items()}


def _post_eob(tx: Transaction, run_id: int, import_id: int, group: RefGroup[Any],
              matched: list[MatchedEob], result: PaymentsResult) -> None:
    shares = {m.claim.id: line_payer_shares(tx, m.claim.id) if m.rank == 1
              else line_patient_shares(tx, m.claim.id) for m in matched}
    plan = eob_plan(run_id, matched, shares)
    journal_ids = tx.post(plan.entries)
    link_entries(tx, journal_ids, import_id)
    claims = {m.claim.id: m.claim for m in matched}
    # for a claim with a secondary: the adjudication its COB claim carries (cob/paper.py)
    # (a secondary's EOB: kept as its adjudication, which ends the wait for it)
    ranks = {m.claim.id: m.rank for m in matched}
    keep_eob_adjudications(tx, run_id, file=group.file, reference=group.reference, claims=claims,
                           lines={m.claim.id: m.lines for m in matched}, entries=plan.entries,
                           journal_ids=journal_ids, ranks=ranks, payer_id=matched[0].payer_id,
                           stated=_stated(matched))
    for event in plan.events:
        add_event(tx, run_id, event)
        claim = claims[event.claim_id]
        further = ranks[claim.id] > 1  # the claim's status is its primary's
        if event.event in STATUS_AFTER and claim.status is not ClaimStatus.VOID and not further:
            tx.set_claim_status(claim.id, STATUS_AFTER[event.event])
    result.denied += plan.denied
    result.posted.append(Posted(
        EOB, group.reference, group.file, len(group.rows), plan.paid,
        accounts=sorted({m.claim.patient_id for m in matched}), claims=plan.claims,
        claim_ids=sorted(claims)))
