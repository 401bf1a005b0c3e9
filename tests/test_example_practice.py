"""The example practice: realistic, clean, and the committed copy is what the generator makes."""

from __future__ import annotations

import datetime as dt
import importlib.util
import warnings
from pathlib import Path

import pytest

from medsheets.config import load_config
from medsheets.example import COMMITTED_DAYS, refresh_example, write_practice
from medsheets.example.build import main as build_main
from medsheets.identifiers import npi_is_valid
from medsheets.model import CodeSets, ServiceLine
from medsheets.workbook.codesets import read_codesets
from medsheets.workbook.encounters import read_encounter_workbook
from medsheets.workbook.table import Workbook

COMMITTED = Path(__file__).resolve().parent.parent / "examples" / "practice"
# What trying the example (the README's first command) leaves in it:
GIT_IGNORED = ("out", "medsheets.db", ".medsheets.lock", ".medsheets-ledger", ".medsheets-folder")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    write_practice(root, COMMITTED_DAYS, keep_files=True)
    return root


@pytest.fixture(scope="module")
def codesets(generated: Path) -> CodeSets:
    sets, problems = read_codesets(generated / "codesets.xlsx")
    assert problems == []
    return sets


@pytest.fixture(scope="module")
def lines(generated: Path) -> list[ServiceLine]:
    found: list[ServiceLine] = []
    for path in sorted((generated / "encounters").glob("*.xlsx")):
        book = read_encounter_workbook(path)
        assert book.problems == []
        found.extend(book.lines)
    return found


def tracked_files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.relative_to(root).as_posix().startswith(GIT_IGNORED)
    }


def sheet_values(path: Path) -> dict[str, list[list[object]]]:
    book = Workbook(path)
    return {name: book.rows(name)[0] for name in book.sheet_names}


def test_committed_example_is_what_the_generator_makes(generated: Path) -> None:
    assert tracked_files(COMMITTED) == tracked_files(generated)
    assert (COMMITTED / "medsheets.toml").read_text() == (generated / "medsheets.toml").read_text()
    for name in sorted(tracked_files(generated)):
        if name.endswith(".xlsx"):
            assert sheet_values(COMMITTED / name) == sheet_values(generated / name), name


def test_build_rewrites_the_example_and_leaves_other_files_alone(tmp_path: Path) -> None:
    (tmp_path / "medsheets.db").write_text("ledger")
    assert build_main([str(tmp_path)]) == 0
    assert (tmp_path / "medsheets.db").read_text() == "ledger"
    assert (tmp_path / "remits" / ".gitkeep").is_file()
    assert refresh_example(tmp_path)[:2] == ["medsheets.toml", "codesets.xlsx"]
    assert sorted(p.name for p in (tmp_path / "encounters").iterdir()) == [
        f"{day.isoformat()}.xlsx" for day in COMMITTED_DAYS]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".example-")]


def test_config_loads_with_well_formed_identifiers(generated: Path) -> None:
    config = load_config(generated / "medsheets.toml")
    assert npi_is_valid(config.practice.npi)
    assert len(config.practice.tax_id) == 9 and len(config.practice.zip) == 9
    assert config.email is not None and config.email.host == "smtp.example.com"


def test_every_diagnosis_is_billable_icd10cm(lines: list[ServiceLine], codesets: CodeSets) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as icd

    used = {code for line in lines for code in line.diagnoses}
    assert used <= codesets.diagnoses.keys()
    for code in codesets.diagnoses:
        assert icd.is_valid_item(code) and icd.is_leaf(code), code


def test_every_code_used_is_in_the_code_sets(lines: list[ServiceLine], codesets: CodeSets) -> None:
    for line in lines:
        assert line.procedure_code is not None
        assert line.procedure_code in codesets.procedures, line.procedure_code
        assert set(line.modifiers) <= codesets.modifiers.keys()
        assert line.payer_id is None or line.payer_id in codesets.payers
        procedure = codesets.procedures[line.procedure_code]
        assert line.units is not None and 1 <= line.units <= (procedure.max_units or 1)
        assert line.charge is None or line.charge == procedure.fee * line.units
        assert npi_is_valid(line.rendering_npi or "")
        assert line.referring_npi is None or npi_is_valid(line.referring_npi)


def test_code_sets_cover_what_the_practice_bills(codesets: CodeSets) -> None:
    assert {"25", "59", "XS", "LT", "RT", "GA", "33"} <= codesets.modifiers.keys()
    filing = {payer.claim_filing for payer in codesets.payers.values()}
    assert filing == {"MB", "MC", "CI", "HM"}
    assert {p.timely_filing_days for p in codesets.payers.values()} == {365}
    assert codesets.payers["NEMUT"].zip == "02134"
    assert codesets.procedures["99381"].max_age == 0
    assert codesets.procedures["99397"].min_age == 65
    assert codesets.procedures["G0102"].sex == "M"
    assert any(edit.modifier_allowed for edit in codesets.edits)


def test_encounters_hold_the_cases_a_biller_meets(lines: list[ServiceLine]) -> None:
    self_pay = {line.encounter_id for line in lines if line.is_self_pay}
    assert len(self_pay) >= 3
    assert any(line.subscriber_relationship == "child" and line.subscriber for line in lines)
    assert len([line for line in lines if line.prior_auth]) == 1
    assert any(line.units and line.units > 1 for line in lines)
    assert any(line.copay_collected for line in lines)
    names = {line.patient.last_name for line in lines}
    assert {"O'Brien", "Peña"} <= names
    assert "0500T" in {line.procedure_code for line in lines}
    assert "03301" in {line.patient.zip for line in lines}
    assert any(line.member_id and line.member_id.startswith("0") for line in lines)
    days_by_patient: dict[str, set[dt.date]] = {}
    for line in lines:
        assert line.date_of_service is not None
        days_by_patient.setdefault(line.patient_id or "", set()).add(line.date_of_service)
    assert sum(1 for days in days_by_patient.values() if len(days) == 2) >= 3


def test_modifier_25_visits_have_a_procedure_the_same_day(lines: list[ServiceLine]) -> None:
    with_25 = [line for line in lines if "25" in line.modifiers]
    assert with_25
    for line in with_25:
        others = [o for o in lines if o.encounter_id == line.encounter_id and o is not line]
        assert others, line.encounter_id


@pytest.mark.skipif(importlib.util.find_spec("medsheets.codes.scrub") is None,
                    reason="the claim scrubber (medsheets.codes.scrub) is not written yet")
@pytest.mark.parametrize("source", ["committed", "init"])
def test_the_scrubber_finds_nothing_wrong(source: str, tmp_path: Path,
                                          lines: list[ServiceLine], codesets: CodeSets) -> None:
    from medsheets.codes.scrub import scrub
    from medsheets.example import create_practice, recent_weekdays

    if source == "committed":
        day_lines, as_of = lines, COMMITTED_DAYS[1] + dt.timedelta(days=3)
    else:
        as_of = dt.date(2027, 3, 3)  # any other day: the example must check clean on it too
        create_practice(tmp_path / "p", recent_weekdays(as_of))
        day_lines = [line for path in sorted((tmp_path / "p" / "encounters").glob("*.xlsx"))
                     for line in read_encounter_workbook(path).lines]
    result = scrub(day_lines, codesets, as_of=as_of, default_place_of_service="11")
    assert [str(p) for p in result.problems] == []
    assert len(result.encounters) == 29


def test_regenerating_gives_the_same_bytes(tmp_path: Path, generated: Path) -> None:
    write_practice(tmp_path, COMMITTED_DAYS, keep_files=True)
    for name in sorted(tracked_files(generated)):
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name
