"""Hostile text in every field prints as text; a statement PDF loads nothing but its assets,
embeds no file, and names no patient in its metadata or file name."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from clock import EXAMPLE_AS_OF, TODAY
from invoices_support import pdf_text, self_pay_visit
from pypdf import PdfReader

from medsheets.config import PracticeInfo, Statements
from medsheets.invoices import compose, produce_statements, templates
from medsheets.invoices.fetcher import AssetFetcher, RefusedURL
from medsheets.invoices.records import Account, Aging, Statement, StatementRow
from medsheets.invoices.render import PdfRenderer
from medsheets.ledger.statements import Recipient
from medsheets.model import Person
from medsheets.practice import open_practice

IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel="attachment" href="file:///etc/passwd">'
STYLE = "</style><style>*{background:url(file:///etc/passwd)}"
JINJA = "{{ 7*7 }}"
SCRIPT = '"><script>alert(1)</script>'
HOSTILE = (IMG, LINK, STYLE, JINJA, SCRIPT)
PASSWD_LINE = b"root:x:0:0"


def hostile_statement(practice: PracticeInfo) -> Statement:
    """A statement with a hostile string in every text a person typed."""
    row = StatementRow(TODAY, f"{LINK} visit", JINJA, Decimal("90.00"), Decimal("0.00"),
                       Decimal("0.00"), Decimal("0.00"), Decimal("90.00"), Decimal("10.00"),
                       payer_name=STYLE, reasons=(("Deductible", Decimal("90.00")),))
    account = Account(SCRIPT, Decimal("90.00"), (row,), Decimal("0.00"),
                      Aging(current=Decimal("90.00")), None, ("Deductible",))
    recipient = Recipient(SCRIPT, IMG, LINK, dt.date(1990, 1, 1), STYLE, JINJA, "<b>",
                          '"><x', "a@example.com")
    hostile_practice = dataclasses.replace(practice, name=f"Clinic {IMG}")
    return compose.make_statement(hostile_practice, recipient, account, TODAY, 2,
                                  Statements(messages=("", f"Past due {SCRIPT}")))


def html_of(statement: Statement, folders: tuple[Path, ...]) -> str:
    env = templates.environment(folders, html=True)
    return templates.fill(templates.load(env, templates.STATEMENT_HTML),
                          compose.html_context(statement))


def embedded_files(data: bytes) -> list[object]:
    """Embedded files anywhere: the catalogue's name tree and file-attachment annotations."""
    reader = PdfReader(BytesIO(data))
    found: list[object] = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append(names.get_object()["/EmbeddedFiles"])
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append(annotation)
    return found


@pytest.fixture(scope="module")
def example_practice(tmp_path_factory: pytest.TempPathFactory) -> PracticeInfo:
    from click.testing import CliRunner

    from medsheets.cli import cli

    folder = tmp_path_factory.mktemp("sec") / "practice"
    assert CliRunner().invoke(cli, ["init", str(folder), "--as-of", EXAMPLE_AS_OF.isoformat()]).exit_code == 0
    return open_practice(folder).config.practice


def test_hostile_text_is_escaped_in_the_html(example_practice: PracticeInfo) -> None:
    html = html_of(hostile_statement(example_practice), (templates.PACKAGED,))
    for text in (IMG, LINK, STYLE, SCRIPT):
        assert text not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "{{ 7*7 }}" in html and ">49<" not in html
    assert "<script" not in html and "<link" not in html and html.count("<img") == 0


def test_hostile_text_prints_as_text_and_nothing_is_fetched_but_the_assets(
    example_practice: PracticeInfo,
) -> None:
    seen: list[str] = []
    renderer = PdfRenderer((templates.PACKAGED,), observer=seen.append)
    data = renderer.pdf(html_of(hostile_statement(example_practice), (templates.PACKAGED,)))
    flat = "".join(pdf_text(data).split())  # lines may wrap anywhere
    for hostile in HOSTILE:
        assert "".join(hostile.split()) in flat or "".join(hostile.upper().split()) in flat
    assert seen and set(seen) <= renderer.fetcher.urls  # only the scissors icon
    assert not embedded_files(data) and PASSWD_LINE not in data
    meta = PdfReader(BytesIO(data)).metadata
    assert dict(meta) == {"/Producer": meta["/Producer"], "/Title": "Patient statement"}
    assert not PdfReader(BytesIO(data)).outline


def test_a_practice_template_cannot_load_or_embed_files_either(
    example_practice: PracticeInfo, tmp_path: Path
) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "statement.html").write_text(
        f"<html><head><title>{{{{ patient.last_name }}}}</title>{LINK}"
        "<link rel='stylesheet' href='https://example.com/x.css'></head><body>"
        f"{IMG}<a rel='attachment' href='file:///etc/passwd'>file</a>"
        "<h1>{{ patient.first_name }}</h1><p>Own template</p></body></html>",
        encoding="utf-8")
    folders = templates.template_folders(tmp_path)
    seen: list[str] = []
    renderer = PdfRenderer(folders, observer=seen.append)
    data = renderer.pdf(html_of(hostile_statement(example_practice), folders))
    assert "Own template" in pdf_text(data)
    assert any(url.startswith("file:///etc/passwd") for url in seen)  # asked, and refused
    assert not embedded_files(data) and PASSWD_LINE not in data
    reader = PdfReader(BytesIO(data))
    assert reader.metadata["/Title"] == "Patient statement" and not reader.outline


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/logo.png",
    "data:text/plain,hello", "ftp://example.com/x",
    f"file://{templates.PACKAGED}/../templates.py", f"file://{templates.PACKAGED}/statement.html",
])
def test_the_fetcher_refuses_everything_but_the_assets(url: str) -> None:
    fetcher = AssetFetcher((templates.PACKAGED,))
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_the_fetcher_serves_assets_and_not_links_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "evil.css").symlink_to("/etc/passwd")
    fetcher = AssetFetcher((tmp_path,))
    assert fetcher.fetch(f"file://{tmp_path}/logo.png").read() == b"\x89PNG fake"
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"file://{tmp_path}/evil.css")


def test_a_hostile_patient_from_the_ledger_gets_a_safe_statement(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    person = Person(IMG, LINK, dt.date(1985, 6, 7), "F", STYLE, JINJA, "<b", '"><x')
    self_pay_visit(practice, "../<p>", person, email=None, day=TODAY)
    result = produce_statements(practice, as_of=TODAY)
    (path,) = result.files
    assert path.parent == practice.out_dir / "invoices" and path.name.startswith("statement-")
    assert "<" not in path.name and "passwd" not in path.name
    data = path.read_bytes()
    flat = "".join(pdf_text(data).split())
    assert "".join(IMG.split()) in flat and "".join(IMG.upper().split()) in flat
    assert "{{7*7}}" in flat and "../<p>" in flat
    assert not embedded_files(data) and PASSWD_LINE not in data
    assert "IMG" not in str(PdfReader(BytesIO(data)).metadata).upper()
