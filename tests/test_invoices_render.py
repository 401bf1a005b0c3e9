"""Rendering: the same bytes in workers as in-process, a practice's own templates, progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clock import TODAY
from invoices_support import pdf_text, self_pay_visit

from medsheets.invoices import produce_statements, templates
from medsheets.invoices.render import render_all
from medsheets.model import Person
from medsheets.practice import open_practice

PERSON = Person("Lindqvist", "Eva", dt.date(1979, 8, 9), "F", "3 Pine Rd", "Springfield", "IL",
                "62702")


def _jobs(count: int) -> list[tuple[str, str]]:
    html = ("<html><body><p>Statement {n}</p><div class='tear'>Please detach</div>"
            "</body></html>")
    return [(f"s{n}", html.format(n=n)) for n in range(count)]


def test_workers_render_the_same_bytes_as_one_process_and_report_progress() -> None:
    jobs = _jobs(6)
    ticks: list[int] = []
    alone = dict(render_all(jobs, (templates.PACKAGED,), workers=1))
    parallel = dict(render_all(jobs, (templates.PACKAGED,), workers=2, progress=ticks.append))
    assert parallel == alone and list(parallel) == [key for key, _ in jobs]
    assert ticks == [1] * 6
    assert "Statement 5" in pdf_text(parallel["s5"])


def test_a_practice_overrides_the_templates_from_its_own_folder(practice_dir: Path) -> None:
    own = practice_dir / "templates"
    own.mkdir()
    (own / "statement.html").write_text(
        "<html><body><p class='mine'>Our own statement for account {{ patient.account }}: "
        "{{ statement.amount_due | money }}</p></body></html>", encoding="utf-8")
    (own / "statement.css").write_text(".mine { font-size: 20pt; }", encoding="utf-8")
    (own / "email.txt").write_text("Statement attached. {{ practice.name }}", encoding="utf-8")
    practice = open_practice(practice_dir)
    self_pay_visit(practice, "800001", PERSON, email="eva@example.com", day=TODAY,
                   charge="75.50")
    result = produce_statements(practice, as_of=TODAY)
    (path,) = result.files
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert "Our own statement for account 800001: $75.50" in text
    (eml,) = result.mail.written
    assert b"Statement attached. Maple Street Family Medicine" in eml.read_bytes()


def test_a_broken_practice_template_stops_the_command_with_its_line(
    practice_dir: Path, invoke
) -> None:
    own = practice_dir / "templates"
    own.mkdir()
    (own / "statement.html").write_text("<p>\n{% if %}</p>", encoding="utf-8")
    result = invoke("invoices", "--practice", practice_dir)
    assert result.exit_code == 2
    assert "statement.html:2:" in result.stderr
    assert not list((practice_dir / "out" / "invoices").glob("*.pdf"))


def test_no_progress_bar_when_stderr_is_not_a_terminal(practice_dir: Path, invoke) -> None:
    practice = open_practice(practice_dir)
    for number in range(3):
        self_pay_visit(practice, f"81000{number}", PERSON, email=None, day=TODAY)
    result = invoke("invoices", "--practice", practice_dir)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.output.splitlines()[0].startswith("statements: 3 for $450.00 -> ")


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_the_same_statement_renders_to_the_same_bytes_at_any_time_on_either_font_subsetter(
    subsetter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import weasyprint.pdf.fonts

    from medsheets.invoices.render import PdfRenderer

    if subsetter == "fonttools":  # what a machine without libharfbuzz-subset does
        monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    elif weasyprint.pdf.fonts.harfbuzz_subset is None:
        pytest.skip("libharfbuzz-subset is not installed here")
    html = "<html><body><p>Statement 1 for $42.00</p></body></html>"
    clock = iter([1_800_000_000.0, 1_900_000_000.0])
    renders = []
    for _ in range(2):  # an hour apart, as far as fontTools can tell
        at = next(clock)
        monkeypatch.setattr(time, "time", lambda at=at: at)
        renders.append(PdfRenderer((templates.PACKAGED,)).pdf(html))
    monkeypatch.undo()
    assert renders[0] == renders[1]
    assert "Statement 1 for $42.00" in pdf_text(renders[0])
