"""codesets.xlsx read from a real file: codes stay text, fees are exact, bad rows are left out.

The code sets are trusted by every edit, so a row the reader cannot read exactly must be
reported at its cell and kept out, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from workbook_factory import write_sheets

from medsheets.model import Problem
from medsheets.workbook.codesets import read_codesets

PROCEDURES: list[list[Any]] = [
    ["Fee Schedule 2026"],
    ["Code", "Description", "Fee", "Type", "Effective", "Max Units"],
    ["99213", "Office visit", "$1,234.50", None, "2026-01-01", 1],
    ["0001U", "PLA test", 250, None, dt.date(2026, 1, 1), None],
    ["J1100", "Dexamethasone", 10.005, "HCPCS", None, 10],
    ["99214", "Office visit", "#N/A", None, None, None],
    ["99215", None, None, None, None, None],
]
PAYERS: list[list[Any]] = [
    ["Payer ID", "Name", "Claim Filing", "ZIP", "Allowed Percent", "Timely Filing Days"],
    ["00123", "Medicare Part B", "MB", 2134, 80, 365],
    ["BCBS", "Blue Cross", "CI", "60601-1234", "0.75", None],
    ["AETNA", "Aetna", "XX", "06103", None, None],
]


def write_codesets(path: Path, **overrides: Sequence[Sequence[Any]]) -> Path:
    sheets: dict[str, Sequence[Sequence[Any]]] = {
        "Procedures": PROCEDURES,
        "Modifiers": [["code", "description"], ["25", "Significant E/M"], ["lt", "Left"]],
        "Payers": PAYERS,
        "Diagnoses": [["CODE", "DESCRIPTION"], ["E11.9", "Type 2 diabetes"]],
        "Edits": [["column_1", "column_2", "modifier allowed"], ["99213", "36415", 1]],
    }
    sheets.update(overrides)
    return write_sheets(path, {k: v for k, v in sheets.items() if v})


def at(problems: list[Problem], code: str) -> list[str]:
    return [f"{p.source.sheet}!{p.source.cell}" for p in problems if p.code == code]


def test_procedures_keep_codes_as_text_and_fees_exact(tmp_path: Path) -> None:
    codes, problems = read_codesets(write_codesets(tmp_path / "codesets.xlsx"))
    assert [p for p in problems if p.source.sheet == "Procedures" and p.source.row in (3, 4)] == []
    assert codes.procedures["99213"].fee == Decimal("1234.50")
    assert codes.procedures["99213"].effective == dt.date(2026, 1, 1)
    assert codes.procedures["0001U"].fee == Decimal("250.00")
    assert codes.procedures["0001U"].type == "CPT"
    assert codes.procedures["0001U"].origin is not None
    assert codes.procedures["0001U"].origin.at("fee").cell == "C4"


def test_unreadable_fees_are_reported_at_their_cell_and_left_out(tmp_path: Path) -> None:
    codes, problems = read_codesets(write_codesets(tmp_path / "codesets.xlsx"))
    assert at(problems, "MS-CELL-MONEY") == ["Procedures!C5"]
    assert at(problems, "MS-CELL-ERROR") == ["Procedures!C6"]
    assert "J1100" not in codes.procedures and "99214" not in codes.procedures
    assert "99215" not in codes.procedures
    assert "Procedures!C7" in at(problems, "MS-CODESET-ROW")


def test_payers_ids_zip_and_percent(tmp_path: Path) -> None:
    codes, problems = read_codesets(write_codesets(tmp_path / "codesets.xlsx"))
    medicare = codes.payers["00123"]
    assert (medicare.zip, medicare.allowed_percent, medicare.timely_filing_days) == (
        "02134",
        Decimal("0.8"),
        365,
    )
    assert codes.payers["BCBS"].zip == "606011234"
    assert codes.payers["BCBS"].allowed_percent == Decimal("0.75")
    assert at(problems, "MS-CELL-ZIP-RESTORED") == ["Payers!D2"]
    assert at(problems, "MS-CODESET-FILING") == ["Payers!C4"] and "AETNA" not in codes.payers


def test_modifiers_diagnoses_and_edits(tmp_path: Path) -> None:
    codes, _ = read_codesets(write_codesets(tmp_path / "codesets.xlsx"))
    assert set(codes.modifiers) == {"25", "LT"}
    assert set(codes.diagnoses) == {"E119"}
    assert [(e.column1, e.column2, e.modifier_allowed) for e in codes.edits] == [
        ("99213", "36415", True)
    ]


def test_missing_required_sheet_is_named(tmp_path: Path) -> None:
    codes, problems = read_codesets(write_codesets(tmp_path / "codesets.xlsx", Payers=[]))
    missing = [p for p in problems if p.code == "MS-SHEET-MISSING"]
    assert len(missing) == 1 and "'Payers'" in missing[0].message
    assert missing[0].source.file == "codesets.xlsx"
    assert codes.payers == {} and "99213" in codes.procedures
