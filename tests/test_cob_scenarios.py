"""Secondary insurance beyond the simple dual: a spouse's plan, a crossover, a primary denial,
reversals of either payer, the checks on the secondary columns, the aging's "secondary
pending", and a primary's paper EOB."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from aging_support import openpyxl_rows, sheet_table, table_after
from cob_support import (
    DUAL,
    LATER,
    bill,
    by_payer,
    medicaid_835,
    medicare_835,
    paper_eob,
    patient_owes,
    post,
    reversal_of,
    transaction_to,
    visit,
    write_day,
)
from payments_support import payments_workbook
from remit_support import Clp, Svc, db_url, era, rows
from shared_samples import samples_or_skip
from x12_judge import check_cob_balance

from medsheets.aging import AgeBasis, run_aging
from medsheets.check import check_workbook
from medsheets.denials.worklist import make_worklist
from medsheets.invoices.run import produce_statements
from medsheets.ledger import Ledger
from medsheets.ledger.cob import secondary_pending
from medsheets.ledger.schema import claim_events
from medsheets.payments import post_payment_workbooks
from medsheets.practice import open_practice

SPOUSE = {"patient_id": "900200", "patient_last_name": "Rossi", "patient_first_name": "Sofia",
          "patient_dob": dt.date(1992, 6, 1), "patient_sex": "F", "patient_state": "IL",
          "patient_city": "Springfield", "patient_zip": "62704", "payer_id": "BSTAR",
          "member_id": "BSX117700452", "group_number": "0078304", "secondary_payer_id": "NEMUT",
          "secondary_member_id": "0081123409", "secondary_group_number": "00217",
          "secondary_subscriber_relationship": "spouse",
          "secondary_subscriber_last_name": "Rossi", "secondary_subscriber_first_name": "Marco",
          "secondary_subscriber_dob": dt.date(1990, 4, 12), "secondary_subscriber_sex": "M",
          "date_of_service": dt.date(2026, 11, 20), "dx1": "E11.9"}


def test_commercial_then_the_spouses_plan(practice_dir: Path) -> None:
    day = write_day(practice_dir, visit("ESPOUSE1", **SPOUSE))
    first = bill(practice_dir, [day])
    to_primary = transaction_to(first.batch_file, "BSTAR")
    assert "SBR*S*01*00217******CI" in to_primary  # the patient is the spouse of its insured
    assert "NM1*IL*1*ROSSI*MARCO****MI*0081123409" in to_primary

    post(practice_dir, era([Clp("ESPOUSE1", "1", "147", "94.08", icn="BS1", svcs=(
        Svc("99213", "135", "86.4", (("CO", "45", "27"), ("PR", "2", "21.6")), "ESPOUSE1-1"),
        Svc("36415", "12", "7.68", (("CO", "45", "2.4"), ("PR", "2", "1.92")), "ESPOUSE1-2"),
    ))], trace="BS1", payer_key="1BSTAR"), "bstar.835")
    waiting = produce_statements(open_practice(practice_dir), as_of=dt.date(2026, 12, 3))
    assert waiting.plan.awaiting_secondary == ["900200"]  # 23.52 the spouse's plan may pay
    assert "900200" not in [s.recipient.account for s in waiting.plan.new]
    cob = bill(practice_dir, [], now=LATER)
    sent = transaction_to(cob.batch_file, "NEMUT")
    # 2000B: the spouse is the secondary's subscriber, the patient a dependant (2000C)
    assert sent[sent.index("HL*2*1*22*1"):][:2] == ["HL*2*1*22*1", "SBR*S**00217******CI"]
    assert "NM1*IL*1*ROSSI*MARCO****MI*0081123409" in sent and "PAT*01" in sent
    assert "NM1*QC*1*ROSSI*SOFIA" in sent
    assert "SBR*P*18*0078304******CI" in sent and "AMT*D*94.08" in sent
    assert "NM1*IL*1*ROSSI*SOFIA****MI*BSX117700452" in sent

    # the spouse's plan pays part, writes off part, leaves 5.00 copay to the patient; its
    # write-off may not exceed what the primary left open (line 2 restates the primary's
    # contractual adjustment as CO-45 rather than OA-23)
    post(practice_dir, era([Clp("ESPOUSE1", "2", "147", "16.92", icn="NE1", svcs=(
        Svc("99213", "135", "15", (("OA", "23", "113.4"), ("CO", "45", "1.6"), ("PR", "3", "5")),
            "ESPOUSE1-1"),
        Svc("36415", "12", "1.92", (("CO", "45", "10.08"),), "ESPOUSE1-2"),
    ))], trace="NE1", payer_key="1NEMUT"), "nemut.835")
    assert patient_owes(practice_dir, "900200") == Decimal("5.00")
    money = by_payer(practice_dir)
    assert money[("payment", "NEMUT")] == Decimal("16.92")
    assert money[("adjustment", "NEMUT")] == Decimal("1.60")  # the 10.08 found nothing open
    statements = produce_statements(open_practice(practice_dir), as_of=dt.date(2026, 12, 10))
    [statement] = [s for s in statements.plan.new if s.recipient.account == "900200"]
    assert statement.amount_due == Decimal("5.00")
    visit_row = next(r for r in statement.account.rows if r.code == "99213")
    assert visit_row.paid_by == ("Bluestem Health Insurance", "New England Mutual Health")
    assert (visit_row.insurance_paid, visit_row.balance, visit_row.pending) == (
        Decimal("101.40"), Decimal("5.00"), Decimal("0.00"))
    assert [label for label, _ in visit_row.reasons] == ["Coinsurance"]


def test_a_crossover_is_not_billed_to_the_medigap_which_pays_on_its_own(practice_dir: Path) -> None:
    medigap = {**DUAL, "patient_id": "900300", "secondary_payer_id": "MGAP1",
               "secondary_member_id": "HMG55120"}
    day = write_day(practice_dir, visit("EGAP1", **medigap))
    bill(practice_dir, [day])
    post(practice_dir, medicare_835("EGAP1", status="19", forwarded_to="HEARTLAND MEDIGAP"),
         "medicare.835")
    assert bill(practice_dir, [], now=LATER).secondary == []  # Medicare sent it on itself
    post(practice_dir, era([Clp("EGAP1", "2", "147", "19.11", icn="MG1", svcs=(
        Svc("99213", "135", "17.55", (("OA", "23", "117.45"),), "EGAP1-1"),
        Svc("36415", "12", "1.56", (("OA", "23", "10.44"),), "EGAP1-2"),
    ))], trace="MG1", payer_key="1MGAP1"), "medigap.835")
    assert patient_owes(practice_dir, "900300") == Decimal("0.00")
    assert by_payer(practice_dir)[("payment", "MGAP1")] == Decimal("19.11")
    assert bill(practice_dir, [], now=LATER + dt.timedelta(days=1)).secondary == []


def test_no_secondary_while_the_primary_denies_then_once_it_pays(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EDEN1", **DUAL))])
    post(practice_dir, era([Clp("EDEN1", "4", "147", "0", icn="D1", svcs=(
        Svc("99213", "135", "0", (("CO", "16", "135"),), "EDEN1-1"),
        Svc("36415", "12", "0", (("CO", "16", "12"),), "EDEN1-2"),
    ))], trace="D1", payer_key="1MCRB1"), "denied.835")
    assert bill(practice_dir, [], now=LATER).secondary == []
    post(practice_dir, medicare_835("EDEN1", trace="MCR2", icn="MCRICN2"), "paid.835")
    cob = bill(practice_dir, [], now=LATER + dt.timedelta(days=1))
    assert [(c.payer_id, c.resubmission) for c in cob.secondary] == [("ILMCD", None)]


def test_a_new_primary_adjudication_sends_a_corrected_secondary(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EREV1", **DUAL))])
    paid = medicare_835("EREV1")
    post(practice_dir, paid, "medicare.835")
    assert len(bill(practice_dir, [], now=LATER).secondary) == 1
    reversal = reversal_of(paid, "EREV1", "MCRICN1", "MCR2", "1MCRB1")
    post(practice_dir, reversal, "reversal.835")
    # Medicaid has not answered the first COB claim: the correction waits for its number
    waiting = bill(practice_dir, [], now=LATER + dt.timedelta(days=1))
    assert waiting.secondary == [] and [p.code for p in waiting.problems] == []
    post(practice_dir, era([Clp("EREV1", "1", "147", "80.44", icn="MCRICN3", svcs=(
        Svc("99213", "135", "74.2", (("CO", "45", "47.25"), ("PR", "2", "13.55")), "EREV1-1"),
        Svc("36415", "12", "6.24", (("CO", "45", "4.2"), ("PR", "2", "1.56")), "EREV1-2"),
    ))], trace="MCR3", payer_key="1MCRB1"), "corrected.835")
    waiting = bill(practice_dir, [], now=LATER + dt.timedelta(days=2))
    assert waiting.secondary == [] and [p.code for p in waiting.problems] == ["MS-COB-WAITING"]
    post(practice_dir, medicaid_835("EREV1"), "medicaid.835")
    corrected = bill(practice_dir, [], now=LATER + dt.timedelta(days=3))
    [cob] = corrected.secondary
    assert (cob.resubmission.frequency_code, cob.resubmission.payer_claim_number) == ("7", "MCDICN1")
    sent = transaction_to(corrected.batch_file, "ILMCD")
    assert "CLM*EREV1*147***11:B:7*Y*A*Y*Y" in sent and "REF*F8*MCDICN1" in sent
    assert "AMT*D*80.44" in sent and "SVD*MCRB1*74.2*HC:99213**1" in sent
    assert bill(practice_dir, [], now=LATER + dt.timedelta(days=4)).secondary == []


def test_a_secondary_reversal_gives_the_patient_back_the_coinsurance_to_wait_on(
        practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("ESREV1", **DUAL))])
    post(practice_dir, medicare_835("ESREV1"), "medicare.835")
    bill(practice_dir, [], now=LATER)
    medicaid = medicaid_835("ESREV1")
    post(practice_dir, medicaid, "medicaid.835")
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")
    post(practice_dir, reversal_of(medicaid, "ESREV1", "MCDICN1", "MCD2", "1ILMCD"), "rev.835")
    assert patient_owes(practice_dir, "900100") == Decimal("19.11")
    money = by_payer(practice_dir)
    assert money[("payment", "ILMCD")] == Decimal("0.00")
    assert money[("payment", "MCRB1")] == Decimal("76.44")  # the primary's posting stands


def test_secondary_columns_are_checked_at_their_cells(practice_dir: Path) -> None:
    changes = [{"secondary_payer_id": "NOSUCH"}, {"secondary_member_id": None},
               {**SPOUSE, "secondary_subscriber_dob": None}, {"secondary_payer_id": None},
               {"payer_id": None, "member_id": None},
               {"secondary_payer_id": "MCRB1", "secondary_member_id": "5VX3GE8QM27"}, {}]
    bad = [{**visit(f"EBAD{n}", **{**DUAL, **change})[0], "patient_id": f"90100{n}"}
           for n, change in enumerate(changes, start=1)]
    path = write_day(practice_dir, bad)
    result = check_workbook(path, open_practice(practice_dir), as_of=dt.date(2026, 11, 27))
    found = {(p.source.row, p.source.field, p.code) for p in result.problems if p.is_error}
    assert found == {
        (2, "secondary_payer_id", "MS-PAYER-UNKNOWN"), (3, "secondary_member_id", "MS-REQUIRED"),
        (4, "secondary_subscriber_dob", "MS-REQUIRED"), (5, "secondary_payer_id", "MS-REQUIRED"),
        (6, "secondary_payer_id", "MS-SECONDARY-WITHOUT-PRIMARY"),
        (7, "secondary_payer_id", "MS-SECONDARY-SAME")}
    assert result.held == {"EBAD1", "EBAD2", "EBAD3", "EBAD4", "EBAD5", "EBAD6"}  # EBAD7 is good
    cell = next(p for p in result.problems if p.code == "MS-PAYER-UNKNOWN").source.cell
    assert cell is not None and cell.endswith("2")


def test_the_cob_balancing_rule_passes_the_guides_example_and_catches_an_imbalance() -> None:
    text = samples_or_skip("837p", "lfh_demo.cob.example3.B.837").read_text()
    split = [s.strip().split("*") for s in text.split("~") if s.strip()]
    assert check_cob_balance(split) == []
    broken = [s if s[:2] != ["SVD", "999996666"] or s[2] != "40.00" else [*s[:2], "41.00", *s[3:]]
              for s in split]
    assert check_cob_balance(broken) == [
        "CLM 26407789 line 1: SV102 43.00 is not 999996666's SVD02 41.00 + CAS 3.00",
        "CLM 26407789: AMT*D 39.15 + 2320 CAS 36.89 is not the SVD02 total 77.04 of 999996666"]
    no_paid = [s for s in split if s[:2] != ["AMT", "D"]]
    assert check_cob_balance(no_paid) == [
        "CLM 26407789: AMT*D of 999996666 is missing, but it adjudicated"]


def test_a_secondarys_zero_lines_for_what_the_primary_paid_are_not_denials(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EZERO1", **DUAL))])
    post(practice_dir, medicare_835("EZERO1"), "medicare.835")
    bill(practice_dir, [], now=LATER)
    # Medicaid pays the visit's coinsurance; on the blood draw it owes nothing more (paid 0)
    post(practice_dir, era([Clp("EZERO1", "2", "147", "17.55", icn="Z1", svcs=(
        Svc("99213", "135", "17.55", (("OA", "23", "117.45"),), "EZERO1-1"),
        Svc("36415", "12", "0", (("OA", "23", "12"),), "EZERO1-2"),
    ))], trace="Z1", payer_key="1ILMCD"), "medicaid.835")
    events = [(r.event, r.payer_id) for r in rows(db_url(practice_dir), claim_events)]
    assert ("paid", "ILMCD") in events and not any(e == "line_denied" for e, _ in events)
    worklist = make_worklist(open_practice(practice_dir), None, as_of=dt.date(2026, 12, 4))
    assert not worklist.rows
    assert patient_owes(practice_dir, "900100") == Decimal("1.56")  # Medicaid left the draw's


def test_the_aging_shows_what_awaits_the_secondary_under_it_not_as_the_patients(
        practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EAGE1", **DUAL))])
    post(practice_dir, medicare_835("EAGE1"), "medicare.835")
    bill(practice_dir, [], now=LATER)

    def aging() -> tuple[dict[str, list[Any]], dict[str, list[Any]], list[Any], list[list[Any]]]:
        path = run_aging(open_practice(practice_dir), as_of=dt.date(2026, 12, 4),
                         basis=AgeBasis.SERVICE, now=LATER).file
        _, summary = table_after(openpyxl_rows(path, "Summary"), "Responsible party")
        header, detail = table_after(openpyxl_rows(path, "Detail"), "Account")
        return ({str(r[0]): r for r in summary}, sheet_table(path, "By Patient", "Account"),
                header, detail[:-1])

    summary, by_patient, header, detail = aging()
    waiting = "Prairie State Medicaid (example) (ILMCD, secondary pending)"
    assert [Decimal(str(v)) for v in summary[waiting][1:8]] == [
        Decimal("19.11"), *[Decimal(0)] * 5, Decimal("19.11")]  # 0-30 days .. on account, total
    assert Decimal(str(summary["Patients"][7])) == Decimal("0.00")
    assert "900100" not in by_patient  # the patient owes nothing of his own yet
    owed_by = {r[header.index("Owed by")] for r in detail if r[header.index("Account")] == "900100"}
    assert owed_by == {"ILMCD (secondary pending)"}
    post(practice_dir, medicaid_835("EAGE1"), "medicaid.835")
    summary, by_patient, _, _ = aging()
    assert waiting not in summary and Decimal(str(summary["Patients"][7])) == Decimal("0.00")


def test_a_paper_eob_from_the_primary_bills_the_secondary_as_an_835_would(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EPAPER1", **DUAL))])
    paper_eob(practice_dir, "EPAPER1", [
        (1, "70.20", (("CO", "45", "47.25"), ("PR", "2", "17.55"))),
        (2, "6.24", (("CO", "45", "4.20"), ("PR", "2", "1.56")))], "MCR-EOB-1")
    billed = bill(practice_dir, [], now=LATER)  # pyx12 and our COB rule judge it
    [cob] = billed.secondary
    assert (cob.payer_id, cob.resubmission) == ("ILMCD", None)
    sent = transaction_to(billed.batch_file, "ILMCD")
    assert "AMT*D*76.44" in sent and "SVD*MCRB1*70.2*HC:99213**1" in sent
    assert "CAS*PR*2*17.55" in sent and "DTP*573*D8*20261201" in sent
    assert bill(practice_dir, [], now=LATER + dt.timedelta(days=1)).secondary == []
    post(practice_dir, medicaid_835("EPAPER1"), "medicaid.835")  # after the primary: no PR again
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")


def test_a_paper_eob_that_pays_nothing_bills_no_secondary(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EPAPER2", **DUAL))])
    paper_eob(practice_dir, "EPAPER2", [(1, "0", ()), (2, "0", ())], "MCR-EOB-2")
    assert bill(practice_dir, [], now=LATER).secondary == []


def test_a_returning_patients_secondary_member_id_comes_from_the_ledger(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("ERET1", **DUAL))])
    later = {**DUAL, "date_of_service": dt.date(2026, 11, 23), "secondary_member_id": None}
    again = bill(practice_dir, [write_day(practice_dir, visit("ERET2", **later), "2026-11-23.xlsx")])
    assert [p.code for p in again.problems if p.is_error] == [] and len(again.billed) == 1
    primary = transaction_to(again.batch_file, "MCRB1")
    assert "SBR*S*18*******MC" in primary and "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in primary
    # a secondary payer the ledger never billed for this patient: the member ID is still needed
    unknown = {**later, "date_of_service": dt.date(2026, 11, 24), "secondary_payer_id": "MGAP1"}
    held = bill(practice_dir, [write_day(practice_dir, visit("ERET3", **unknown), "2026-11-24.xlsx")])
    assert {(p.code, p.source.field) for p in held.problems if p.is_error} == {
        ("MS-REQUIRED", "secondary_member_id")} and held.held == ["ERET3"]


def test_a_returning_patients_row_naming_no_secondary_gets_the_one_ranked_second(
        practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("ERANK1", **DUAL))])
    blank = {**DUAL, "date_of_service": dt.date(2026, 11, 23), "secondary_payer_id": None,
             "secondary_member_id": None}
    again = bill(practice_dir, [write_day(practice_dir, visit("ERANK2", **blank), "2026-11-23.xlsx")])
    assert [p.code for p in again.problems if p.is_error] == [] and len(again.billed) == 1
    primary = transaction_to(again.batch_file, "MCRB1")
    assert "SBR*S*18*******MC" in primary and "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in primary
    post(practice_dir, medicare_835("ERANK2"), "medicare.835")
    assert [c.payer_id for c in bill(practice_dir, [], now=LATER).secondary] == ["ILMCD"]
    # the office ends the secondary: NONE in secondary_payer_id; from then on a blank means none
    ended = {**blank, "date_of_service": dt.date(2026, 11, 24), "secondary_payer_id": "none"}
    third = bill(practice_dir, [write_day(practice_dir, visit("ERANK3", **ended), "2026-11-24.xlsx")])
    assert [p.code for p in third.problems if p.is_error] == [] and len(third.billed) == 1
    assert not any(s.startswith("SBR*S") for s in transaction_to(third.batch_file, "MCRB1"))
    later = {**blank, "date_of_service": dt.date(2026, 11, 25)}
    fourth = bill(practice_dir, [write_day(practice_dir, visit("ERANK4", **later), "2026-11-25.xlsx")])
    assert not any(s.startswith("SBR*S") for s in transaction_to(fourth.batch_file, "MCRB1"))
    # a row naming a secondary wins, and is the one ranked second from then on
    medigap = {**blank, "date_of_service": dt.date(2026, 11, 26), "secondary_payer_id": "MGAP1",
               "secondary_member_id": "HMG55120"}
    bill(practice_dir, [write_day(practice_dir, visit("ERANK5", **medigap), "2026-11-26.xlsx")])
    last = {**blank, "date_of_service": dt.date(2026, 11, 27)}
    sixth = bill(practice_dir, [write_day(practice_dir, visit("ERANK6", **last), "2026-11-27.xlsx")])
    assert "NM1*IL*1*KOWALSKI*DOROTHY****MI*HMG55120" in transaction_to(sixth.batch_file, "MCRB1")


def test_a_paper_eob_from_the_secondary_posts_under_it_and_ends_the_wait(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EPAPER3", **DUAL))])
    post(practice_dir, medicare_835("EPAPER3"), "medicare.835")
    assert len(bill(practice_dir, [], now=LATER).secondary) == 1
    paper_eob(practice_dir, "EPAPER3", [
        (1, "15.55", (("OA", "23", "117.45"), ("CO", "45", "2"))),
        (2, "1.56", (("OA", "23", "10.44"),))], "MCD-EOB-1", payer_id="ILMCD")
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")
    money = by_payer(practice_dir)
    assert money[("payment", "ILMCD")] == Decimal("17.11") and money[("adjustment", "ILMCD")] == Decimal("2.00")
    assert money[("payment", "MCRB1")] == Decimal("76.44")  # Medicare's money stays Medicare's
    events = {(r.source, r.event, r.payer_id) for r in rows(db_url(practice_dir), claim_events)}
    assert ("eob", "paid", "ILMCD") in events
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        assert secondary_pending(tx) == {}  # Medicaid has answered
        assert tx.find_claim("EPAPER3").status.value == "paid"


def test_a_secondarys_paper_eob_before_the_primarys_is_refused(practice_dir: Path) -> None:
    bill(practice_dir, [write_day(practice_dir, visit("EPAPER4", **DUAL))])
    book = payments_workbook(practice_dir / "early.xlsx", eob=[{
        "reference": "MCD-EOB-2", "date": dt.date(2026, 12, 1), "payer_id": "ILMCD",
        "encounter_id": "EPAPER4", "line": 1, "paid": Decimal("15.55")}])
    result = post_payment_workbooks(open_practice(practice_dir), [book], as_of=dt.date(2026, 12, 2))
    assert [p.code for p in result.problems if p.is_error] == ["MS-EOB-SECONDARY-FIRST"]
