"""`medsheets remit` as a user runs it: the example practice end to end, exit codes, messages."""

from __future__ import annotations

import shutil
import stat
from decimal import Decimal
from pathlib import Path

import openpyxl
from clock import EXAMPLE_DAYS
from remit_support import SAMPLES, Clp, Svc, bill, db_url, era, rows
from shared_samples import SAMPLES as SHARED_SAMPLES
from shared_samples import needs_samples

from medsheets.example.remit import file_name
from medsheets.ledger import Ledger
from medsheets.ledger.schema import claims


def example_remit(practice_dir: Path) -> Path:
    return practice_dir / "remits" / file_name(EXAMPLE_DAYS)


def report_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def test_the_example_remittance_posts_cleanly_after_claims(practice_dir: Path, invoke) -> None:
    billed = invoke("claims", "--practice", practice_dir, *sorted((practice_dir / "encounters").glob("*.xlsx")))
    assert billed.exit_code == 0, billed.output
    result = invoke("remit", "--practice", practice_dir, example_remit(practice_dir))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    remit = example_remit(practice_dir)
    paid_on = remit.stem.removeprefix("era-").replace("-", "")
    assert lines[:5] == [f"{remit.name}: trace {payer}{paid_on} ({name}): posted {n} claims"
                         for payer, name, n in (
                             ("MCRB1", "MEDICARE PART B (EXAMPLE CONTRACTOR)", 8),
                             ("ILMCD", "PRAIRIE STATE MEDICAID (EXAMPLE)", 3),
                             ("BSTAR", "BLUESTEM HEALTH INSURANCE", 5),
                             ("NEMUT", "NEW ENGLAND MUTUAL HEALTH", 4),
                             ("PRAHM", "PRAIRIE HEALTH HMO", 4))]
    assert lines[5:7] == ["posted: 5 remittances, 24 claims, 3,149.20 paid",
                          "denied: 2 claims, listed on the denial worklist"]
    assert lines[7].startswith("report: ") and len(lines) == 8
    report = Path(lines[7].removeprefix("report: "))
    report = report if report.is_absolute() else Path.cwd() / report
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    sheets = report_values(report)
    assert list(sheets) == ["Totals", "Payments", "Adjustments", "Denials", "Unmatched",
                            "Provider adjustments", "Problems"]
    assert [row[-1] for row in sheets["Totals"][1:]] == ["yes"] * 5
    assert len(sheets["Unmatched"]) == 1 and len(sheets["Problems"]) == 1
    denied = {(row[1], row[3], row[6]) for row in sheets["Denials"][1:]}
    assert {codes for _, _, codes in denied} == {"CO-16 N290", "CO-96"}
    assert sheets["Provider adjustments"][1][2:4] == ("L6", "Interest the payer adds for paying late.")
    with Ledger.open(db_url(practice_dir)) as ledger, ledger.reading() as tx:
        statuses = [row.status for row in tx.conn.execute(claims.select())]
        assert statuses.count("paid") == 23 and statuses.count("denied") == 1
        # open: the denied claim, and the claim billed on paper (its EOB comes by mail)
        assert tx.payer_balances() == {"ILMCD": Decimal("177.00"), "CHWF1": Decimal("247.00")}
    again = invoke("remit", "--practice", practice_dir, example_remit(practice_dir))
    assert again.exit_code == 0
    assert again.output.splitlines()[-2:] == ["already posted: 5 remittances (nothing posted twice)",
                                             "nothing new to post"]
    assert len(list((practice_dir / "out" / "reports").glob("remit-*.xlsx"))) == 1


@needs_samples
def test_an_unbalanced_file_exits_1_naming_the_segment(practice_dir: Path, invoke) -> None:
    sample = practice_dir / "remits" / "lfh_tertiary-payment.835"
    shutil.copy(SAMPLES / sample.name, sample)
    result = invoke("remit", "--practice", practice_dir, sample)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("lfh_tertiary-payment.835:segment 20: MS-REMIT-UNBALANCED SVC (no code) "
                               "of claim 0001000054: charge 24,599.00 minus adjustments 1,579.00")
    assert lines[1:4] == [
        ("lfh_tertiary-payment.835: trace 0012524879 (YOUR TAX DOLLARS AT WORK): refused, nothing "
        "of it was posted (see above)"),
        "refused: 1 remittances; ask the payer for a corrected 835 and run again",
        "nothing new to post"]
    assert lines[-1].startswith("report: ")


def test_claims_never_billed_exit_1_listing_each(practice_dir: Path, invoke) -> None:
    bill(practice_dir, "E1", ("99213", "100.00"))
    path = practice_dir / "remits" / "r.835"
    path.write_text(era([Clp("E1", "1", "100", "100"), Clp("E404", "1", "60", "60", svcs=(
        Svc("99212", "60", "60"),))]))
    result = invoke("remit", "--practice", practice_dir, path)
    assert result.exit_code == 1
    assert "r.835:segment 14: MS-REMIT-UNMATCHED-CLAIM CLP E404: no claim with this encounter id is in " \
           "the ledger; it is listed on the report's Unmatched sheet, post it by hand once the " \
           "claim is found" in result.output.splitlines()
    assert "posted: 1 remittances, 1 claims, 160.00 paid" in result.output.splitlines()
    assert "unmatched: 1 claims, 0 lines; see the report's Unmatched sheet and post them by hand" \
        in result.output.splitlines()


@needs_samples
def test_files_that_cannot_be_used_exit_2_with_one_line(practice_dir: Path, invoke) -> None:
    fragment = invoke("remit", "--practice", practice_dir, SAMPLES / "k835_blue_cross_nc_sample.txt")
    assert fragment.exit_code == 2 and fragment.stdout == ""
    assert fragment.stderr.splitlines() == [
        ("medsheets: error: k835_blue_cross_nc_sample.txt: holds an ST..SE transaction without its "
        "ISA/GS envelope (a copy of part of an X12 file, not the file itself); ask the sender for "
        "the complete file as they sent it")]
    claim_file = invoke("remit", "--practice", practice_dir,
                        SHARED_SAMPLES / "837p" / "lfh_demo.example1.837")
    assert claim_file.exit_code == 2 and "holds claims (837), not a remittance" in claim_file.stderr
    missing = invoke("remit", "--practice", practice_dir, practice_dir / "remits" / "none.835")
    assert missing.exit_code == 2 and missing.stderr.strip() == "medsheets: error: none.835: no such file"
    assert not (practice_dir / "medsheets.db").exists()


def test_the_practice_explains_codes_in_its_own_words(practice_dir: Path, invoke) -> None:
    book = openpyxl.load_workbook(practice_dir / "codesets.xlsx")
    sheet = book.create_sheet("ReasonCodes")
    sheet.append(["code", "explanation"])
    sheet.append(["co-45", "Contract discount, write it off."])
    sheet.append(["N290", "Put Dr Park's NPI on the claim."])
    book.save(practice_dir / "codesets.xlsx")
    bill(practice_dir, "E1", ("99213", "100.00"), ("36415", "12.00"))
    path = practice_dir / "remits" / "r.835"
    path.write_text(era([Clp("E1", "1", "112", "80", svcs=(
        Svc("99213", "100", "80", (("CO", "45", "20"),)),
        Svc("36415", "12", "0", (("CO", "16", "12"),), remarks=("N290",))))]))
    result = invoke("remit", "--practice", practice_dir, path)
    report = Path(result.output.splitlines()[-1].removeprefix("report: "))
    adjustments = report_values(report)["Adjustments"][1:]
    assert [(row[5], row[8], row[9]) for row in adjustments] == [
        ("CO-45", "Contract discount, write it off.", None),
        ("CO-16", ("Information is missing or wrong on the claim; the remark codes say what. Fix it "
                  "and send a corrected claim."), "N290: Put Dr Park's NPI on the claim.")]
    assert rows(db_url(practice_dir), claims)[0].status == "paid"
