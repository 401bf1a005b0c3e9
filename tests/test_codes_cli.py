"""`medsheets codes search` and `medsheets codes show`, and the annotated workbook's Codes sheet."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest


def search(invoke, *words: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = invoke("codes", "search", "--json", *words)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


@pytest.mark.parametrize("words, code", [
    ("osteoarthritis right knee", "M17.11"),
    ("knee right osteoarthritis", "M17.11"),
    ("dm2 without complications", "E11.9"),
    ("htn", "I10"),
    ("copd", "J44.9"),
    ("uti", "N39.0"),
    ("gerd", "K21.9"),
    ("chf", "I50.9"),
])
def test_search_puts_the_expected_code_first(invoke, words: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert search(invoke, *words.split())[0]["code"] == code


def test_search_lists_billable_codes_first_with_their_path(invoke) -> None:  # type: ignore[no-untyped-def]
    found = search(invoke, "type", "2", "diabetes")
    flags = [f["billable"] for f in found]
    assert flags == sorted(flags, reverse=True) and flags[0]
    path = [p["code"] for p in found[0]["path"]]
    assert path[-2:] == ["E08-E13", "E11"]


def test_search_prints_a_table(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("codes", "search", "htn", "--limit", "3")
    assert result.exit_code == 0
    assert "I10" in result.output and "Essential (primary) hypertension" in result.output


def test_search_without_a_match_exits_one(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("codes", "search", "zzqqx")
    assert result.exit_code == 1 and "No code in ICD-10-CM" in result.output


def test_search_the_practices_procedures(practice_dir: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("codes", "search", "--procedures", "--practice", practice_dir, "--json",
                    "pap")
    assert result.exit_code == 0, result.output
    assert [f["code"] for f in json.loads(result.output)] == ["Q0091"]


def test_show_prints_the_notes_of_e11(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("codes", "show", "E11")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("E11  Type 2 diabetes mellitus\n")
    assert "billable: no, a header;" in out and "    E11.9  Type 2 diabetes mellitus without" in out
    assert "type 1 diabetes mellitus (E10.-)   [at E11]" in out
    assert "Use additional code:\n    code to identify control using: injectable" in out
    assert "valid in: FY2026 (2025-10-01 to 2026-09-30, as a header)" in out


def test_show_prints_the_7th_characters_of_s93_401(invoke) -> None:  # type: ignore[no-untyped-def]
    out = invoke("codes", "show", "S93.401").output
    assert "7th character (required; the code is billable only with it):" in out
    assert "    A  initial encounter (the patient is receiving active treatment)" in out
    assert "    S  sequela" in out
    assert "Excludes2" in out and "strain of muscle and tendon of ankle and foot (S96.-)" in out
    assert "Code also:\n    any associated open wound   [at S93]" in out


def test_show_json_of_a_manifestation(invoke) -> None:  # type: ignore[no-untyped-def]
    shown = json.loads(invoke("codes", "show", "G63", "--json").output)
    assert shown["billable"] is True
    assert shown["code_first"][0]["text"].startswith("underlying disease")


def test_show_an_unknown_code_suggests_the_closest(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("codes", "show", "E11.99")
    assert result.exit_code == 1
    assert result.output.splitlines()[1].startswith("Did you mean: E11.9,")


def test_the_annotated_workbook_lists_the_days_codes(practice_dir: Path, tmp_path: Path,
                                                     invoke) -> None:  # type: ignore[no-untyped-def]
    day = min((practice_dir / "encounters").glob("*.xlsx"))
    out = tmp_path / "annotated.xlsx"
    result = invoke("check", "--practice", practice_dir, "--annotate", out, day)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Codes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("type", "code", "description", "status", "lines", "encounters")
    by_code = {r[1]: r for r in rows[1:]}
    assert by_code["I10"][:4] == ("diagnosis", "I10", "Essential (primary) hypertension",
                                  "billable")
    assert by_code["99213"][0] == "procedure" and by_code["99213"][3] == "in the fee schedule"
    assert by_code["Z79.84"][2] == "Long term (current) use of oral hypoglycemic drugs"
