"""Returning patients bill from the ledger; the same visit under a new encounter id is held."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from workbook_factory import write_sheets
from x12_judge import validate_with_pyx12

from medsheets.claims import BillingResult, bill_workbooks
from medsheets.ledger import Ledger
from medsheets.ledger.schema import claims, journal
from medsheets.model import Coverage, Guarantor, PatientProfile, Person
from medsheets.practice import open_practice

NOW = dt.datetime(2026, 11, 27, 10, 30)
FIRST_VISIT = dt.date(2026, 11, 20)
SECOND_VISIT = dt.date(2026, 11, 23)
PARENT = {"subscriber_relationship": "child", "subscriber_last_name": "Quinn",
          "subscriber_first_name": "Dana", "subscriber_dob": dt.date(1988, 4, 2),
          "subscriber_sex": "F"}
FULL: dict[str, Any] = {
    "patient_id": "P900", "patient_last_name": "Quinn", "patient_first_name": "Riley",
    "patient_dob": dt.date(2016, 6, 1), "patient_sex": "F", "patient_address": "7 Birch Ln",
    "patient_city": "Springfield", "patient_state": "IL", "patient_zip": "62704",
    "patient_email": "dana.quinn@example.com", "payer_id": "BSTAR", "member_id": "BSX900100",
    "group_number": "0045821", **PARENT,
}
VISIT = {"procedure_code": "99213", "dx1": "J06.9"}


def workbook(path: Path, *rows: dict[str, Any]) -> Path:
    header = list(dict.fromkeys(k for row in rows for k in row))
    return write_sheets(path, {"Encounters": [header, *([row.get(k) for k in header] for row in rows)]})


def visit(eid: str, day: dt.date, **fields: Any) -> dict[str, Any]:
    return {"encounter_id": eid, "date_of_service": day, **fields, **VISIT}


def bill(practice_dir: Path, *books: Path, minutes: int = 0) -> BillingResult:
    return bill_workbooks(open_practice(practice_dir), list(books), now=NOW + dt.timedelta(minutes=minutes))


def segments_of(result: BillingResult) -> list[list[str]]:
    assert result.batch_file is not None
    assert validate_with_pyx12(result.batch_file) == []
    return [s.strip().split("*") for s in result.batch_file.read_text().split("~") if s.strip()]


def nm1(segments: list[list[str]], entity: str) -> list[str]:
    [found] = [s for s in segments if s[:2] == ["NM1", entity]]
    return found


def after(segments: list[list[str]], entity: str, tag: str) -> list[str]:
    """The first `tag` segment after the NM1 of `entity` (its N3, N4, DMG)."""
    start = segments.index(nm1(segments, entity))
    return next(s for s in segments[start:] if s[0] == tag)


def test_a_returning_patient_with_blank_details_is_billed_from_the_ledger(practice_dir: Path, tmp_path: Path) -> None:
    first = bill(practice_dir, workbook(tmp_path / "day1.xlsx", visit("Q1", FIRST_VISIT, **FULL)))
    assert first.held == [] and [e.encounter_id for e in first.billed] == ["Q1"]
    blank = workbook(tmp_path / "day2.xlsx", visit("Q2", SECOND_VISIT, patient_id="P900", payer_id="BSTAR"))
    second = bill(practice_dir, blank, minutes=1)
    assert second.problems == [] and [e.encounter_id for e in second.billed] == ["Q2"]
    sent = segments_of(second)
    assert nm1(sent, "IL")[3:5] == ["QUINN", "DANA"] and nm1(sent, "IL")[-1] == "BSX900100"
    assert nm1(sent, "QC")[3:5] == ["QUINN", "RILEY"]
    assert after(sent, "QC", "N3")[1] == "7 BIRCH LN"
    assert after(sent, "QC", "DMG")[2:] == ["20160601", "F"]
    assert ["SBR", "P", "", "0045821", "", "", "", "", "", "CI"] in sent or any(
        s[0] == "SBR" and s[3] == "0045821" for s in sent)


def test_the_workbook_wins_and_a_changed_address_or_member_id_is_remembered(
        practice_dir: Path, tmp_path: Path) -> None:
    bill(practice_dir, workbook(tmp_path / "day1.xlsx", visit("Q1", FIRST_VISIT, **FULL)))
    moved = workbook(tmp_path / "day2.xlsx", visit("Q2", SECOND_VISIT, patient_id="P900", payer_id="BSTAR",
                                                   patient_address="90 Cedar Ct", member_id="BSX555000"))
    sent = segments_of(bill(practice_dir, moved, minutes=1))
    assert after(sent, "QC", "N3")[1] == "90 CEDAR CT" and nm1(sent, "IL")[-1] == "BSX555000"
    later = workbook(tmp_path / "day3.xlsx", visit("Q3", dt.date(2026, 11, 24), patient_id="P900",
                                                   payer_id="BSTAR"))
    sent = segments_of(bill(practice_dir, later, minutes=2))
    assert after(sent, "QC", "N3")[1] == "90 CEDAR CT" and nm1(sent, "IL")[-1] == "BSX555000"


def test_a_workbook_filled_from_an_older_profile_is_still_already_billed(practice_dir: Path, tmp_path: Path) -> None:
    day1 = workbook(tmp_path / "day1.xlsx", visit("Q1", FIRST_VISIT, **FULL))
    day2 = workbook(tmp_path / "day2.xlsx", visit("Q2", SECOND_VISIT, patient_id="P900", payer_id="BSTAR"))
    bill(practice_dir, day1, day2)
    moved = {**FULL, "patient_address": "90 Cedar Ct", "member_id": "BSX555000"}
    bill(practice_dir, workbook(tmp_path / "day3.xlsx", visit("Q3", dt.date(2026, 11, 24), **moved)), minutes=1)
    again = bill(practice_dir, day1, day2, minutes=2)
    assert again.problems == [] and sorted(again.already_billed) == ["Q1", "Q2"]


def test_check_fills_from_the_ledger_too(practice_dir: Path, tmp_path: Path, invoke) -> None:
    blank = workbook(tmp_path / "day2.xlsx", visit("Q2", SECOND_VISIT, patient_id="P900", payer_id="BSTAR"))
    before = invoke("check", blank, "--practice", practice_dir, "--as-of", "2026-11-27")
    assert before.exit_code == 1 and "MS-REQUIRED" in before.output
    assert not (practice_dir / "medsheets.db").exists()  # checking alone creates no ledger
    bill(practice_dir, workbook(tmp_path / "day1.xlsx", visit("Q1", FIRST_VISIT, **FULL)))
    after_billing = invoke("check", blank, "--practice", practice_dir, "--as-of", "2026-11-27")
    assert after_billing.exit_code == 0, after_billing.output


def test_profiles_keep_what_a_blank_would_erase(tmp_path: Path) -> None:
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    person = Person("Quinn", "Riley", dt.date(2016, 6, 1), "F", "7 Birch Ln", "Springfield", "IL", "62704")
    coverage = Coverage("BSTAR", "BSX900100", "0045821", "child", Person("Quinn", "Dana", None, "F"))
    guarantor = Guarantor("Quinn", "Dana", "7 Birch Ln", "Springfield", "IL", "62704", "d@example.com")
    with ledger.transaction() as tx:
        tx.remember_profiles({"P900": PatientProfile(person, "d@example.com", None, {"BSTAR": coverage},
                                                     guarantor)})
        tx.remember_profiles({"P900": PatientProfile(Person(None, None, None, None, "90 Cedar Ct"), None,
                                                     "2175550000", {"BSTAR": Coverage("BSTAR", "BSX2")})})
        [profile] = tx.patient_profiles(["P900"]).values()
    assert profile.patient.last_name == "Quinn" and profile.patient.address == "90 Cedar Ct"
    assert profile.email == "d@example.com" and profile.phone == "2175550000"
    assert profile.guarantor == guarantor
    assert profile.coverages["BSTAR"] == Coverage("BSTAR", "BSX2", "0045821", "self",
                                                  Person("Quinn", "Dana", None, "F"))
    ledger.close()


# ---------------------------------------------------------------- duplicate visits across days


def ledger_rows(practice_dir: Path) -> tuple[list[Any], int]:
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        rows = tx.conn.execute(sa.select(claims.c.encounter_id, claims.c.fingerprint,
                                         claims.c.status).order_by(claims.c.id)).all()
        entries = tx.conn.execute(sa.select(sa.func.count()).select_from(journal)).scalar_one()
    ledger.close()
    return [tuple(r) for r in rows], entries


def test_the_same_visit_under_a_new_id_is_held_naming_the_earlier_claim(practice_dir: Path, tmp_path: Path) -> None:
    bill(practice_dir, workbook(tmp_path / "day1.xlsx", visit("Q1", FIRST_VISIT, **FULL)))
    before = ledger_rows(practice_dir)
    again = workbook(tmp_path / "day2.xlsx", visit("Q1B", FIRST_VISIT, **FULL))
    result = bill(practice_dir, again, minutes=1)
    [problem] = result.problems
    assert problem.code == "MS-DUPLICATE-BILLED" and problem.source.field == "procedure_code"
    assert problem.source.cell is not None and "claim Q1" in problem.message
    assert "76/77 or 59" in problem.message
    assert result.held == ["Q1B"] and result.billed == [] and result.batch_file is None
    assert ledger_rows(practice_dir) == before


def test_a_second_service_with_modifier_76_is_billed(practice_dir: Path, tmp_path: Path) -> None:
    bill(practice_dir, workbook(tmp_path / "day1.xlsx", visit("Q1", FIRST_VISIT, **FULL)))
    repeat = workbook(tmp_path / "day2.xlsx", {**visit("Q1B", FIRST_VISIT, **FULL), "modifier1": "76"})
    result = bill(practice_dir, repeat, minutes=1)
    assert result.problems == [] and [e.encounter_id for e in result.billed] == ["Q1B"]


def test_the_same_visit_in_two_new_workbooks_is_billed_once(practice_dir: Path, tmp_path: Path) -> None:
    one = workbook(tmp_path / "a.xlsx", visit("Q1", FIRST_VISIT, **FULL))
    two = workbook(tmp_path / "b.xlsx", visit("Q7", FIRST_VISIT, **FULL))
    result = bill(practice_dir, one, two)
    assert [e.encounter_id for e in result.billed] == ["Q1"]
    [problem] = result.refused
    assert problem.code == "MS-DUPLICATE-BILLED" and problem.source.file == "b.xlsx"


def test_check_reports_the_duplicate_as_json(practice_dir: Path, tmp_path: Path, invoke) -> None:
    bill(practice_dir, workbook(tmp_path / "day1.xlsx", visit("Q1", FIRST_VISIT, **FULL)))
    again = workbook(tmp_path / "day2.xlsx", visit("Q1B", FIRST_VISIT, **FULL))
    result = invoke("check", again, "--practice", practice_dir, "--as-of", "2026-11-27", "--json")
    assert result.exit_code == 1
    [found] = json.loads(result.output)
    assert found["code"] == "MS-DUPLICATE-BILLED" and found["field"] == "procedure_code"
