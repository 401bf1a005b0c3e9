"""What `remit` records and reports stays the same while its posting is made faster (issue 16).

A generated set of 835s that walks every road posting takes (paid, a denied line, a denied
claim, a line matched by code without REF*6R, forwarded, pended, a claim and a line matching
none of ours, claim-level money, a provider adjustment, a secondary after its primary, a
reversal and its correction, a remittance sent twice, one that does not balance) is posted
into a practice; the whole ledger, table by table (as tests/test_hostile_kill.py compares it:
no surrogate ids, no wall-clock instants), and every cell of the report workbook are
fingerprinted and compared with the fingerprint the code gave before the speed work. A change
that alters what remit records or reports on purpose updates EXPECTED (the failure shows the
new digest and the first facts).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlalchemy as sa
from cob_support import DUAL, bill, medicaid_835, medicare_835, visit, write_day
from kill_support import _compared, ledger_state, outputs
from remit_support import Clp, Plb, Svc, bill_claims, db_url, era, post_text, service_line

from medsheets.ledger import Ledger
from medsheets.ledger.schema import journal, journal_sources, remit_claims
from medsheets.model import Encounter

EXPECTED = "bdefd1a22212ceacc0f78c8018f6d761b8224d5a28532b96dc3d210bac4edbff"
# What posting writes or changes (the rest, batches and the 837s among them, is billing's).
REMIT_TABLES = ("claims", "claim_lines", "claim_coverages", "claim_events", "cob_bills",
                "journal", "output_files", "provider_adjustments", "remit_claims", "remittances")


def visit_lines(eid: str, *, modifiers: tuple[str, ...] = ()) -> Encounter:
    return Encounter(eid, (service_line(eid, "99213", "135.00", modifiers=modifiers),
                           service_line(eid, "36415", "12.00")))


def paid(eid: str, *, control: bool = True, icn: str = "", status: str = "1") -> Clp:
    """A commercial payer's usual answer: CO-45 and PR-2 on both lines."""
    return Clp(eid, status, "147", "20.70", icn=icn or f"ICN{eid}", svcs=(
        Svc("99213", "135", "13.50", (("CO", "45", "94.50"), ("PR", "2", "27")),
            f"{eid}-1" if control else ""),
        Svc("36415", "12", "7.20", (("CO", "45", "3"), ("PR", "2", "1.80")),
            f"{eid}-2" if control else "")))


def remittances() -> list[tuple[str, str]]:
    """(file name, 835 text) in the order they are posted."""
    first = era([
        paid("F1"),
        Clp("F2", "1", "147", "13.50", icn="ICNF2", svcs=(  # the blood draw denied
            Svc("99213", "135", "13.50", (("CO", "45", "94.50"), ("PR", "2", "27")), "F2-1"),
            Svc("36415", "12", "0", (("CO", "97", "12"),), "F2-2", remarks=("M80",)))),
        Clp("F3", "4", "147", "0", (("CO", "16", "147"),), icn="ICNF3"),  # denied claim
        paid("F4", control=False),  # matched by code and date
        Clp("F5", "19", "147", "20.70", icn="ICNF5", forwarded_to="MEDIGAP PLAN", svcs=(
            Svc("99213", "135", "13.50", (("CO", "45", "94.50"), ("PR", "1", "27")), "F5-1"),
            Svc("36415", "12", "7.20", (("CO", "45", "3"), ("PR", "1", "1.80")), "F5-2"))),
        Clp("F6", "23", "147", "0", (("OA", "23", "147"),), icn="ICNF6"),  # pended
        paid("NOTOURS"),  # a claim we never billed
        Clp("F7", "1", "159", "26.70", icn="ICNF7", svcs=(  # a line matching none of ours
            Svc("99213", "135", "13.50", (("CO", "45", "94.50"), ("PR", "2", "27")), "F7-1"),
            Svc("36415", "12", "7.20", (("CO", "45", "3"), ("PR", "2", "1.80")), "F7-2"),
            Svc("81002", "12", "6", (("CO", "45", "6"),)))),
        Clp("F8", "1", "147", "100", (("CO", "45", "30"), ("PR", "3", "17")), icn="ICNF8"),
    ], trace="FPRINT1", plbs=(Plb("WO", "5.00", "OVERPAY1"), Plb("L6", "-1.25")))
    reversal = era([
        Clp("F1", "22", "-147", "-20.70", icn="ICNF1", svcs=(
            Svc("99213", "-135", "-13.50", (("CO", "45", "-94.50"), ("PR", "2", "-27")), "F1-1"),
            Svc("36415", "-12", "-7.20", (("CO", "45", "-3"), ("PR", "2", "-1.80")), "F1-2"))),
        Clp("F1", "1", "147", "30.70", icn="ICNF1", svcs=(
            Svc("99213", "135", "23.50", (("CO", "45", "84.50"), ("PR", "2", "27")), "F1-1"),
            Svc("36415", "12", "7.20", (("CO", "45", "3"), ("PR", "2", "1.80")), "F1-2"))),
    ], trace="FPRINT2")
    unbalanced = era([paid("F4")], trace="FPRINT3", payment="99.99")
    return [("first.835", first), ("medicare.835", medicare_835("EDUAL1")),
            ("medicaid.835", medicaid_835("EDUAL1")), ("reversal.835", reversal),
            ("again.835", first), ("unbalanced.835", unbalanced)]


def sources(practice_dir: Path) -> list[str]:
    """Which remit_claims row each journal entry came from (journal_sources holds only ids,
    which ledger_state leaves out): the two rows' own columns, side by side."""
    entry, claim = _compared(journal), _compared(remit_claims)
    query = (sa.select(*entry, *claim)
             .join(journal_sources, journal_sources.c.journal_id == journal.c.id)
             .join(remit_claims, journal_sources.c.remit_claim_id == remit_claims.c.id))
    with Ledger.open(db_url(practice_dir)) as ledger, ledger.reading() as tx:
        return sorted(repr(tuple(row)) for row in tx.conn.execute(query))


def fingerprint(practice_dir: Path) -> tuple[str, list[object]]:
    """sha256 over the tables remit writes (as kill_support.ledger_state reads them), the
    journal's sources, and the cells of the remit reports."""
    state = ledger_state(practice_dir)
    facts: list[object] = [[name, state[name]] for name in REMIT_TABLES]
    facts.append(["journal_sources", sources(practice_dir)])
    reports = {name: cells for name, cells in outputs(practice_dir).items()
               if name.startswith("reports/remit-")}
    facts += [[index, reports[name]] for index, name in enumerate(sorted(reports))]
    text = json.dumps(facts, default=repr)
    return hashlib.sha256(text.encode()).hexdigest(), facts


def test_a_generated_set_of_remittances_records_and_reports_what_it_did_before(
        practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EDUAL1", **DUAL))])
    bill_claims(db_url(practice_dir), [(visit_lines(eid), None)
                                       for eid in ("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8")])
    outcomes = []
    for name, text in remittances():
        result = post_text(practice_dir, text, name)
        outcomes.append([(o.status, len(o.claims), len(o.problems)) for o in result.outcomes])
    assert outcomes == [[("posted", 9, 3)], [("posted", 1, 0)], [("posted", 1, 0)],
                        [("posted", 2, 0)], [("already posted", 0, 0)], [("refused", 0, 1)]]
    digest, facts = fingerprint(practice_dir)
    assert digest == EXPECTED, (digest, facts[:3])

