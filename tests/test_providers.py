"""The Providers sheet: who renders and who refers, by name, on every claim (docs/files.md, §3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from edits_factory import VALID_NPI, assert_problem, cell, line, problems, run
from encounter_cells import edit_cells
from workbook_factory import write_sheets
from x12_judge import NOW, PAYERS, check_837_rules, make_config, make_encounter, validate_with_pyx12

from medsheets.claims import bill_workbooks
from medsheets.codes.scrub import scrub
from medsheets.example.people import DR_ORTIZ, DR_PARK, NP_LEE, PROVIDERS, REFERRING_NPI
from medsheets.model import Provider
from medsheets.practice import open_practice
from medsheets.workbook.codesets import read_codesets
from medsheets.x12.claim837 import write_837p
from medsheets.x12.envelope import ControlNumbers

BILLING_NPI = "1234567893"
PARK = Provider("1497758544", "Park", "Helen", "207Q00000X")
ORTIZ = Provider("1245319599", "Ortiz", "Samuel", "207R00000X")
CLINIC = Provider("1639172653", "Riverbend Lab", None, None)  # an organisation: no first name
JONES = Provider("1356409890", "Jones", "Mary", None)
BY_NPI = {p.npi: p for p in (PARK, ORTIZ, CLINIC, JONES)}


def segments(text: str) -> list[list[str]]:
    return [s.strip().split("*") for s in text.split("~") if s.strip()]


def loops(text: str, qualifier: str) -> list[list[str]]:
    """Every NM1 with this entity code, each followed by its PRV if one comes right after."""
    found, items = [], segments(text)
    for i, seg in enumerate(items):
        if seg[0] == "NM1" and seg[1] == qualifier:
            following = items[i + 1] if i + 1 < len(items) else []
            found.append(seg + (["|"] + following if following[:1] == ["PRV"] else []))
    return found


# ------------------------------------------------------------------ the sheet itself


def test_the_providers_sheet_is_read_and_bad_rows_are_problems_at_their_cells(tmp_path: Path) -> None:
    book = tmp_path / "codesets.xlsx"
    write_sheets(book, {
        "Procedures": [["code", "fee"], ["99213", 100]],
        "Modifiers": [["code"], ["25"]],
        "Payers": [["payer_id", "name", "claim_filing"], ["AETNA", "Aetna", "CI"]],
        "Providers": [["NPI", "Last Name", "First Name", "Taxonomy"],
                      [PARK.npi, "Park", "Helen", "207Q00000X"],
                      [CLINIC.npi, "Riverbend Lab", None, None],
                      ["1234567890", "Bad", "Check", None],
                      [ORTIZ.npi, "Ortiz", "Samuel", "internal"]],
    })
    codesets, found = read_codesets(book)
    assert codesets.providers[PARK.npi] == PARK
    assert not codesets.providers[CLINIC.npi].is_person
    assert "1234567890" not in codesets.providers
    assert codesets.providers[ORTIZ.npi].taxonomy is None
    assert {(p.code, p.source.cell) for p in found} == {("MS-CODESET-NPI", "A4"),
                                                       ("MS-CODESET-TAXONOMY", "D5")}


def test_the_example_lists_its_clinicians_and_the_referring_doctor(practice_dir: Path) -> None:
    codesets, found = read_codesets(practice_dir / "codesets.xlsx")
    assert found == []
    assert set(codesets.providers) == {p.npi for p in PROVIDERS} >= {DR_PARK, DR_ORTIZ, NP_LEE, REFERRING_NPI}
    config = open_practice(practice_dir).config
    assert config.practice.default_rendering_npi in codesets.providers


# ------------------------------------------------------------------ the edits


def test_a_rendering_npi_not_in_the_providers_sheet_is_held_at_its_cell() -> None:
    unlisted = "1245319599"
    assert_problem(problems([line(rendering_npi=unlisted)]), "MS-PROVIDER-UNKNOWN", "rendering_npi")
    assert problems([line(rendering_npi=VALID_NPI)]) == []


def test_a_blank_rendering_npi_takes_the_practice_default_and_is_checked_too() -> None:
    from edits_factory import codesets

    result = scrub([line(rendering_npi=None)], codesets(), as_of=dt.date(2026, 11, 27),
                   default_place_of_service="11", default_rendering_npi=VALID_NPI)
    assert result.lines[0].rendering_npi == VALID_NPI and result.problems == ()
    unlisted = scrub([line(rendering_npi=None)], codesets(), as_of=dt.date(2026, 11, 27),
                     default_place_of_service="11", default_rendering_npi="1245319599")
    [problem] = unlisted.problems
    assert problem.code == "MS-PROVIDER-UNKNOWN" and problem.source.cell == cell("rendering_npi")


def test_a_referring_name_comes_from_the_sheet_unless_one_is_typed() -> None:
    from edits_factory import codesets

    sets = codesets(providers={VALID_NPI: Provider(VALID_NPI, "Park", "Helen"), JONES.npi: JONES})
    [filled] = run([line(referring_npi=JONES.npi)], sets).lines
    assert filled.referring_name == "Jones, Mary"
    [typed] = run([line(referring_npi=JONES.npi, referring_name="Jones-Smith, M")], sets).lines
    assert typed.referring_name == "Jones-Smith, M"
    assert_problem(problems([line(referring_npi="1245319599")], sets), "MS-REFERRING-NAME",
                   "referring_name")


# ------------------------------------------------------------------ the 837


def write(encounters: list, tmp_path: Path) -> str:
    text = write_837p(encounters, party=make_config().billing_party, payers=PAYERS, control=ControlNumbers(4, 4, 1),
                      now=NOW, line_control_numbers={}, providers=BY_NPI)
    path = tmp_path / "providers.837"
    path.write_text(text)
    assert validate_with_pyx12(path) == []
    assert check_837_rules(text) == []
    return text


def test_rendering_and_referring_names_and_taxonomy_come_from_the_sheet(tmp_path: Path) -> None:
    text = write([
        make_encounter("E1", {"rendering_npi": PARK.npi, "referring_npi": JONES.npi},
                     {"procedure_code": "36415", "rendering_npi": ORTIZ.npi}),
        make_encounter("E2", {"rendering_npi": CLINIC.npi, "referring_npi": JONES.npi,
                              "referring_name": "Jonas, Maria"}),
    ], tmp_path)
    rendering = loops(text, "82")
    assert rendering[0][:10] == ["NM1", "82", "1", "PARK", "HELEN", "", "", "", "XX", PARK.npi]
    assert rendering[0][10:] == ["|", "PRV", "PE", "PXC", "207Q00000X"]
    assert rendering[1][:10] == ["NM1", "82", "1", "ORTIZ", "SAMUEL", "", "", "", "XX", ORTIZ.npi]  # 2420A
    assert rendering[2] == ["NM1", "82", "2", "RIVERBEND LAB", "", "", "", "", "XX", CLINIC.npi]
    referring = loops(text, "DN")
    assert referring[0] == ["NM1", "DN", "1", "JONES", "MARY", "", "", "", "XX", JONES.npi]
    assert referring[1] == ["NM1", "DN", "1", "JONAS", "MARIA", "", "", "", "XX", JONES.npi]  # typed wins


def test_a_line_rendered_by_the_claims_doctor_has_no_2420a(tmp_path: Path) -> None:
    text = write([make_encounter("E1", {"rendering_npi": PARK.npi},
                                 {"procedure_code": "36415", "rendering_npi": PARK.npi})], tmp_path)
    assert len(loops(text, "82")) == 1


# ------------------------------------------------------------------ through `medsheets claims`


def names_in_batch(text: str) -> dict[str, set[tuple[str, str]]]:
    """NPI -> the (last, first) names it was sent under, rendering and referring alike."""
    found: dict[str, set[tuple[str, str]]] = {}
    for seg in segments(text):
        if seg[0] == "NM1" and seg[1] in ("82", "DN"):
            found.setdefault(seg[9], set()).add((seg[3], seg[4]))
    return found


def test_the_example_bills_each_doctor_under_their_own_name(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    result = bill_workbooks(practice, sorted((practice_dir / "encounters").glob("*.xlsx")), now=NOW)
    assert not result.has_errors and result.batch_file is not None
    assert validate_with_pyx12(result.batch_file) == []
    sent = names_in_batch(result.batch_file.read_text())
    listed = {p.npi: {(p.last_name.upper(), p.first_name.upper())} for p in PROVIDERS}
    assert {DR_PARK, DR_ORTIZ, NP_LEE, REFERRING_NPI} <= set(sent)
    assert all(sent[npi] == listed[npi] for npi in sent)
    summary = openpyxl.load_workbook(result.summary_file)["Claims"]
    header = [c.value for c in summary[1]]
    doctors = {row[header.index("provider")] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert {"Park, Helen", "Ortiz, Samuel", "Lee, Jordan"} <= doctors


def test_an_unlisted_rendering_npi_is_held_at_its_cell_and_the_rest_billed(practice_dir: Path) -> None:
    day = sorted((practice_dir / "encounters").glob("*.xlsx"))[0]
    edit_cells(day, {(1, "rendering_npi"): "1245319599"})
    result = bill_workbooks(open_practice(practice_dir), [day], now=NOW)
    [problem] = [p for p in result.problems if p.code == "MS-PROVIDER-UNKNOWN"]
    assert problem.source.field == "rendering_npi" and problem.source.row is not None
    first_encounter = result.checks[0].encounters[0].encounter_id
    assert result.held == [first_encounter]
    assert result.billed and first_encounter not in {e.encounter_id for e in result.billed}
    assert validate_with_pyx12(result.batch_file) == []
