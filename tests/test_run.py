"""`medsheets run DIR`: the whole day on the example practice, again, and with a bad file."""

from __future__ import annotations

from pathlib import Path

from x12_judge import check_837_rules, validate_with_pyx12

from medsheets.ledger import Ledger
from medsheets.money import format_money
from medsheets.practice import open_practice

BEFORE_THE_VISIT = 3  # the eligibility, benefits and estimates lines come first


def summary(output: str) -> list[str]:
    """The day's closing lines from claims on; the lines before the visit are checked apart."""
    return output.split("== The day", 1)[1].strip().splitlines()[BEFORE_THE_VISIT:]


def before_the_visit(output: str) -> list[str]:
    return output.split("== The day", 1)[1].strip().splitlines()[:BEFORE_THE_VISIT]


def test_the_day_runs_every_step_and_a_rerun_does_nothing_new(practice_dir: Path, invoke) -> None:
    first = invoke("run", practice_dir)
    assert first.exit_code == 0, first.output
    lines = summary(first.output)
    assert lines[0].startswith("claims: 25 billed") and "4 self-pay, 0 held" in lines[0]
    assert "billed on paper (CMS-1500): 1 claims" in first.output  # the union fund's visit
    assert lines[1].startswith("remittances: 5 posted, 0 already posted")
    assert lines[2].startswith("payments: 3 posted")
    # the dual-eligible patient's Medicare claim, paid in the 835: Medicaid billed next
    assert lines[3].startswith("secondary claims: 1 billed")
    assert lines[4].startswith("denials: 2 claims to work")
    assert lines[5].startswith("follow-up: 0 claim-status requests")
    assert lines[6].startswith("statements: ") and not lines[6].startswith("statements: 0 ")
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        total = tx.total_balance()
    assert lines[7].startswith(f"A/R total: {format_money(total)}")
    out = practice_dir / "out"
    assert len(list((out / "claims").glob("*.837"))) == 2  # the day's, then Medicaid's
    assert len(list((out / "claims").glob("*-cms1500*.pdf"))) == 2  # plain paper, red form
    for batch in (out / "claims").glob("*.837"):
        assert validate_with_pyx12(batch) == [] and check_837_rules(batch.read_text()) == []
    assert list((out / "invoices").glob("*.pdf")) and list((out / "aging").glob("aging-*.xlsx"))
    early = before_the_visit(first.output)
    assert early[0].startswith("eligibility: 3 asked, 0 already asked, 1 self-pay, 0 held")
    assert early[1].startswith("benefits: 3 answers read")
    assert early[2].startswith("estimates: 4 (1 flagged), 1 Good Faith Estimates")
    assert len(list((out / "eligibility").glob("*.270"))) == 1
    assert len(list((out / "estimates").glob("gfe-*.pdf"))) == 1

    again = invoke("run", practice_dir)
    assert again.exit_code == 0, again.output
    lines = summary(again.output)
    assert lines[0] == "claims: 0 billed (0.00), 0 self-pay, 0 held, 29 already billed"
    assert lines[1].startswith("remittances: 0 posted, 5 already posted")
    assert lines[2].startswith("payments: 0 posted, 3 already posted")
    assert lines[3] == "secondary claims: 0 billed (0.00)"
    assert lines[6].startswith("statements: 0 produced")
    assert len(list((out / "claims").glob("*.837"))) == 2
    early = before_the_visit(again.output)
    assert early[0].startswith("eligibility: 0 asked, 3 already asked")
    assert early[1].startswith("benefits: 0 answers read, 1 files already read")
    assert len(list((out / "eligibility").glob("*.270"))) == 1


def test_a_bad_file_is_skipped_and_the_rest_of_the_day_still_runs(practice_dir: Path, invoke) -> None:
    (practice_dir / "encounters" / "export.xlsx").write_text("encounter_id,date\nE1,2026-11-02\n")
    (practice_dir / "remits" / "notes.txt").write_text("call the payer on Monday\n")
    result = invoke("run", practice_dir)
    assert result.exit_code == 1
    assert "medsheets: skipped export.xlsx: export.xlsx: is a CSV/text file renamed .xlsx" in result.output
    assert "medsheets: skipped notes.txt:" in result.output
    assert summary(result.output)[0].startswith("claims: 25 billed")
