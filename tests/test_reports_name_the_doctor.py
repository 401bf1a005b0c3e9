"""The remit report, the denial worklist and the follow-up worklist name each claim's rendering
doctor: the Providers sheet's "Last, First", or the NPI when the sheet does not list it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from denials_support import (  # noqa: F401  (fixtures)
    NOW,
    billed_template_fixture,
    edit_worklist,
    practice_fixture,
    reject,
    worklist_rows,
)

from medsheets.denials.resubmit import resubmit_worklist
from medsheets.denials.worklist import make_worklist
from medsheets.example.people import DR_ORTIZ, DR_PARK, NP_LEE
from medsheets.ledger import Ledger
from medsheets.ledger.schema import claims
from medsheets.model import Provider, provider_name
from medsheets.practice import Practice, open_practice

NAMES = {DR_PARK: "Park, Helen", DR_ORTIZ: "Ortiz, Samuel", NP_LEE: "Lee, Jordan"}
UNLISTED = "1234567893"  # a well-formed NPI the Providers sheet does not have


def test_a_listed_doctor_by_name_an_unlisted_one_by_npi() -> None:
    providers = {DR_PARK: Provider(DR_PARK, "Park", "Helen"), "1111111112": Provider(
        "1111111112", "Maple Street Clinic")}
    assert provider_name(DR_PARK, providers) == "Park, Helen"
    assert provider_name("1111111112", providers) == "Maple Street Clinic"  # an organisation
    assert provider_name(UNLISTED, providers) == UNLISTED
    assert provider_name(None, providers) == ""


def rows_by(path: Path, sheet: str, key: str = "encounter_id") -> list[dict[str, object]]:
    values = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    header = values[0]
    assert key in header and "rendering" in header, header
    return [dict(zip(header, row)) for row in values[1:] if any(cell is not None for cell in row)]


def doctors(practice_dir: Path) -> dict[str, str]:
    """Each billed claim's doctor as the reports should name them, from the ledger."""
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        found = tx.conn.execute(sa.select(claims.c.encounter_id, claims.c.rendering_npi)).all()
    return {eid: NAMES.get(npi or "", npi or "") for eid, npi in found}


@pytest.fixture
def the_day(practice_dir: Path, invoke) -> Path:
    result = invoke("run", practice_dir)
    assert result.exit_code == 0, result.output
    return practice_dir


def test_the_remit_report_names_the_doctor_of_every_paid_and_denied_claim(the_day: Path) -> None:
    expected = doctors(the_day)
    [report] = (the_day / "out" / "reports").glob("remit-*.xlsx")
    payments = rows_by(report, "Payments")
    assert payments and all(r["rendering"] == expected[str(r["encounter_id"])] for r in payments)
    assert {r["rendering"] for r in payments} >= {"Park, Helen", "Ortiz, Samuel"}
    denials = rows_by(report, "Denials")
    assert denials and all(r["rendering"] == expected[str(r["encounter_id"])] for r in denials)


def test_the_denial_and_follow_up_worklists_name_the_doctor(the_day: Path) -> None:
    expected = doctors(the_day)
    reports = the_day / "out" / "reports"
    [denials] = reports.glob("denials-*.xlsx")
    worked = rows_by(denials, "Denials")
    assert worked and all(r["rendering"] == expected[str(r["encounter_id"])] for r in worked)
    [followup] = reports.glob("followup-*.xlsx")
    unpaid = rows_by(followup, "Follow-up")
    assert unpaid and all(r["rendering"] == expected[str(r["encounter_id"])] for r in unpaid)
    assert all(r["rendering"] for r in unpaid)


def test_a_doctor_missing_from_the_providers_sheet_is_named_by_npi(the_day: Path, invoke) -> None:
    """The sheet changed after billing (a doctor left): the worklist still tells claims apart."""
    with Ledger.open(open_practice(the_day).db_url) as ledger, ledger.transaction() as tx:
        tx.conn.execute(claims.update().values(rendering_npi=UNLISTED))
    result = invoke("denials", "--practice", the_day)
    assert result.exit_code == 0, result.output
    [denials] = (the_day / "out" / "reports").glob("denials-*.xlsx")
    assert {r["rendering"] for r in rows_by(denials, "Denials")} == {UNLISTED}


def test_a_corrected_doctor_is_named_on_the_next_worklist(practice: Practice) -> None:
    """The biller fixes rendering_npi on the worklist: the claim row keeps the new doctor."""
    with Ledger.open(practice.db_url) as ledger, ledger.reading() as tx:
        eid, npi = tx.conn.execute(sa.select(claims.c.encounter_id, claims.c.rendering_npi).where(
            claims.c.payer_id.is_not(None)).order_by(claims.c.id)).first()
    other = NP_LEE if npi != NP_LEE else DR_ORTIZ
    reject(practice, eid, "A7-562-82")
    path = make_worklist(practice, practice.root / "made.xlsx", as_of=NOW.date()).path
    assert {r["rendering"] for r in worklist_rows(path) if r["encounter_id"] == eid} == {NAMES[npi]}
    edited = edit_worklist(path, {(eid, 1): {"rendering_npi": other, "action": "correct"}})
    result = resubmit_worklist(practice, edited, now=NOW)
    assert not result.has_errors, result.problems
    reject(practice, eid, "A7-562-82")
    again = make_worklist(practice, practice.root / "again.xlsx", as_of=NOW.date()).path
    assert {r["rendering"] for r in worklist_rows(again) if r["encounter_id"] == eid} == {NAMES[other]}
