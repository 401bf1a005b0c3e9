"""Builders for the tests of a secondary's denial worked from the worklist (no tests here):
Medicaid's denial of the COB claim after Medicare paid, the worklist made, edited and worked,
and the 837 judged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cob_support import DUAL, LATER, bill, medicare_835, post, visit, write_day
from denials_support import edit_worklist
from remit_support import Clp, Svc, era
from x12_judge import check_837_rules, validate_with_pyx12

from medsheets.denials.resubmit import ResubmitResult, resubmit_worklist
from medsheets.denials.worklist import make_worklist
from medsheets.ledger import ClaimRow, Ledger
from medsheets.ledger.cob import secondary_pending
from medsheets.practice import open_practice

WORKED = dt.datetime(2026, 12, 10, 9, 0)


def denied_by_medicaid(practice_dir: Path, eid: str) -> None:
    """Medicare pays (19.11 left to the patient), Medicaid is billed, then denies it (CO-16)."""
    bill(practice_dir, [write_day(practice_dir, visit(eid, **DUAL))])
    post(practice_dir, medicare_835(eid), "medicare.835")
    assert len(bill(practice_dir, [], now=LATER).secondary) == 1
    post(practice_dir, era([Clp(eid, "4", "147", "0", icn="MCDDEN1", svcs=(
        Svc("99213", "135", "0", (("OA", "23", "117.45"), ("CO", "16", "17.55")), f"{eid}-1"),
        Svc("36415", "12", "0", (("OA", "23", "10.44"), ("CO", "16", "1.56")), f"{eid}-2"),
    ))], trace="MCDDEN", payer_key="1ILMCD"), "medicaid-denial.835")


def work(practice_dir: Path, changes: dict[tuple[str, int], dict[str, object]]) -> tuple[Path, ResubmitResult]:
    practice = open_practice(practice_dir)
    made = make_worklist(practice, practice_dir / "made.xlsx", as_of=WORKED.date())
    edited = edit_worklist(made.path, changes, practice_dir / "worklist.xlsx")
    return edited, resubmit_worklist(practice, edited, now=WORKED)


def judged(result: ResubmitResult) -> str:
    assert result.batch_file is not None
    assert validate_with_pyx12(result.batch_file) == []
    text = result.batch_file.read_text()
    assert check_837_rules(text) == []
    return text


def claim_row(practice_dir: Path, eid: str) -> tuple[ClaimRow, dict[tuple[int, int | None], str]]:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        claim = tx.find_claim(eid)
        assert claim is not None
        return claim, secondary_pending(tx)
