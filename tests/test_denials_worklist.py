"""`medsheets denials`: what the worklist lists, and how the workbook is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from denials_support import (  # noqa: F401  (fixtures)
    NOW,
    answer,
    answer_many,
    billed_template_fixture,
    deny,
    practice_fixture,
    reject,
    worklist_rows,
)

from medsheets.denials.worklist import make_worklist
from medsheets.ledger import Ledger
from medsheets.ledger.schema import patients
from medsheets.practice import Practice

TODAY = NOW.date()


def test_worklist_lists_each_denied_claim_line_with_money_reasons_and_advice(practice: Practice) -> None:
    deny(practice, "E261125-02", "CO-16 N290", "ICN222")
    reject(practice, "E261125-03")
    answer(practice, "E261125-06", {"event": "partly_paid", "number": "ICN606"},
           {"event": "line_denied", "line": 2, "reasons": "CO-29"})
    answer(practice, "E261125-04", {"event": "accepted"})  # not a denial
    deny(practice, "E261125-07", "CO-16", "ICN7")
    answer(practice, "E261125-07", {"event": "corrected", "source": "resubmit"})  # worked already

    result = make_worklist(practice, None, as_of=TODAY)
    assert result.path == practice.root / "out" / "reports" / f"denials-{TODAY.isoformat()}.xlsx"
    rows = worklist_rows(result.path)
    assert [r["encounter_id"] for r in rows] == ["E261125-03"] * 4 + ["E261125-02"] * 3 + ["E261125-06"] * 5
    assert result.claims == 3 and len(result.rows) == 12

    first = next(r for r in rows if r["encounter_id"] == "E261125-02" and r["line"] == 1)
    assert (first["account"], first["patient"], first["payer"]) == ("001028", "O'Brien, Robert", "MCRB1")
    assert first["payer_claim_number"] == "ICN222" and first["status"] == "denied"
    assert Decimal(str(first["charge"])) == Decimal("135.00") == Decimal(str(first["insurance_balance"]))
    assert first["reason_codes"] == "CO-16 N290" and first["explanation"].startswith("CO-16: ")
    assert first["suggested_action"].startswith("correct: ")
    assert first["deadline"].date() == dt.date(2026, 12, 10) + dt.timedelta(days=365)
    assert first["days_left"] == (first["deadline"].date() - TODAY).days
    assert (first["procedure_code"], first["diagnoses"], first["units"]) == ("99213", "E11.9, I10, Z79.84", 1)
    assert first["action"] is None and first["reason"] == "CO-16"

    rejected = [r for r in rows if r["encounter_id"] == "E261125-03"]
    assert {r["status"] for r in rejected} == {"rejected"}
    assert rejected[0]["deadline"].date() == dt.date(2026, 11, 25) + dt.timedelta(days=365)
    assert Decimal(str(rejected[0]["paid"])) == Decimal("30.00")  # the copay at the visit
    assert rejected[1]["modifiers"] == "25"

    line_denied = {r["line"]: r for r in rows if r["encounter_id"] == "E261125-06"}
    assert line_denied[2]["status"] == "line denied" and line_denied[2]["suggested_action"].startswith("write off")
    assert line_denied[1]["status"] == "not denied" and line_denied[1]["suggested_action"] is None


def test_the_workbook_is_private_keeps_text_as_text_and_has_an_action_dropdown(practice: Practice) -> None:
    deny(practice, "E261125-02")
    ledger = Ledger.open(practice.db_url)
    with ledger.transaction() as tx:
        tx.conn.execute(patients.update().where(patients.c.patient_id == "001028")
                        .values(last_name='=HYPERLINK("http://x.example","y")'))
    ledger.close()
    target = practice.root / "work.xlsx"
    make_worklist(practice, target, as_of=TODAY)
    assert target.stat().st_mode & 0o777 == 0o600
    sheet = openpyxl.load_workbook(target)["Denials"]
    assert sheet.cell(2, 5).data_type == "s" and sheet.cell(2, 5).value.startswith("=HYPERLINK")
    assert sheet.cell(2, 4).value == "001028"  # the account number keeps its zeros
    assert not sheet.protection.sheet
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"correct,void,write off,bill patient,rebill"'
    header = [cell.value for cell in sheet[1]]
    assert str(validation.sqref) == f"{openpyxl.utils.get_column_letter(header.index('action') + 1)}2:" \
                                    f"{openpyxl.utils.get_column_letter(header.index('action') + 1)}4"
    start = header.index("procedure_code")
    assert header[start:start + 8] == ["procedure_code", "modifiers", "diagnoses", "units",
                                       "new_charge", "action", "reason", "note"]
    assert header[start + 8] == "bill_payer"  # then the claim's own values, as sent
    assert {"member_id", "group_number", "patient_dob", "rendering_npi"} <= set(header[start + 9:])
    assert sheet.cell(1, len(header)).fill.start_color.rgb.endswith("FFF2CC")  # editable: yellow


def test_no_denials_writes_an_empty_worklist(practice: Practice, invoke) -> None:
    result = invoke("denials", "--practice", practice.root, "--out", practice.root / "w.xlsx")
    assert result.exit_code == 0
    assert result.output == f"no rejected or denied claims to work\nwritten: {practice.root / 'w.xlsx'}\n"
    assert worklist_rows(practice.root / "w.xlsx") == []


def test_denials_cli_reports_counts_without_patient_names(practice: Practice, invoke) -> None:
    deny(practice, "E261125-02")
    answer(practice, "E261125-06", {"event": "partly_paid", "number": "ICN606"},
           {"event": "line_denied", "line": 2, "reasons": "CO-29"})
    result = invoke("denials", "--practice", practice.root, "--as-of", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "worklist: 2 claims, 8 lines, 237.00 open with insurance"
    path = practice.root / "out" / "reports" / f"denials-{TODAY.isoformat()}.xlsx"
    assert lines[-1] == f"written: {path}" and path.exists()
    assert "O'Brien" not in result.output and "Kowalski" not in result.output


def test_a_claim_without_its_837_is_still_listed(practice: Practice) -> None:
    deny(practice, "E261125-02")
    ledger = Ledger.open(practice.db_url)
    with ledger.transaction() as tx:
        tx.conn.execute(sa.text("UPDATE claims SET batch_id = NULL WHERE encounter_id = 'E261125-02'"))
    ledger.close()
    rows = make_worklist(practice, practice.root / "w.xlsx", as_of=TODAY).rows
    assert [row.diagnoses for row in rows] == [(), (), ()]
    assert [row.procedure_code for row in rows] == ["99213", "83036", "36415"]


def test_every_claim_of_the_example_denied_at_once(practice: Practice, tmp_path: Path) -> None:
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        encounter_ids = [row[0] for row in tx.conn.execute(sa.text(
            "SELECT encounter_id FROM claims WHERE payer_id IS NOT NULL"))]
    ledger.close()
    answer_many(practice, {eid: [{"event": "denied", "reasons": "CO-16", "number": f"ICN-{eid}"}]
                           for eid in encounter_ids})
    result = make_worklist(practice, tmp_path / "all.xlsx", as_of=TODAY)
    assert result.claims == len(encounter_ids)
