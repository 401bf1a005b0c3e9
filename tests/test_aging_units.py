"""Small pieces of the aging: band edges (in Python and in SQL), last actions, file names,
run counts, and the workbook writer's text guarantee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from aging_support import calamine_rows, openpyxl_rows
from test_ledger_support import bill, encounter, line

from medsheets.aging.layout import last_action, owed_by
from medsheets.aging.report import free_name, report_files
from medsheets.ledger import Ledger
from medsheets.ledger.reports.buckets import AgeBasis, Scope, bucket_of
from medsheets.ledger.reports.detail import DetailRow
from medsheets.ledger.reports.kpis import ratio
from medsheets.ledger.reports.totals import Buckets, party_totals
from medsheets.ledger.reports.trend import run_counts
from medsheets.ledger.schema import claim_lines, claims
from medsheets.workbook.report_book import Column, ReportBook, read_identifier

AS_OF = dt.date(2026, 6, 30)


@pytest.mark.parametrize("age, band", [(-3, 0), (0, 0), (30, 0), (31, 1), (60, 1), (61, 2),
                                       (90, 2), (91, 3), (120, 3), (121, 4), (4000, 4)])
def test_band_edges(age: int, band: int) -> None:
    assert bucket_of(age) == band


def test_the_database_puts_each_edge_in_the_same_band(tmp_path: Path) -> None:
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'medsheets.db'}")
    ages = (30, 31, 60, 61, 90, 91, 120, 121)
    for n, age in enumerate(ages):
        _, claim_id = bill(ledger, encounter(f"E{n}", line(f"E{n}", charge=f"{n + 1}.00")))
        day = AS_OF - dt.timedelta(days=age)  # move the visit (claims and lines are not journal)
        with ledger.transaction() as tx:
            tx.conn.execute(claims.update().where(claims.c.id == claim_id).values(
                date_of_service=day, first_billed_at=dt.datetime.combine(AS_OF, dt.time(23, 59))))
            tx.conn.execute(claim_lines.update().where(claim_lines.c.claim_id == claim_id)
                            .values(date_of_service=day))
    with ledger.reading() as tx:
        by_service = party_totals(tx, Scope(AS_OF)).payers["BCBS"]
        by_billed = party_totals(tx, Scope(AS_OF, AgeBasis.BILLED)).payers["BCBS"]
    expected = [0] * 6
    for n, age in enumerate(ages):
        expected[bucket_of(age)] += (n + 1) * 100
    assert expected[:5] == [100, 500, 900, 1300, 800]
    assert by_service == Buckets.of(expected)
    assert by_billed == Buckets.of([sum(expected), 0, 0, 0, 0, 0]), "billed on the as-of day"


def _row(**changes: object) -> DetailRow:
    row = DetailRow(
        claim_id=1, patient_id="P1", last_name="Doe", first_name="Ann", encounter_id="E1",
        line_number=1, service_date=dt.date(2026, 1, 5), procedure_code="99213", modifiers="",
        payer_id="BSTAR", billed_at=dt.datetime(2026, 1, 6, 9), charge=10000, paid=0,
        adjusted=0, payer_share=10000, patient_share=0, event=None, event_reasons=None,
        event_date=None, statement_date=None, statement_count=0, cycle=None, placed_on=None)
    return row._replace(**changes)


def test_last_action_is_the_latest_thing_done() -> None:
    assert last_action(_row()) == ("billed", dt.date(2026, 1, 6))
    denied = _row(event="denied", event_reasons="CO-16 N290", event_date=dt.date(2026, 2, 1))
    assert last_action(denied) == ("denied CO-16 N290", dt.date(2026, 2, 1))
    billed_to_patient = _row(payer_share=0, patient_share=2000, event="paid",
                             event_date=dt.date(2026, 2, 1), statement_date=dt.date(2026, 3, 1),
                             statement_count=2, cycle=2)
    assert last_action(billed_to_patient) == ("statement 2 sent", dt.date(2026, 3, 1))
    assert last_action(_row(billed_at=None)) == ("not sent yet", None)
    assert last_action(_row(payer_id=None, billed_at=None, payer_share=0, patient_share=100)) == (
        "self-pay visit", dt.date(2026, 1, 5))


def test_owed_by_names_every_party_that_still_owes() -> None:
    assert owed_by(_row()) == "BSTAR"
    assert owed_by(_row(payer_share=5000, patient_share=2000)) == "BSTAR + patient"
    assert owed_by(_row(payer_share=0, patient_share=2000, placed_on=AS_OF)) == "patient (collections)"


def test_file_names_never_reuse_an_earlier_workbook(tmp_path: Path) -> None:
    assert free_name(tmp_path, AS_OF).name == "aging-2026-06-30.xlsx"
    for name in ("aging-2026-06-30.xlsx", "aging-2026-06-30-2.xlsx", "aging-2026-06-30-10.xlsx",
                 "aging-2026-06-29.xlsx", "aging-2026-06-30-x.xlsx"):
        (tmp_path / name).write_bytes(b"")
    assert free_name(tmp_path, AS_OF).name == "aging-2026-06-30-3.xlsx"
    assert [p.name for p in report_files(tmp_path, AS_OF)] == [
        "aging-2026-06-30.xlsx", "aging-2026-06-30-2.xlsx", "aging-2026-06-30-10.xlsx"]
    assert read_identifier(tmp_path / "aging-2026-06-30.xlsx") is None


def test_run_counts_are_whole_numbers_under_identifier_keys(tmp_path: Path) -> None:
    counts = run_counts(Scope(AS_OF, AgeBasis.BILLED), Buckets.of([1, 2, 3, 4, 5, -6]), "ab" * 32)
    assert counts["as_of"] == 20260630 and counts["age_from_billed"] == 1
    assert counts["bucket_over_120_cents"] == 5 and counts["on_account_cents"] == -6
    assert counts["total_cents"] == 9
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'medsheets.db'}")
    with ledger.transaction() as tx:  # the ledger accepts them as they are
        tx.finish_run(tx.start_run("aging", []), counts)


def test_ratio_is_exact_and_none_without_a_base() -> None:
    assert ratio(1, 3) == Decimal("0.3333") and ratio(2, 3) == Decimal("0.6667")
    assert ratio(5, 0) is None


def test_the_writer_keeps_text_as_text_and_records_its_identifier(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    book = ReportBook(["S"])
    sheet = book.sheet("S")
    columns = (Column("Name"), Column("Amount", "money"), Column("Day", "date"))
    sheet.setup([c.width for c in columns], header_row=1)
    sheet.header(columns)
    texts = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@a", "00123", "bell\x07ring"]
    sheet.rows(columns, [(text, Decimal("1.10"), AS_OF) for text in texts])
    book.save(target, title="t", identifier="medsheets-test:1")
    assert read_identifier(target) == "medsheets-test:1"
    assert target.stat().st_mode & 0o777 == 0o600
    expected = texts[:-1] + ["bellring"]
    assert [r[0] for r in openpyxl_rows(target, "S")[1:]] == expected
    assert [r[0] for r in calamine_rows(target, "S")[1:]] == expected
    assert openpyxl_rows(target, "S")[1][1:] == (1.1, dt.datetime(2026, 6, 30))
