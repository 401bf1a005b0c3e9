"""`medsheets run DIR`: the whole day on the example practice, again, and with a bad file."""

from __future__ import annotations

from pathlib import Path

from medsheets.ledger import Ledger
from medsheets.money import format_money
from medsheets.practice import open_practice


def summary(output: str) -> list[str]:
    return output.split("== The day", 1)[1].strip().splitlines()


def test_the_day_runs_every_step_and_a_rerun_does_nothing_new(practice_dir: Path, invoke) -> None:
    first = invoke("run", practice_dir)
    assert first.exit_code == 0, first.output
    lines = summary(first.output)
    assert lines[0].startswith("claims: 24 billed") and "4 self-pay, 0 held" in lines[0]
    assert lines[1].startswith("remittances: 5 posted, 0 already posted")
    assert lines[2].startswith("payments: 3 posted")
    assert lines[3].startswith("denials: 2 claims to work")
    assert lines[4].startswith("statements: ") and not lines[4].startswith("statements: 0 ")
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        total = tx.total_balance()
    assert lines[5].startswith(f"A/R total: {format_money(total)}")
    out = practice_dir / "out"
    assert len(list((out / "claims").glob("*.837"))) == 1
    assert list((out / "invoices").glob("*.pdf")) and list((out / "aging").glob("aging-*.xlsx"))

    again = invoke("run", practice_dir)
    assert again.exit_code == 0, again.output
    lines = summary(again.output)
    assert lines[0] == "claims: 0 billed (0.00), 0 self-pay, 0 held, 28 already billed"
    assert lines[1].startswith("remittances: 0 posted, 5 already posted")
    assert lines[2].startswith("payments: 0 posted, 3 already posted")
    assert lines[4].startswith("statements: 0 produced")
    assert len(list((out / "claims").glob("*.837"))) == 1


def test_a_bad_file_is_skipped_and_the_rest_of_the_day_still_runs(practice_dir: Path, invoke) -> None:
    (practice_dir / "encounters" / "export.xlsx").write_text("encounter_id,date\nE1,2026-11-02\n")
    (practice_dir / "remits" / "notes.txt").write_text("call the payer on Monday\n")
    result = invoke("run", practice_dir)
    assert result.exit_code == 1
    assert "medsheets: skipped export.xlsx: export.xlsx: is a CSV/text file renamed .xlsx" in result.output
    assert "medsheets: skipped notes.txt:" in result.output
    assert summary(result.output)[0].startswith("claims: 24 billed")
