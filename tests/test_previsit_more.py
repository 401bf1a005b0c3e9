"""Before the visit, the rest: rejections in plain words, a different payer answering, a name
that is HTML, and the whole day on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdf
from clock import NOW
from previsit_support import (
    ADULT,
    COPAY_PLAN,
    SELF_PAY,
    appointment,
    envelope_271,
    plan_271,
    source_and_receiver,
    write_appointments,
)

from medsheets.benefits.run import read_benefit_files
from medsheets.eligibility.run import ask_eligibility
from medsheets.estimate.run import make_estimates
from medsheets.practice import open_practice


def asked(practice_dir: Path, rows, db_url: str | None = None):
    practice = open_practice(practice_dir, db_url)
    book = write_appointments(practice_dir / "a.xlsx", rows)
    traces = {p: i.trace for p, i in ask_eligibility(practice, [book], now=NOW).asked}
    return practice, book, traces


def test_a_rejection_says_what_to_check_and_a_different_payer_is_named(practice_dir: Path, invoke) -> None:
    _, _, traces = asked(practice_dir, [ADULT])
    rejected = envelope_271(source_and_receiver() + [
        "HL*3*2*22*0", f"TRN*2*{traces['700001']}*1123456789",
        "NM1*IL*1*OKAFOR*GRACE****MI*BST44120001", "AAA*N**72*C"])
    other = plan_271(traces["700001"], "BST44120001", COPAY_PLAN, payer_id="PRAHM")
    files = [practice_dir / "remits" / "r.271", practice_dir / "remits" / "o.271"]
    files[0].write_text(rejected)
    files[1].write_text(other)
    result = invoke("benefits", *files, "--practice", practice_dir, "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.output
    assert ("MS-MEMBER-UNKNOWN account 700001, appointment A1: the member id is invalid or missing "
            "(AAA 72); check the member id on the patient's current insurance card; correct the "
            "appointment row and ask again") in result.output
    assert ("MS-PAYER-DIFFERENT account 700001, appointment A1: the answer comes from payer PRAHM, "
            "the appointment names BSTAR") in result.output


def test_html_in_a_name_is_printed_as_text_on_the_good_faith_estimate(practice_dir: Path) -> None:
    practice, book, _ = asked(practice_dir, [appointment(
        SELF_PAY, patient_last_name='<img src="file:///etc/passwd">Brennan')])
    result = make_estimates(practice, [book], as_of=NOW.date(), now=NOW)
    (pdf,) = result.gfe_files
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert '<imgsrc="file:///etc/passwd">Brennan' in "".join(text.split())  # escaped, shown


def test_the_day_before_the_visit_on_postgresql(practice_dir: Path, pg_url: str) -> None:
    practice, book, traces = asked(practice_dir, [ADULT, SELF_PAY], pg_url)
    answer = practice_dir / "remits" / "a.271"
    answer.write_text(plan_271(traces["700001"], "BST44120001", COPAY_PLAN))
    assert len(read_benefit_files(practice, [answer], as_of=NOW.date()).answers) == 1
    estimates = make_estimates(practice, [book], as_of=NOW.date(), now=NOW).estimates
    assert [(e.status, e.collect) for e in estimates] == [("estimated", Decimal("25.00")),
                                                          ("self-pay", Decimal("175.00"))]
    again = ask_eligibility(practice, [book], now=NOW)
    assert again.asked == [] and again.already_asked == ["A1"]
