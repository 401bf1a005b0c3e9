"""Paper claims: a `paper` payer's claims become CMS-1500 forms that carry the 837's values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from x12_judge import (
    NOW,
    PAYERS,
    REFERRING_NPI,
    RENDERING_NPI,
    make_config,
    make_encounter,
    validate_with_pyx12,
)

from medsheets.claims import bill_workbooks
from medsheets.ledger import Ledger
from medsheets.ledger.schema import claim_events, claims
from medsheets.model import Coverage, Person
from medsheets.paper.batch import PREPRINTED_SUFFIX, forms_from_json, paper_output
from medsheets.paper.form import claim_forms
from medsheets.paper.grid import x_inch, y_inch
from medsheets.paper.pdf_text import pdf_string
from medsheets.paper.render import DATA_BASELINE, PDF_TITLE, render_forms
from medsheets.practice import open_practice
from medsheets.x12.claim837 import write_837p
from medsheets.x12.envelope import ControlNumbers
from medsheets.x12.errors import ClaimInputError
from medsheets.x12.read837 import read_837p

CHILD = make_encounter(
    "E2",
    {"payer_id": "AETNA", "subscriber_relationship": "child",
     "subscriber": Person("Smith", "Ann", dt.date(1980, 1, 2), "F"),
     "patient": Person("Smith", "Léa", dt.date(2015, 3, 4), "F", "9 Elm Rd", "Springfield", "IL", "627040001"),
     "referring_npi": REFERRING_NPI, "referring_name": "Jones, Mary", "prior_auth": "PA998877",
     "rendering_npi": RENDERING_NPI, "modifiers": ("25",), "copay_collected": Decimal("20.00")},
    {"procedure_code": "36415", "charge": Decimal("15.50"), "diagnoses": ("E119", "I10")},
)
PAPER_PAYER = "NEMUT"  # made to take paper here, beside the example's own paper payer
EXAMPLE_PAPER_PAYER = "CHWF1"


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_boxes_carry_the_claim() -> None:
    [form] = claim_forms(CHILD, PAYERS["AETNA"], make_config())
    line = CHILD.first
    assert form.box("1a") == line.member_id
    assert form.box("2") == "SMITH, LEA"  # cleaned as the 837 cleans it
    assert form.box("3") == "03 04 2015 X"  # DOB MM DD YYYY, then the F box
    assert form.box("4") == "SMITH, ANN"
    assert form.box("5") == "9 ELM RD SPRINGFIELD IL 62704-0001"
    assert form.box("11") == line.group_number
    assert form.box("17") == "DN JONES, MARY" and form.box("17b") == REFERRING_NPI
    assert form.box("21") == "0"  # ICD-10-CM
    assert (form.box("21A"), form.box("21B"), form.box("21C")) == ("E11.9", "I10", "")
    assert form.box("23") == "PA998877"
    assert form.box("24A.1") == "11 20 26 11 20 26"
    assert form.box("24D.1") == "99213 25" and form.box("24D.2") == "36415"
    assert form.box("24E.1") == "A" and form.box("24E.2") == "AB"
    assert form.box("24F.1") == "125 00" and form.box("24F.2") == "15 50"
    assert form.box("24G.1") == "1" and form.box("24J.1") == RENDERING_NPI
    assert form.box("25") == "123456789 X" and form.box("26") == "E2"
    assert form.box("28") == "140 50" and form.box("29") == "20 00"
    assert form.box("33a") == "1234567893" == form.box("32a")


def test_the_other_insurance_boxes_name_the_secondary_or_say_there_is_none() -> None:
    """Items 9, 9a, 9d carry the secondary the 837 names in 2330A/2330B; 11d says YES then,
    NO without one (its NO box at column 57, YES at 52)."""
    spouse = Person("Smith", "Paul", dt.date(1979, 5, 6), "M")
    covered = make_encounter(
        "E3", {"payer_id": "AETNA", "member_id": "AET123",
               "secondary": Coverage("BCBS1", "XYZ987", "GRP55", "spouse", spouse)})
    [form] = claim_forms(covered, PAYERS["AETNA"], make_config(), PAYERS)
    assert form.box("9") == "SMITH, PAUL"
    assert form.box("9a") == "GRP55"
    assert form.box("9d") == "BLUE CROSS BLUE SHIELD OF ILL"  # the box holds 29 characters
    assert [(f.line, f.column) for f in form.fields if f.box == "11d"] == [(26, 52)]
    [alone] = claim_forms(CHILD, PAYERS["AETNA"], make_config(), PAYERS)
    assert alone.box("9") == alone.box("9a") == alone.box("9d") == ""
    assert [(f.line, f.column) for f in alone.fields if f.box == "11d"] == [(26, 57)]


def test_the_pdf_text_carries_every_box_on_both_variants() -> None:
    forms = claim_forms(CHILD, PAYERS["AETNA"], make_config())
    drawn = pdf_text(render_forms(forms, drawn=True))
    assert len(drawn) == 1 and "HEALTH INSURANCE CLAIM FORM" in drawn[0]
    for value in ("XYZ123456789", "SMITH, LEA", "SMITH, ANN", "E11.9", "I10", "99213", "36415",
                  "PA998877", RENDERING_NPI, "140", "SIGNATURE ON FILE", "123456789"):
        assert value in drawn[0], value
    data_only = pdf_text(render_forms(forms, drawn=False))
    assert len(data_only) == 2  # the alignment page, then the form
    assert "ALIGNMENT TEST" in data_only[0] and "XYZ123456789" not in data_only[0]
    assert "XYZ123456789" in data_only[1] and "HEALTH INSURANCE CLAIM FORM" not in data_only[1]


def test_the_form_is_drawn_once_per_document_however_many_pages() -> None:
    """The drawn form is one Form XObject that every page places, and the same forms give the
    same bytes, titled alike and undated."""
    lines = [{"procedure_code": "99213", "charge": Decimal("10.00")} for _ in range(13)]
    forms = claim_forms(make_encounter("E13", *lines), PAYERS["AETNA"], make_config())
    data = render_forms(forms, drawn=True)
    reader = PdfReader(io.BytesIO(data))
    objects = [reader.get_object(number) for number in range(1, reader.trailer["/Size"])]
    drawn = [obj for obj in objects if hasattr(obj, "get") and obj.get("/Subtype") == "/Form"]
    placed = {page["/Resources"]["/XObject"].raw_get("/Frame").idnum for page in reader.pages}
    assert len(reader.pages) == 3 and len(drawn) == 1 and placed == {drawn[0].indirect_reference.idnum}
    assert all("HEALTH INSURANCE CLAIM FORM" in text for text in pdf_text(data))
    assert render_forms(forms, drawn=True) == data
    assert reader.metadata.title == PDF_TITLE and "/CreationDate" not in reader.metadata
    data_only = PdfReader(io.BytesIO(render_forms(forms, drawn=False)))
    assert all("/XObject" not in page["/Resources"] for page in data_only.pages)


def test_each_line_of_data_starts_in_the_cell_the_grid_names() -> None:
    """Read back from the PDF: each grid line's first field starts at its (line, column), the
    baseline just above the line's foot."""
    [form] = claim_forms(CHILD, PAYERS["AETNA"], make_config())
    shown: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            shown.append((tm[4], tm[5], text))

    PdfReader(io.BytesIO(render_forms([form], drawn=False))).pages[1].extract_text(visitor_text=visit)
    filled = [f for f in form.fields if f.text]
    assert len(filled) > 40
    for line in {f.line for f in filled}:
        first = min((f for f in filled if f.line == line), key=lambda f: f.column)
        x, y = 72 * x_inch(first.column), 792 - 72 * (y_inch(line) + DATA_BASELINE)
        assert any(abs(at_x - x) < 0.01 and abs(at_y - y) < 0.01 and text.startswith(first.shown)
                   for at_x, at_y, text in shown), (first, shown)


def test_text_outside_winansi_prints_as_a_question_mark() -> None:
    assert pdf_string("Léa (€) \\ Łukasz\x07") == b"(L\xe9a \\(\x80\\) \\\\ ?ukasz?)"


def test_seven_lines_continue_on_a_second_form_with_its_own_total() -> None:
    lines = [{"procedure_code": "99213", "charge": Decimal("10.00")} for _ in range(7)]
    forms = claim_forms(make_encounter("E7", *lines), PAYERS["AETNA"], make_config())
    assert [(f.page, f.pages) for f in forms] == [(1, 2), (2, 2)]
    assert forms[0].box("28") == "60 00" and forms[1].box("28") == "10 00"
    assert forms[1].box("24D.1") == "99213" and forms[1].box("24D.2") == ""


def test_the_kept_forms_are_their_fields_as_json_and_read_back_the_same() -> None:
    lines = [{"procedure_code": "99213", "charge": Decimal("10.00")} for _ in range(7)]
    forms = claim_forms(make_encounter("E7", *lines), PAYERS["AETNA"], make_config())
    forms += claim_forms(CHILD, PAYERS["AETNA"], make_config())
    content = paper_output("run.pdf", forms).content
    assert content == json.dumps([dataclasses.asdict(f) for f in forms], separators=(",", ":"))
    assert forms_from_json(content) == forms


def test_a_form_refuses_what_a_claim_cannot_carry() -> None:
    with pytest.raises(ClaimInputError, match="rendering_npi"):
        claim_forms(make_encounter("E8", {"rendering_npi": "1234567890"}), PAYERS["AETNA"], make_config())


def test_the_same_claim_in_the_837_and_on_paper_agree() -> None:
    text = write_837p([CHILD], party=make_config().billing_party, payers=PAYERS, now=NOW,
                      control=ControlNumbers(1, 1, 1), line_control_numbers={})
    [sent] = read_837p(text, "t.837")
    [form] = claim_forms(CHILD, PAYERS["AETNA"], make_config())
    assert form.box("26") == sent.claim_id
    assert Decimal(form.box("28").replace(" ", ".")) == sent.total
    segments = [s.strip().split("*") for s in text.split("~")]
    subscriber = next(s for s in segments if s[:2] == ["NM1", "IL"])
    assert form.box("1a") == subscriber[9] and form.box("4") == f"{subscriber[3]}, {subscriber[4]}"
    hi = next(s for s in segments if s[0] == "HI")
    assert [c.split(":")[1] for c in hi[1:]] == [form.box(f"21{x}").replace(".", "") for x in "AB"]
    sv1 = [s for s in segments if s[0] == "SV1"]
    for number, segment in enumerate(sv1, 1):
        code = segment[1].split(":")[1:]
        assert form.box(f"24D.{number}") == " ".join(code)
        assert Decimal(form.box(f"24F.{number}").replace(" ", ".")) == Decimal(segment[2])
        assert form.box(f"24E.{number}") == "".join("ABCDEFGHIJKL"[int(p) - 1] for p in segment[7].split(":"))


def submission_column(sheet: openpyxl.worksheet.worksheet.Worksheet) -> int:
    """The Payers sheet's submission column, added when the sheet has none."""
    headers = [cell.value for cell in sheet[1]]
    if "submission" in headers:
        return headers.index("submission") + 1
    sheet.cell(1, sheet.max_column + 1, "submission")
    return sheet.max_column


def paper_payer(practice_dir: Path) -> None:
    """Make one of the example's payers take paper (the Payers sheet gains the column)."""
    path = practice_dir / "codesets.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Payers"]
    column = submission_column(sheet)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == PAPER_PAYER:
            sheet.cell(row, column, "paper")
    book.save(path)


def test_a_paper_payers_claims_are_printed_not_sent_and_only_once(practice_dir: Path) -> None:
    paper_payer(practice_dir)
    practice = open_practice(practice_dir)
    books = sorted((practice_dir / "encounters").glob("*.xlsx"))
    result = bill_workbooks(practice, books, now=NOW)
    paper = [e for e in result.billed if e.first.payer_id in (PAPER_PAYER, EXAMPLE_PAPER_PAYER)]
    assert paper and sorted(result.on_paper) == sorted(e.encounter_id for e in paper)
    assert result.batch_file is not None and validate_with_pyx12(result.batch_file) == []
    sent = {c.claim_id for c in read_837p(result.batch_file.read_text(), "b.837")}
    assert sent == {e.encounter_id for e in result.billed} - set(result.on_paper)
    plain, red = result.paper_files
    assert red.name == plain.name[:-4] + PREPRINTED_SUFFIX
    assert plain.stat().st_mode & 0o777 == 0o600
    pages = pdf_text(plain.read_bytes())
    assert len(pages) >= len(paper)
    for encounter in paper:
        assert any(encounter.first.member_id in page and encounter.encounter_id in page for page in pages)
    ledger = Ledger.open(practice.db_url)
    with ledger.reading() as tx:
        rows = tx.conn.execute(sa.select(claims.c.encounter_id, claims.c.batch_id, claims.c.first_billed_at)
                               .where(claims.c.payer_id.in_([PAPER_PAYER, EXAMPLE_PAPER_PAYER]))).all()
        events = tx.conn.execute(sa.select(claim_events.c.source, claim_events.c.event)).all()
    assert rows and all(r.batch_id is None and r.first_billed_at is not None for r in rows)
    assert events.count(("paper", "billed")) == len(paper)

    written = plain.read_bytes()  # drawn from the run's own forms (Run.keep's write_now)
    plain.unlink()  # a run killed before its PDF was renamed into place
    again = bill_workbooks(practice, books, now=NOW + dt.timedelta(minutes=5))
    assert again.billed == [] and plain.name in again.restored_files and plain.exists()
    assert plain.read_bytes() == written  # the restore, drawn from the kept JSON, is the same file
    assert again.paper_files == []


def test_submission_must_be_electronic_or_paper(practice_dir: Path, invoke) -> None:
    path = practice_dir / "codesets.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Payers"]
    sheet.cell(2, submission_column(sheet), "fax")
    book.save(path)
    from medsheets.workbook.codesets import read_codesets
    _, problems = read_codesets(path)
    assert [p.code for p in problems] == ["MS-CODESET-SUBMISSION"]
    assert "electronic or paper" in problems[0].message
