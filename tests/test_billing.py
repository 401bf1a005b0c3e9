"""`medsheets claims`: what is billed, what is held, and that nothing is ever billed twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from encounter_cells import cell_value, edit_cells
from x12_judge import check_837_rules, validate_with_pyx12

from medsheets.claims import bill_workbooks
from medsheets.ledger import Ledger
from medsheets.ledger.schema import batches, claims, journal
from medsheets.practice import open_practice
from medsheets.x12.read837 import read_837p

NOW = dt.datetime(2026, 11, 27, 10, 30)


def day_books(practice: Path) -> list[Path]:
    return sorted((practice / "encounters").glob("*.xlsx"))


def ledger_counts(practice: Path) -> tuple[int, int, int]:
    ledger = Ledger.open(open_practice(practice).db_url)
    with ledger.reading() as tx:
        count = lambda table: tx.conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        return count(claims), count(journal), count(batches)


def test_example_day_bills_once_into_a_valid_837(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    result = bill_workbooks(practice, day_books(practice_dir), now=NOW)
    assert not result.has_errors and result.held == []
    assert result.batch_file is not None and result.summary_file is not None
    assert validate_with_pyx12(result.batch_file) == []
    text = result.batch_file.read_text()
    assert check_837_rules(text) == []
    billed = {c.claim_id: c for c in read_837p(text, result.batch_file.name)}
    assert set(billed) == {e.encounter_id for e in result.billed} - set(result.on_paper)
    assert len(result.on_paper) == 1  # the example's union fund takes paper (CMS-1500)
    for encounter in (e for e in result.billed if e.encounter_id not in result.on_paper):
        assert billed[encounter.encounter_id].total == encounter.total_charge
    assert not any(e.encounter_id in billed for e in result.self_pay)
    assert result.batch_file.stat().st_mode & 0o777 == 0o600
    assert (practice_dir / "medsheets.db").stat().st_mode & 0o777 == 0o600

    before = ledger_counts(practice_dir)
    again = bill_workbooks(practice, day_books(practice_dir), now=NOW + dt.timedelta(minutes=5))
    assert again.billed == [] and again.self_pay == [] and again.batch_file is None
    assert len(again.already_billed) == len(result.billed) + len(result.self_pay)
    assert ledger_counts(practice_dir) == before
    assert sorted(p.name for p in (practice_dir / "out" / "claims").iterdir()) == sorted(
        [result.batch_file.name, result.summary_file.name, *(p.name for p in result.paper_files)])


def test_summary_workbook_lists_every_claim_with_exact_totals(practice_dir: Path) -> None:
    result = bill_workbooks(open_practice(practice_dir), day_books(practice_dir), now=NOW)
    assert result.summary_file is not None
    rows = list(openpyxl.load_workbook(result.summary_file)["Claims"].iter_rows(values_only=True))
    header = rows[0]
    by_id = {row[1]: dict(zip(header, row)) for row in rows[1:]}
    assert len(by_id) == len(result.billed) + len(result.self_pay)
    for encounter in result.billed:
        on_paper = encounter.encounter_id in result.on_paper
        assert by_id[encounter.encounter_id]["status"] == ("billed on paper" if on_paper else "billed")
        assert Decimal(str(by_id[encounter.encounter_id]["total"])) == encounter.total_charge


def test_held_claim_is_billed_after_the_fix_and_the_rest_not_twice(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    book = day_books(practice_dir)[0]
    good_dx = cell_value(book, 1, "dx1")
    edit_cells(book, {(1, "dx1"): "E11"})
    first = bill_workbooks(practice, [book], now=NOW)
    assert first.has_errors and len(first.held) == 1
    held_id = first.held[0]
    assert held_id not in {e.encounter_id for e in first.billed}

    edit_cells(book, {(1, "dx1"): good_dx})
    second = bill_workbooks(practice, [book], now=NOW + dt.timedelta(hours=1))
    assert [e.encounter_id for e in second.billed + second.self_pay] == [held_id]
    assert len(second.already_billed) == len(first.billed) + len(first.self_pay)


def test_encounter_changed_after_billing_is_reported_not_rebilled(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    book = day_books(practice_dir)[0]
    bill_workbooks(practice, [book], now=NOW)
    before = ledger_counts(practice_dir)
    edit_cells(book, {(1, "charge"): 999.99})  # a warning (differs from the fee), not an error
    result = bill_workbooks(practice, [book], now=NOW + dt.timedelta(hours=1))
    [problem] = result.refused
    assert problem.code == "MS-CLAIM-CHANGED" and "resubmit" in problem.message
    assert result.billed == [] and result.has_errors
    assert ledger_counts(practice_dir) == before


def test_self_pay_charges_fall_to_the_patient_and_copay_is_a_payment(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    result = bill_workbooks(practice, day_books(practice_dir), now=NOW)
    assert result.self_pay, "the example has self-pay visits"
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        balances = tx.patient_balances()
        for encounter in result.self_pay:
            claim = tx.find_claim(encounter.encounter_id)
            assert claim is not None and claim.payer_id is None and claim.batch_id is None
            shares = tx.claim_shares(claim.id)
            paid = sum((line.copay_collected or Decimal(0) for line in encounter.lines), Decimal(0))
            assert sum(shares.values()) == encounter.total_charge - paid
        copays = [e for e in result.billed if any(line.copay_collected for line in e.lines)]
        assert copays, "the example collects copays"
        patient_id = copays[0].first.patient_id
        assert patient_id in balances


def test_same_encounter_id_in_two_workbooks_is_refused(practice_dir: Path, tmp_path: Path) -> None:
    book = day_books(practice_dir)[0]
    twin = tmp_path / "copy.xlsx"
    twin.write_bytes(book.read_bytes())
    result = bill_workbooks(open_practice(practice_dir), [book, twin], now=NOW)
    assert result.refused and all(p.code == "MS-ENC-ID-REUSED" for p in result.refused)
    assert all(p.source.file == "copy.xlsx" for p in result.refused)


def test_a_second_run_fails_at_once_while_the_practice_is_held(practice_dir: Path, invoke) -> None:
    import multiprocessing

    from medsheets.ledger import hold_practice

    ready, release = multiprocessing.Event(), multiprocessing.Event()

    def holder() -> None:
        with hold_practice(practice_dir, "claims"):
            ready.set()
            release.wait(30)

    process = multiprocessing.get_context("fork").Process(target=holder)
    process.start()
    try:
        assert ready.wait(30)
        result = invoke("claims", "--practice", practice_dir, *day_books(practice_dir))
        assert result.exit_code == 2
        assert result.stderr == (f"medsheets: error: another medsheets run holds the practice "
                                 f"(pid {process.pid})\n")
        assert not (practice_dir / "medsheets.db").exists()  # nothing was written, not even a ledger
        assert not list((practice_dir / "out").rglob("*.837"))
    finally:
        release.set()
        process.join(30)


def test_claims_cli_reports_billed_and_then_already_billed(practice_dir: Path, invoke) -> None:
    books = day_books(practice_dir)
    first = invoke("claims", "--practice", practice_dir, *books)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[0].startswith("billed: ")
    second = invoke("claims", "--practice", practice_dir, *books)
    assert second.exit_code == 0
    claims_count = ledger_counts(practice_dir)[0]
    assert f"already billed: {claims_count} claims (nothing billed twice)" in second.output
    assert "nothing new to bill" in second.output
