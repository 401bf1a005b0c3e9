"""The KPIs sheet: the HFMA MAP Keys and charge lag, checked by hand on small figures, and in
the workbook as live formulas that LibreOffice computes to the ledger's own figures."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from aging_support import generate_ledger, sheet_table

from medsheets.aging import AgeBasis, run_aging
from medsheets.aging.kpi_sheet import measures
from medsheets.config import KpiTargets, load_config
from medsheets.errors import ConfigError
from medsheets.ledger import Kind, Ledger
from medsheets.ledger.reports import kpis, totals
from medsheets.ledger.reports.buckets import Scope
from medsheets.ledger.schema import claims, journal
from medsheets.practice import CONFIG_NAME, open_practice

AS_OF = dt.date(2026, 11, 27)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NAMES = ("Clean claim rate", "Denial rate", "Days in A/R", "Net collection rate",
         "A/R over 90 days", "Charge lag (days)")


def small(**changes: object) -> kpis.Kpis:
    """Figures small enough to work out on paper: every measure exactly on its target."""
    figures: dict[str, object] = {
        "window_start": AS_OF - dt.timedelta(days=89), "total_ar_cents": 1_000_000,
        "charges_cents": 2_250_000, "payments_cents": 950_000, "contractual_cents": 1_250_000,
        "claims_sent": 22, "accepted_first_pass": 19, "rejected": 1,
        "denials_by_payer": (("BSTAR", 12, 1), ("MCRB1", 8, 0)),
        "denials_by_reason": (("CO-16", 1),), "denial_answers": 1, "code_payments": (),
        "over_90_cents": 150_000, "lag_days": 30, "lag_claims": 10}
    figures.update(changes)
    return kpis.Kpis(**figures)  # type: ignore[arg-type]


def test_each_measure_worked_out_by_hand() -> None:
    k = small()
    assert k.clean_claim_rate == Decimal("0.9500")  # 19 accepted of 20 answered (2 not yet)
    assert k.denial_rate == Decimal("0.0500")  # 1 denied of 20 adjudicated
    assert k.days_in_ar == Decimal("40.0")  # $10,000.00 / ($22,500.00 / 90 days)
    assert k.net_collection_rate == Decimal("0.9500")  # $9,500 / ($22,500 - $12,500)
    assert k.over_90_rate == Decimal("0.1500")  # $1,500 of $10,000
    assert k.charge_lag == Decimal("3.0")  # 30 days over 10 claims
    worse = small(rejected=2, lag_days=31, over_90_cents=150_001, charges_cents=2_249_999)
    assert worse.clean_claim_rate == Decimal("0.9048")  # 19 / 21
    assert worse.charge_lag == Decimal("3.1") and worse.over_90_rate == Decimal("0.1500")
    assert worse.days_in_ar == Decimal("40.0")  # 40.0000178: a tenth, halves away from zero
    assert small(lag_claims=0).charge_lag is None and small(charges_cents=0).days_in_ar is None


def test_each_row_holds_the_figures_its_formula_reads() -> None:
    rows = {m.name: m for m in measures(small(), KpiTargets())}
    assert tuple(rows) == NAMES
    assert (rows["Clean claim rate"].counted, rows["Clean claim rate"].out_of) == (19, 20)
    assert (rows["Denial rate"].counted, rows["Denial rate"].out_of) == (1, 20)
    assert (rows["Days in A/R"].counted, rows["Days in A/R"].out_of) == (
        Decimal("10000.00"), Decimal("22500.00"))
    assert rows["Net collection rate"].out_of == Decimal("10000.00")
    assert (rows["Charge lag (days)"].counted, rows["Charge lag (days)"].out_of) == (30, 10)
    assert [m.target for m in rows.values()] == [Decimal("0.95"), Decimal("0.05"), 40,
                                                  Decimal("0.95"), Decimal("0.15"), 3]
    cells = rows["Days in A/R"].cells(7)
    assert cells[1][0] == '=IF(D7>0,ROUND(C7*90/D7,1),"")'
    assert cells[5][0] == '=IF(B7="","",IF(B7<=E7,"yes","no"))'  # at most 40 days
    assert rows["Clean claim rate"].cells(5)[5][0].count(">=")  # at least 95%


def test_the_practice_sets_its_own_targets(practice_dir: Path) -> None:
    config = practice_dir / CONFIG_NAME
    config.write_text(config.read_text() + "\n[kpis]\ndays_in_ar = 30\nclean_claim_rate = 98\n")
    targets = open_practice(practice_dir).config.kpis
    assert targets.days_in_ar == 30 and targets.clean_claim_rate == 98
    rows = {m.name: m for m in measures(small(), targets)}
    assert rows["Days in A/R"].target == 30 and rows["Clean claim rate"].target == Decimal("0.98")
    result = run_aging(open_practice(practice_dir), as_of=AS_OF, basis=AgeBasis.SERVICE,
                       now=dt.datetime(2026, 11, 27, 8))
    table = sheet_table(result.file, "KPIs", "Measure")
    assert table["Days in A/R"][4] == 30 and table["Clean claim rate"][4] == pytest.approx(0.98)
    config.write_text(config.read_text() + "days_in_AR = 30\n")
    with pytest.raises(ConfigError, match="unknown key 'days_in_AR' in \\[kpis\\]"):
        load_config(config)


def _recalculated(source: Path, out_dir: Path) -> Path:
    """The workbook as LibreOffice computed it: opened, recalculated and saved (xlsx)."""
    done = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={(out_dir / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "xlsx", "--outdir", str(out_dir / "lo"), str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    return out_dir / "lo" / source.name


def computed_table(path: Path, sheet: str) -> dict[str, tuple[object, ...]]:
    """The KPI rows as the spreadsheet last computed them (cached values, not formulas)."""
    book = openpyxl.load_workbook(path, data_only=True)
    return {str(row[0]): row for row in book[sheet].iter_rows(values_only=True) if row[0]}


def _ledger_figures(db_url: str, scope: Scope) -> tuple[kpis.Kpis, int, int, int, int]:
    """The library's measures, and figures summed here in Python from the ledger's rows (not
    by the queries under test): total A/R, charges in the window, lag days, claims sent."""
    with Ledger.open(db_url) as ledger, ledger.reading() as tx:
        party = totals.party_totals(tx, scope)
        measured = kpis.measure(tx, scope, party.grand.total, {}, {},
                                over_90_cents=party.grand.over_90)
        start = scope.as_of - dt.timedelta(days=kpis.WINDOW_DAYS - 1)
        charges = sum(r.amount_cents for r in tx.conn.execute(journal.select())
                      if r.kind == Kind.CHARGE.value and start <= r.effective_date <= scope.as_of)
        sent = [(r.first_billed_at.date() - r.date_of_service).days
                for r in tx.conn.execute(claims.select()) if r.first_billed_at is not None
                and start <= r.first_billed_at.date() <= scope.as_of]
        total = int(tx.total_balance() * 100)
    return measured, total, charges, sum(sent), len(sent)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install "
                    "libreoffice-calc); the KPI formulas were not computed by a spreadsheet")
def test_libreoffice_computes_every_kpi_to_the_ledgers_figures(practice_dir: Path,
                                                                tmp_path: Path) -> None:
    with Ledger.open(open_practice(practice_dir).db_url) as ledger:
        generate_ledger(ledger, lines=400, as_of=AS_OF, seed=5)
    result = run_aging(open_practice(practice_dir), as_of=AS_OF, basis=AgeBasis.SERVICE,
                       now=dt.datetime(2026, 11, 27, 8))
    written = sheet_table(result.file, "KPIs", "Measure")
    assert all(str(written[name][1]).startswith("=IF(") for name in NAMES)  # formulas, no values
    computed = computed_table(_recalculated(result.file, tmp_path), "KPIs")
    measured, total, charges, lag_days, lag_claims = _ledger_figures(
        open_practice(practice_dir).db_url, Scope(AS_OF, AgeBasis.SERVICE))
    assert measured.total_ar_cents == total and measured.charges_cents == charges
    assert (measured.lag_days, measured.lag_claims) == (lag_days, lag_claims) and lag_claims
    expected = dict(zip(NAMES, (measured.clean_claim_rate, measured.denial_rate,
                                measured.days_in_ar, measured.net_collection_rate,
                                measured.over_90_rate, measured.charge_lag)))
    for name, value in expected.items():
        assert value is not None, name
        assert Decimal(str(computed[name][1])) == value, name  # LibreOffice's, to the digit
    for row in (computed[n] for n in NAMES):
        assert row[5] in ("yes", "no")
    assert Decimal(str(computed["Days in A/R"][2])) == Decimal(total) / 100  # to the cent
    assert Decimal(str(computed["Days in A/R"][3])) == Decimal(charges) / 100
    assert computed["Charge lag (days)"][2:4] == (lag_days, lag_claims)
    on_target = computed["Denial rate"][5] == "yes"
    assert on_target == (measured.denial_rate <= Decimal("0.05"))  # type: ignore[operator]
