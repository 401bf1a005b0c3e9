"""Guarantors: one statement per guarantor for every patient they answer for (SPEC §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import openpyxl
import sqlalchemy as sa
from invoices_support import amount_due, pdf_text
from workbook_factory import write_sheets

from medsheets.aging.sheets import AGENCY_COLUMNS, agency_values
from medsheets.claims import bill_workbooks
from medsheets.guarantors import guarantor_of
from medsheets.invoices import produce_statements
from medsheets.ledger import Ledger
from medsheets.ledger.reports import collections
from medsheets.ledger.schema import statements
from medsheets.model import Coverage, Guarantor, PatientProfile, Person
from medsheets.practice import open_practice
from medsheets.workbook.encounters import read_encounter_workbook

NOW = dt.datetime(2026, 11, 27, 10, 30)
STATEMENT_DAY = dt.date(2026, 11, 30)
HOME = {"patient_address": "7 Birch Ln", "patient_city": "Springfield", "patient_state": "IL",
        "patient_zip": "62704"}
DANA = {"guarantor_last_name": "Quinn", "guarantor_first_name": "Dana",
        "guarantor_email": "dana.quinn@example.com"}


def child(pid: str, first: str, born: dt.date, eid: str, charge: str, **more: Any) -> dict[str, Any]:
    return {"encounter_id": eid, "date_of_service": dt.date(2026, 11, 23), "patient_id": pid,
            "patient_last_name": "Quinn", "patient_first_name": first, "patient_dob": born,
            "patient_sex": "F", **HOME, "procedure_code": "99213", "charge": charge,
            "dx1": "J06.9", **more}


def workbook(path: Path, rows: list[dict[str, Any]], patients: list[dict[str, Any]] | None = None) -> Path:
    header = list(dict.fromkeys(k for row in rows for k in row))
    sheets = {"Encounters": [header, *([row.get(k) for k in header] for row in rows)]}
    if patients:
        p_header = list(dict.fromkeys(k for row in patients for k in row))
        sheets["Patients"] = [p_header, *([row.get(k) for k in p_header] for row in patients)]
    return write_sheets(path, sheets)


def family_day(practice_dir: Path, tmp_path: Path) -> None:
    """Two sisters Dana Quinn answers for (one named on her row, one in the Patients sheet),
    and a neighbour who answers for herself; all self-pay."""
    rows = [
        child("Q001", "Riley", dt.date(2016, 6, 1), "G1", "150.00", **DANA),
        child("Q002", "Avery", dt.date(2019, 2, 3), "G2", "87.35"),
        {**child("N001", "Morgan", dt.date(1980, 1, 1), "G3", "99.99"),
         "patient_last_name": "Lopez", "patient_email": "morgan@example.com"},
    ]
    book = workbook(tmp_path / "family.xlsx", rows, [{"patient_id": "Q002", **DANA}])
    result = bill_workbooks(open_practice(practice_dir), [book], now=NOW)
    assert not result.has_errors and len(result.self_pay) == 3


def test_the_patients_sheet_and_the_row_both_name_a_guarantor(tmp_path: Path) -> None:
    book = workbook(tmp_path / "day.xlsx", [child("Q001", "Riley", dt.date(2016, 6, 1), "G1", "1", **DANA),
                                            child("Q002", "Avery", dt.date(2019, 2, 3), "G2", "1")],
                    [{"patient_id": "Q002", **DANA, "guarantor_first_name": "D."}])
    first, second = read_encounter_workbook(book).lines
    assert first.guarantor == Guarantor("Quinn", "Dana", email="dana.quinn@example.com")
    assert second.guarantor is not None and second.guarantor.first_name == "D."


def test_two_children_of_one_guarantor_get_one_statement_and_one_email(practice_dir: Path, tmp_path: Path) -> None:
    family_day(practice_dir, tmp_path)
    practice = open_practice(practice_dir)
    result = produce_statements(practice, as_of=STATEMENT_DAY)
    assert sorted(s.recipient.account for s in result.plan.new) == ["N001", "Q001", "Q002"]
    pdfs = sorted((practice.out_dir / "invoices").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["statement-N001-2026-11-30.pdf", "statement-Q001-2026-11-30.pdf"]
    family = pdf_text(pdfs[1].read_bytes())
    assert amount_due(family) == Decimal("150.00") + Decimal("87.35") == Decimal("237.35")
    assert "DANA QUINN" in family and "Riley Quinn" in family and "Avery Quinn" in family
    assert family.index("Riley Quinn") < family.index("$150.00") and "$87.35" in family
    assert "Lopez" not in family and "N001" not in family and "$99.99" not in family
    neighbour = pdf_text(pdfs[0].read_bytes())
    assert amount_due(neighbour) == Decimal("99.99") and "Quinn" not in neighbour

    emails = sorted((practice.out_dir / "outbox").glob("*.eml"))
    assert [e.name for e in emails] == ["statement-N001-2026-11-30.eml", "statement-Q001-2026-11-30.eml"]
    message = BytesParser(policy=policy.default).parsebytes(emails[1].read_bytes())
    assert message["To"] == "dana.quinn@example.com"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == pdfs[1].read_bytes()

    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        rows = {r.patient_id: r for r in tx.conn.execute(sa.select(statements))}
    ledger.close()
    assert rows["Q001"].file_name == rows["Q002"].file_name == pdfs[1].name
    assert rows["Q001"].guarantor_key == rows["Q002"].guarantor_key != rows["N001"].guarantor_key
    assert Decimal(rows["Q002"].amount_due_cents) / 100 == Decimal("87.35")


def test_the_family_statement_is_restored_whole_if_its_pdf_went_missing(practice_dir: Path, tmp_path: Path) -> None:
    family_day(practice_dir, tmp_path)
    practice = open_practice(practice_dir)
    produce_statements(practice, as_of=STATEMENT_DAY)
    path = practice.out_dir / "invoices" / "statement-Q001-2026-11-30.pdf"
    original = path.read_bytes()
    path.unlink()
    again = produce_statements(practice, as_of=STATEMENT_DAY)
    assert again.plan.new == [] and again.restored == [path.name]
    assert path.read_bytes() == original


def test_a_bad_guarantor_email_is_reported_at_the_guarantor_email(practice_dir: Path,
                                                                 tmp_path: Path) -> None:
    """The patient's own bad address is reported at patient_email (test_invoices_email); a
    named guarantor's at guarantor_email, where the fix goes."""
    bad = {**DANA, "guarantor_email": "dana.quinn@example.com, riley@example.com"}
    book = workbook(tmp_path / "day.xlsx", [child("Q001", "Riley", dt.date(2016, 6, 1), "G1",
                                                  "150.00", **bad)])
    assert bill_workbooks(open_practice(practice_dir), [book], now=NOW).self_pay
    result = produce_statements(open_practice(practice_dir), as_of=STATEMENT_DAY)
    [problem] = [p for p in result.mail.problems if p.code == "MS-EMAIL-ADDRESS"]
    assert problem.source.field == "guarantor_email" and problem.source.file == "day.xlsx"
    assert "the guarantor_email has a comma" in problem.message
    assert "riley@" not in problem.message and "Quinn" not in problem.message


def test_the_default_guarantor_of_a_minor_is_the_parent_who_holds_the_policy() -> None:
    home = Person("Quinn", "Riley", dt.date(2016, 6, 1), "F", "7 Birch Ln", "Springfield", "IL", "62704")
    parent = Coverage("BSTAR", "BSX1", None, "child", Person("Quinn", "Dana", dt.date(1988, 4, 2), "F"))
    child_profile = PatientProfile(home, "dana@example.com", None, {"BSTAR": parent})
    guarantor = guarantor_of(child_profile, "BSTAR", STATEMENT_DAY)
    assert (guarantor.first_name, guarantor.last_name, guarantor.address) == ("Dana", "Quinn", "7 Birch Ln")
    assert guarantor.email == "dana@example.com" and not guarantor.minor_patient
    # Grown up, she answers for herself; a minor with no parent known is addressed "parent or guardian of".
    grown = guarantor_of(child_profile, "BSTAR", dt.date(2034, 6, 2))
    assert (grown.first_name, grown.minor_patient) == ("Riley", False)
    alone = guarantor_of(PatientProfile(home), None, STATEMENT_DAY)
    assert (alone.first_name, alone.minor_patient) == ("Riley", True)
    # The parent as a patient is the same guarantor: her own visits share the statement.
    mother = PatientProfile(Person("Quinn", "Dana", dt.date(1988, 4, 2), "F", "7 Birch Ln", "Springfield",
                                   "IL", "627041234"))
    assert guarantor_of(mother, None, STATEMENT_DAY).key == guarantor.key


def test_collections_name_the_guarantor_as_debtor_never_the_minor(practice_dir: Path, tmp_path: Path) -> None:
    family_day(practice_dir, tmp_path)
    ledger = Ledger.open(open_practice(practice_dir).db_url)
    with ledger.reading() as tx:
        [riley, neighbour] = collections.describe(tx, STATEMENT_DAY, ["Q001", "N001"])
    ledger.close()
    row = dict(zip((c.header for c in AGENCY_COLUMNS), agency_values(riley)))
    assert (row["Debtor last name"], row["Debtor first name"]) == ("Quinn", "Dana")
    assert row["Patient"] == "Riley Quinn" and row["Email"] == "dana.quinn@example.com"
    row = dict(zip((c.header for c in AGENCY_COLUMNS), agency_values(neighbour)))
    assert (row["Debtor first name"], row["Patient"]) == ("Morgan", "Morgan Lopez")


def test_aging_by_patient_shows_the_guarantor(practice_dir: Path, tmp_path: Path, invoke) -> None:
    family_day(practice_dir, tmp_path)
    result = invoke("aging", "--practice", practice_dir, "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    [book] = (practice_dir / "out" / "aging").glob("aging-*.xlsx")
    sheet = openpyxl.load_workbook(book, read_only=True)["By Patient"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "Account")
    by_account = {r[0]: dict(zip(header, r)) for r in rows[rows.index(header) + 1:] if r and r[0]}
    assert by_account["Q002"]["Guarantor"] == "Dana Quinn"
    assert by_account["N001"].get("Guarantor") in (None, "")
