"""The aging workbook on the example practice: billed with bill_workbooks, then months of
remittances, denials, payments and statements posted as docs/posting.md says. Every bucket
total must equal the ledger's own balances to the cent."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from aging_support import followed_up_example, openpyxl_rows, sheet_table, table_after
from clock import NOW, TODAY

from medsheets.aging import AgeBasis, run_aging
from medsheets.ledger import JournalEntry, Kind, Ledger, Party
from medsheets.ledger.schema import runs
from medsheets.practice import open_practice

LATER = TODAY + dt.timedelta(days=150)  # every visit is then over 120 days old
BUCKET_HEADERS = ["0–30", "31–60", "61–90", "91–120", "Over 120", "On account", "Total"]


@pytest.fixture
def practice(practice_template: Path, tmp_path_factory: pytest.TempPathFactory,
             tmp_path: Path) -> Path:
    """A copy of the example practice, billed and followed up (aging_support)."""
    shared = followed_up_example(practice_template, tmp_path_factory.getbasetemp())
    target = tmp_path / "practice"
    shutil.copytree(shared, target)
    return target


def _balances(folder: Path) -> tuple[dict[str, Decimal], dict[str, Decimal], Decimal]:
    with Ledger.open(open_practice(folder).db_url) as ledger, ledger.reading() as tx:
        return tx.payer_balances(), tx.patient_balances(), tx.total_balance()


def _money(row: list[object], first: int, count: int = 7) -> list[Decimal]:
    return [Decimal(str(v or 0)).quantize(Decimal("0.01")) for v in row[first:first + count]]


def _aging(folder: Path, as_of: dt.date = LATER, basis: AgeBasis = AgeBasis.SERVICE):
    return run_aging(open_practice(folder), as_of=as_of, basis=basis,
                     now=dt.datetime.combine(TODAY, dt.time(9)))


def test_every_total_equals_the_ledger_to_the_cent(practice: Path) -> None:
    result = _aging(practice)
    payers, patients, total = _balances(practice)
    path = result.file
    assert path.name == f"aging-{LATER.isoformat()}.xlsx" and result.written

    by_payer = sheet_table(path, "By Payer", "Payer ID")
    assert by_payer["__header__"][2:9] == BUCKET_HEADERS
    for payer, owed in payers.items():
        cells = _money(by_payer[payer], 2)
        assert sum(cells[:6]) == cells[6] == owed, payer
    by_patient = sheet_table(path, "By Patient", "Account")
    listed = {k: _money(v, 3)[6] for k, v in by_patient.items() if k not in ("__header__", "Total")}
    assert {p: listed.get(p) for p in patients} == patients
    assert all(v == 0 for p, v in listed.items() if p not in patients)
    _, summary = table_after(openpyxl_rows(path, "Summary"), "Responsible party")
    rows = {str(r[0]): _money(r, 1) for r in summary}
    assert rows["Total"][6] == total == sum(payers.values()) + sum(patients.values())
    assert rows["Patients"][6] + rows["Patients placed with collections"][6] == sum(patients.values())
    assert all(v == 0 for v in rows["Patients"][:4]), "every visit is over 120 days old by then"
    assert rows["Patients"][5] == Decimal("-500.00"), "the unapplied check sits On account"
    detail_header, detail = table_after(openpyxl_rows(path, "Detail"), "Account")
    balance = detail_header.index("Balance")
    assert detail[-1][0] == "Total" and Decimal(str(detail[-1][balance])) == total
    assert sum(Decimal(str(r[balance])) for r in detail[:-1]) == total


def test_detail_lines_say_who_owes_and_what_happened_last(practice: Path) -> None:
    result = _aging(practice)
    header, detail = table_after(openpyxl_rows(result.file, "Detail"), "Account")
    detail = detail[:-1]  # the Total row
    col = {name: header.index(name) for name in header}
    actions = {r[col["Encounter"]]: r[col["Last action"]] for r in detail}
    assert "denied CO-16 N290" in actions.values()
    assert "rejected A7" in actions.values()
    assert "statement 3 sent" in actions.values()
    assert all(r[col["Bucket"]] in ("Over 120", "On account") for r in detail)
    for r in detail:
        charge, paid, adjusted, balance = (Decimal(str(r[col[k]])) for k in
                                           ("Charge", "Paid", "Adjusted", "Balance"))
        assert charge - paid - adjusted == balance


def test_billed_basis_ages_from_the_day_the_claim_was_sent(practice: Path) -> None:
    as_of = NOW.date() + dt.timedelta(days=30)  # 30 days after the claims were sent
    by_service = _aging(practice, as_of, AgeBasis.SERVICE).totals.grand
    by_billed = _aging(practice, as_of, AgeBasis.BILLED).totals.grand
    assert by_service.total == by_billed.total
    # Visits were a day or two before they were billed (today): over 30 days old by then, but
    # sent 30 days before;
    # self-pay visits (never sent) keep their date of service.
    assert by_service.cents[0] == 0 and by_billed.cents[0] > 0


def test_rerun_writes_nothing_and_a_changed_ledger_gets_a_new_file(practice: Path, invoke) -> None:
    first = invoke("aging", "--practice", practice, "--as-of", LATER.isoformat())
    assert first.exit_code == 0 and "written:" in first.output
    again = invoke("aging", "--practice", practice, "--as-of", LATER.isoformat())
    assert again.exit_code == 0
    assert f"unchanged since aging-{LATER.isoformat()}.xlsx: nothing written" in again.output
    with Ledger.open(open_practice(practice).db_url) as ledger:
        with ledger.transaction() as tx:
            run_id = tx.start_run("payments", [])
            tx.post([JournalEntry(run_id, Kind.PAYMENT, Party.PATIENT, Decimal("12.34"),
                                  patient_id="007310", effective_date=TODAY)])
            tx.finish_run(run_id, {"posted": 1})
        with ledger.reading() as tx:
            aging_runs = tx.conn.execute(runs.select().where(runs.c.command == "aging")).all()
    assert len(aging_runs) == 1 and aging_runs[0].counts["on_account_cents"] == -50000
    changed = invoke("aging", "--practice", practice, "--as-of", LATER.isoformat())
    second = practice / "out" / "aging" / f"aging-{LATER.isoformat()}-2.xlsx"
    assert f"written: {second}" in changed.output
    assert (practice / "out" / "aging" / f"aging-{LATER.isoformat()}.xlsx").exists()
    assert second.stat().st_mode & 0o777 == 0o600
    rows = {str(r[0]): r for r in table_after(openpyxl_rows(second, "Summary"), "Responsible party")[1]}
    assert Decimal(str(rows["Patients"][6])) == Decimal("-512.34")


def test_trend_lists_each_as_of_date_once(practice: Path) -> None:
    days = [LATER - dt.timedelta(days=14), LATER - dt.timedelta(days=7), LATER]
    results = [_aging(practice, day) for day in days]
    assert all(r.recorded_run for r in results)
    header, rows = table_after(openpyxl_rows(results[-1].file, "Trend"), "As of")
    assert [r[0].date() for r in rows] == days
    totals = [Decimal(str(r[header.index("Total")])) for r in rows]
    assert totals == [Decimal(r.totals.grand.total) / 100 for r in results]
    change = header.index("Change from previous")
    assert rows[0][change] is None and Decimal(str(rows[2][change])) == totals[2] - totals[1]


def test_formulas_agree_with_the_values(practice: Path) -> None:
    path = _aging(practice).file
    rows = openpyxl_rows(path, "Summary")
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Responsible party")
    check = next(r for r in rows if r and r[0] == "Excel check: sum of the rows above")
    total = next(r for r in rows if r and r[0] == "Total")
    first, last = header_at + 2, next(i for i, r in enumerate(rows) if r and r[0] == "Total")
    for index in range(1, 8):
        letter = "ABCDEFGH"[index]
        assert check[index] == f"=SUM({letter}{first}:{letter}{last})"
        column_sum = sum(Decimal(str(rows[n - 1][index])) for n in range(first, last + 1))
        assert column_sum == Decimal(str(total[index]))


def test_a_failure_while_writing_leaves_no_file(practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medsheets.aging import report

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(report, "write_kpis", broken)
    with pytest.raises(RuntimeError):
        _aging(practice)
    folder = practice / "out" / "aging"
    assert not list(folder.iterdir()), "no workbook and no temporary file left behind"
    monkeypatch.undo()
    result = _aging(practice)
    assert result.written and not result.recorded_run, "the run was recorded by the first try"
