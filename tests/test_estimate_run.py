"""`medsheets estimate`: the day's estimates from the ledger's benefits, to the cent, and a Good
Faith Estimate PDF for the self-pay appointment that carries every element 45 CFR 149.610 asks."""

from __future__ import annotations

import email
import email.policy
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdf
from clock import NOW
from previsit_support import (
    ADULT,
    CHILD,
    COPAY_PLAN,
    DEDUCTIBLE_PLAN,
    SELF_PAY,
    appointment,
    plan_271,
    write_appointments,
)

from medsheets.benefits.run import read_benefit_files
from medsheets.eligibility.run import ask_eligibility
from medsheets.estimate.run import make_estimates
from medsheets.ledger import Ledger
from medsheets.ledger import eligibility as store
from medsheets.practice import open_practice

TODAY = NOW.date()
GFE_PATIENT = appointment(SELF_PAY, patient_email="maeve@example.com", dx1="J06.9")


def day_before_the_visit(practice_dir: Path, email_gfe: bool = False):
    practice = open_practice(practice_dir)
    book = write_appointments(practice_dir / "appointments.xlsx", [ADULT, CHILD, GFE_PATIENT])
    traces = {p: i.trace for p, i in ask_eligibility(practice, [book], now=NOW).asked}
    answer = practice_dir / "remits" / "answers.271"
    answer.write_text(plan_271(traces["700001"], "BST44120001", COPAY_PLAN))
    other = practice_dir / "remits" / "child.271"
    other.write_text(plan_271(traces["700002"], "NEM8800231", DEDUCTIBLE_PLAN, payer_id="NEMUT"))
    read_benefit_files(practice, [answer, other], as_of=TODAY)
    return practice, make_estimates(practice, [book], as_of=TODAY, now=NOW, email=email_gfe)


def test_estimates_to_the_cent_in_the_workbook_and_the_ledger(practice_dir: Path) -> None:
    practice, result = day_before_the_visit(practice_dir)
    assert not result.has_errors
    by_id = {e.visit.encounter_id: e for e in result.estimates}
    adult, child, self_pay = by_id["A1"], by_id["A2"], by_id["A3"]
    assert (adult.status, adult.collect, adult.insurance) == ("estimated", Decimal("25.00"), Decimal("83.00"))
    # 99214 $195 x 90% = 175.50; deductible 100.00 then 20% of 75.50 = 15.10
    assert (child.collect, child.insurance) == (Decimal("115.10"), Decimal("60.40"))
    assert (self_pay.status, self_pay.collect) == ("self-pay", Decimal("175.00"))
    assert result.file == practice_dir / "out" / "estimates" / "estimates-2026-11-27.xlsx"
    assert result.file.stat().st_mode & 0o077 == 0
    sheet = openpyxl.load_workbook(result.file)["Estimates"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["A1"][4:10] == ("active", 135, 108, 83, 25, 25)
    assert rows["A3"][10] == "gfe-A3.pdf"
    lines = list(openpyxl.load_workbook(result.file)["Lines"].iter_rows(min_row=2, values_only=True))
    assert "coinsurance 20% of $75.50 = $15.10" in next(l for l in lines if l[0] == "A2")[12]
    with Ledger.open(practice.db_url) as ledger, ledger.reading() as tx:
        told = store.latest_estimates(tx, ["700001", "700002", "700003"])
    assert told[("700002", CHILD["date_of_service"])].collect_cents == 11510


def test_inactive_coverage_is_flagged_and_not_priced(practice_dir: Path) -> None:
    practice = open_practice(practice_dir)
    book = write_appointments(practice_dir / "a.xlsx", [ADULT])
    (_, inquiry), = ask_eligibility(practice, [book], now=NOW).asked
    answer = practice_dir / "remits" / "a.271"
    answer.write_text(plan_271(inquiry.trace, "BST44120001", ("EB*6**30",)))
    read_benefit_files(practice, [answer], as_of=TODAY)
    (estimate,) = make_estimates(practice, [book], as_of=TODAY, now=NOW).estimates
    assert estimate.status == "flagged" and estimate.collect is None
    assert "not active" in estimate.reason


def test_the_good_faith_estimate_carries_what_the_rule_asks(practice_dir: Path) -> None:
    practice, result = day_before_the_visit(practice_dir, email_gfe=True)
    (pdf,) = result.gfe_files
    assert pdf.name == "gfe-A3.pdf" and pdf.stat().st_mode & 0o077 == 0
    reader = pypdf.PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    info = practice.config.practice
    for element in (
        "Good Faith Estimate", "Maeve Brennan", "09/09/1990",  # patient name and date of birth
        "Scheduled for", "November 30, 2026",  # the scheduled date
        "Office visit, new patient, low complexity", "CPT 99203", "$175.00",  # item, code, charge
        "J06.9",  # the diagnosis code
        "Total expected charges",
        info.name, info.npi, f"{info.tax_id[:2]}-{info.tax_id[2:]}", info.address, info.city,
        "Estimate issued", "November 27, 2026",  # the date issued
        "This is an estimate, not a contract",
        "at least $400 more than this estimate", "dispute", "120 calendar days",
        "www.cms.gov/nosurprises", "1-800-985-3059",
        "will not affect the quality",
    ):
        assert element.lower() in text.lower(), element
    assert reader.metadata.title == "Good Faith Estimate"
    assert "Brennan" not in str(dict(reader.metadata))
    (eml,) = result.emails
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "maeve@example.com"
    assert message["Subject"].startswith("Your Good Faith Estimate from")
    body = message.get_body(("plain",)).get_content()
    assert "Brennan" not in body and "November 30, 2026" in body
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "gfe-A3.pdf"


def test_the_cli_says_what_to_collect(practice_dir: Path, invoke) -> None:
    book = write_appointments(practice_dir / "a.xlsx", [GFE_PATIENT, appointment(ADULT, appointment_id="A9")])
    result = invoke("estimate", book, "--practice", practice_dir, "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.output
    assert "A3 (account 700003): self-pay, collect $175.00 at the visit" in result.output
    assert "A9 (account 700001): FLAGGED no eligibility answer on file" in result.output
    assert "Brennan" not in result.output
