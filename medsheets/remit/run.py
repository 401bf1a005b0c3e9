"""`medsheets remit`: post the payer's 835 remittances into the ledger, each exactly once.

The order of events is what makes a failure harmless:

1. read and interpret every file; a file that is not an 835 at all stops the run here, before
   the ledger is touched (exit code 2);
2. hold the practice (one run at a time, medsheets/command.py) and write any report an earlier
   run recorded but never wrote;
3. in ONE ledger transaction, post every transaction that balances and was not posted before
   (post.py), and record the report's rows with the run;
4. commit; only then write the report workbook from those rows (atomically, owner-only).

Killed before the commit, nothing was posted and a re-run posts everything once; killed after
it, a re-run recognises every remittance as posted, changes nothing, and writes the report
the killed run owed (step 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from medsheets.codes.reasons import explain_provider
from medsheets.collector import collector_paused
from medsheets.command import Kept, command_session
from medsheets.ledger import Transaction
from medsheets.model import CodeSets
from medsheets.practice import Practice
from medsheets.progress import NO_PROGRESS, Progress
from medsheets.remit.claim_post import Context
from medsheets.remit.files import ReadTransaction, read_remit_file
from medsheets.remit.post import post_transaction
from medsheets.remit.results import ALREADY_POSTED, POSTED, REFUSED, RemitResult
from medsheets.workbook.codesets import read_codesets
from medsheets.workbook.remit_report import report_rows, write_remit_report, write_result_report


def post_remit_files(practice: Practice, paths: Sequence[Path], *, now: dt.datetime,
                     progress: Progress = NO_PROGRESS) -> RemitResult:
    """Post every 835 in `paths` that balances and is new; write the run's report workbook.
    `progress` is told the phases: reading each file, posting (a bar over the claims), the
    report. The records of every file live until the report is written: the cycle
    collector is paused meanwhile (medsheets/collector.py)."""
    with collector_paused():
        return _post_remit_files(practice, paths, now=now, progress=progress)


def _post_remit_files(practice: Practice, paths: Sequence[Path], *, now: dt.datetime,
                      progress: Progress) -> RemitResult:
    files = []
    for path in paths:
        with progress.phase(f"Reading {path.name}"):
            files.append(read_remit_file(path))
    result = RemitResult(files=files)
    codesets = practice_codesets(practice)
    overrides = codesets.reason_codes
    with command_session(practice, "remit", progress) as session:
        result.restored_files = session.restore(REPORT)
        with session.run([(f.name, f.sha256) for f in result.files], as_of=now.date()) as run:
            ctx = Context(run.id, now.date(), overrides, practice.config.practice.npi,
                          codesets.providers)
            transactions = [t for f in result.files for t in f.transactions]
            with progress.phase("Posting claims", total=sum(map(claim_count, transactions))
                                ) as advance:
                for transaction in transactions:
                    result.outcomes.append(post_transaction(run.tx, ctx, transaction))
                    advance(claim_count(transaction))
            run.counts.update(run_counts(result))
            result.provider_explanations = {
                plb.reason: explain_provider(plb.reason, overrides)
                for outcome in result.outcomes for plb in outcome.provider_adjustments}
            if result.with_status(POSTED) or result.with_status(REFUSED):
                name = report_name(run.tx, practice.output_dir(REPORT.folder), now)
                result.report_file = run.keep(
                    REPORT, name, report_rows(result),
                    write_now=lambda path: write_result_report(path, result))
    return result


def write_report(target: Path, rows: str) -> Path:
    """The report workbook from the rows kept with its run (after the commit, or restored)."""
    return write_remit_report(target, rows)


REPORT = Kept("remit", "reports", write_report, prefix="remit-")


def claim_count(transaction: ReadTransaction) -> int:
    """The claims a transaction pays (none when it could not be read)."""
    return len(transaction.remittance.claims) if transaction.remittance else 0


def practice_codesets(practice: Practice) -> CodeSets:
    """The practice's code sets: its own reason explanations (sheet ReasonCodes) and its
    Providers (to name the doctor of each claim); empty if there is no workbook."""
    if not practice.codesets_path.is_file():
        return CodeSets(procedures={}, modifiers={}, payers={})
    codesets, _ = read_codesets(practice.codesets_path)
    return codesets


def run_counts(result: RemitResult) -> dict[str, int]:
    """Counts for the run record: whole numbers under plain names, nothing about a patient."""
    claims = result.posted_claims
    return {
        "remittances": len(result.with_status(POSTED)),
        "already_posted": len(result.with_status(ALREADY_POSTED)),
        "refused": len(result.with_status(REFUSED)),
        "claims": sum(c.action != "unmatched" for c in claims),
        "unmatched_claims": sum(c.action == "unmatched" for c in claims),
        "unmatched_lines": sum(len(c.unmatched_lines) for c in claims if c.action != "unmatched"),
    }


def report_name(tx: Transaction, folder: Path, now: dt.datetime) -> str:
    """remit-YYYYMMDD-HHMMSS.xlsx, numbered if a run in the same second made one (its file
    there, or recorded for its folder)."""
    stem = f"remit-{now:%Y%m%d-%H%M%S}"
    name, number = f"{stem}.xlsx", 2
    while (folder / name).exists() or tx.output_recorded(name):
        name, number = f"{stem}-{number}.xlsx", number + 1
    return name
