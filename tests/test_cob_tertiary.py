"""A third insurance (the `tertiary_*` columns): Medicare, then a retiree's employer plan,
then Medicaid (the payer of last resort), from the workbook to the balance.

Medicare allows 65% and pays 80% of it (cob_support): 76.44 paid, 19.11 left to the patient.
Bluestem (the employer plan) pays 10.00 of it and writes off 1.00, leaving 8.11 (6.55 + the
draw's 1.56); Medicaid pays 7.61 of that and writes off the 0.50 still open (of its 0.75).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from aging_support import openpyxl_rows, table_after
from clock import TODAY
from cob_denial_support import judged, work
from cob_support import (
    DUAL,
    LATER,
    SECONDARY_HEADER,
    bill,
    by_payer,
    medicare_835,
    paper_eob,
    patient_owes,
    payer_owes,
    post,
    reversal_of,
    transaction_to,
    visit,
)
from remit_support import Clp, Svc, era
from workbook_factory import write_encounters

from medsheets.aging import AgeBasis, run_aging
from medsheets.billing_summary import summary_rows
from medsheets.check import check_workbook
from medsheets.invoices.run import produce_statements
from medsheets.ledger import Ledger
from medsheets.ledger.cob import secondary_pending
from medsheets.practice import open_practice

TERTIARY_HEADER = (*SECONDARY_HEADER, "tertiary_payer_id", "tertiary_member_id",
                   "tertiary_group_number", "tertiary_subscriber_relationship",
                   "tertiary_subscriber_last_name", "tertiary_subscriber_first_name",
                   "tertiary_subscriber_dob", "tertiary_subscriber_sex")
TRIPLE = {**DUAL, "secondary_payer_id": "BSTAR", "secondary_member_id": "BSR7740012",
          "secondary_group_number": "RET200", "tertiary_payer_id": "ILMCD",
          "tertiary_member_id": "119052278"}
EVEN_LATER = dt.datetime(2026, 12, 8, 9, 0)


def write_triple(folder: Path, rows: list[dict[str, object]]) -> Path:
    return write_encounters(folder / "encounters" / "2026-11-20.xlsx", rows, header=TERTIARY_HEADER)


def bluestem_835(eid: str, status: str = "2", forwarded_to: str = "") -> str:
    """The employer plan as secondary: OA-23 for Medicare's part, pays 10.00, CO-45 1.00."""
    return era([Clp(eid, status, "147", "10", icn="BSRICN1", forwarded_to=forwarded_to, svcs=(
        Svc("99213", "135", "10", (("OA", "23", "117.45"), ("CO", "45", "1"), ("PR", "2", "6.55")),
            f"{eid}-1"),
        Svc("36415", "12", "0", (("OA", "23", "10.44"), ("PR", "1", "1.56")), f"{eid}-2"),
    ))], trace="BSR1", payer_key="1BSTAR")


def medicaid_tertiary_835(eid: str) -> str:
    """Medicaid as tertiary (CLP02 3): OA-23 for both payers before it, pays 7.61, CO-45 0.75
    (more than the 0.50 the line has open after the others: only that is written off)."""
    return era([Clp(eid, "3", "147", "7.61", icn="MCDICN3", svcs=(
        Svc("99213", "135", "6.05", (("OA", "23", "128.2"), ("CO", "45", "0.75")), f"{eid}-1"),
        Svc("36415", "12", "1.56", (("OA", "23", "10.44"),), f"{eid}-2"),
    ))], trace="MCD3", payer_key="1ILMCD")


def test_tertiary_billed_once_after_the_secondary_and_posted_to_the_cent(practice_dir: Path) -> None:
    day = write_triple(practice_dir, visit("ETRI1", **TRIPLE))
    first = bill(practice_dir, [day])
    assert [e.encounter_id for e in first.billed] == ["ETRI1"]
    to_medicare = transaction_to(first.batch_file, "MCRB1")
    # the primary claim names both other payers: 2320 SBR*S and SBR*T, each with 2330A/B
    assert "SBR*S*18*RET200******CI" in to_medicare and "SBR*T*18*******MC" in to_medicare
    assert "NM1*PR*2*BLUESTEM HEALTH INSURANCE*****PI*BSTAR" in to_medicare
    assert "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in to_medicare

    post(practice_dir, medicare_835("ETRI1"), "medicare.835")
    second = bill(practice_dir, [], now=LATER)
    assert [(c.payer_id, c.rank) for c in second.secondary] == [("BSTAR", 2)]
    to_bluestem = transaction_to(second.batch_file, "BSTAR")
    assert "SBR*S*18*RET200******CI" in to_bluestem  # 2000B: to the secondary
    assert "SBR*P*18*******MB" in to_bluestem and "AMT*D*76.44" in to_bluestem
    assert "SBR*T*18*******MC" in to_bluestem  # the tertiary named, nothing adjudicated
    assert not any(s.startswith("SVD*ILMCD") for s in to_bluestem)
    assert bill(practice_dir, [], now=LATER).secondary == []  # the tertiary waits for Bluestem

    post(practice_dir, bluestem_835("ETRI1"), "bluestem.835")
    assert patient_owes(practice_dir, "900100") == Decimal("8.11")
    third = bill(practice_dir, [], now=EVEN_LATER)
    assert [(c.payer_id, c.rank) for c in third.secondary] == [("ILMCD", 3)]
    [row] = summary_rows(third, {})
    assert (row.status, row.reasons) == ("tertiary billed", "after the secondary's remittance")
    sent = transaction_to(third.batch_file, "ILMCD")
    assert "SBR*T*18*******MC" in sent  # 2000B: to the tertiary
    assert "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in sent
    # 2320 for the primary AND the secondary, each with what it paid and left the patient
    assert sent.index("SBR*P*18*******MB") < sent.index("AMT*D*76.44") < sent.index("AMT*EAF*19.11")
    assert sent.index("SBR*S*18*RET200******CI") < sent.index("AMT*D*10") < sent.index("AMT*EAF*8.11")
    lines = sent[sent.index("LX*1"):sent.index("LX*2")]
    medicare = lines.index("SVD*MCRB1*70.2*HC:99213**1")
    assert lines[medicare + 1:medicare + 4] == ["CAS*CO*45*47.25", "CAS*PR*2*17.55",
                                                "DTP*573*D8*20261201"]
    bluestem = lines.index("SVD*BSTAR*10*HC:99213**1")
    assert lines[bluestem + 1:bluestem + 5] == ["CAS*CO*45*1", "CAS*OA*23*117.45",
                                                "CAS*PR*2*6.55", "DTP*573*D8*20261201"]
    # (bill() judged the 837 by pyx12 and by our per-payer COB balancing rule)

    assert bill(practice_dir, [], now=EVEN_LATER).secondary == []  # never twice
    again = bill(practice_dir, [day], now=EVEN_LATER)
    assert again.secondary == [] and again.already_billed == ["ETRI1"]

    post(practice_dir, medicaid_tertiary_835("ETRI1"), "medicaid.835")
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")
    money = by_payer(practice_dir)
    assert money[("payment", "MCRB1")] == Decimal("76.44")
    assert money[("payment", "BSTAR")] == Decimal("10.00")
    assert money[("adjustment", "BSTAR")] == Decimal("1.00")
    assert money[("payment", "ILMCD")] == Decimal("7.61")
    assert money.get(("adjustment", "ILMCD"), Decimal("0.00")) == Decimal("0.50")
    assert not set(payer_owes(practice_dir)) & {"MCRB1", "BSTAR", "ILMCD"}


def test_secondary_crossover_to_the_tertiary_bills_no_tertiary_claim(practice_dir: Path) -> None:
    day = write_triple(practice_dir, visit("ETRI2", **TRIPLE))
    bill(practice_dir, [day])
    post(practice_dir, medicare_835("ETRI2"), "medicare.835")
    assert [c.payer_id for c in bill(practice_dir, [], now=LATER).secondary] == ["BSTAR"]
    post(practice_dir, bluestem_835("ETRI2", status="20", forwarded_to="ILMCD"), "bluestem.835")
    assert bill(practice_dir, [], now=EVEN_LATER).secondary == []  # Medicaid got it from Bluestem
    assert patient_owes(practice_dir, "900100") == Decimal("8.11")


def test_tertiary_columns_are_checked_at_their_cells(practice_dir: Path) -> None:
    changes = [
        {"secondary_payer_id": None, "secondary_member_id": None, "secondary_group_number": None},
        {"tertiary_payer_id": "BSTAR", "tertiary_member_id": "BSR7740012"},  # the secondary again
        {"tertiary_payer_id": "MCRB1", "tertiary_member_id": "5VX3GE8QM27"},  # the primary again
        {"tertiary_payer_id": "NOSUCH"}, {"tertiary_member_id": None},
        {"tertiary_payer_id": None}, {}]
    rows = [{**visit(f"ETBAD{n}", **{**TRIPLE, **change})[0], "patient_id": f"90200{n}"}
            for n, change in enumerate(changes, start=1)]
    path = write_triple(practice_dir, rows)
    result = check_workbook(path, open_practice(practice_dir), as_of=TODAY)
    found = {(p.source.row, p.source.field, p.code) for p in result.problems if p.is_error}
    assert found == {
        (2, "tertiary_payer_id", "MS-TERTIARY-WITHOUT-SECONDARY"),
        (3, "tertiary_payer_id", "MS-TERTIARY-SAME"), (4, "tertiary_payer_id", "MS-TERTIARY-SAME"),
        (5, "tertiary_payer_id", "MS-PAYER-UNKNOWN"), (6, "tertiary_member_id", "MS-REQUIRED"),
        (7, "tertiary_payer_id", "MS-REQUIRED")}
    assert result.held == {f"ETBAD{n}" for n in range(1, 7)}  # ETBAD7 is good
    same = next(p for p in result.problems if p.source.row == 4)
    assert "the primary one again" in same.message


def test_the_aging_holds_what_awaits_the_tertiary_under_it(practice_dir: Path) -> None:
    bill(practice_dir, [write_triple(practice_dir, visit("ETRI3", **TRIPLE))])
    post(practice_dir, medicare_835("ETRI3"), "medicare.835")
    bill(practice_dir, [], now=LATER)
    post(practice_dir, bluestem_835("ETRI3"), "bluestem.835")

    def aging() -> tuple[dict[str, list[object]], set[object]]:
        path = run_aging(open_practice(practice_dir), as_of=dt.date(2026, 12, 4),
                         basis=AgeBasis.SERVICE, now=EVEN_LATER).file
        _, summary = table_after(openpyxl_rows(path, "Summary"), "Responsible party")
        header, detail = table_after(openpyxl_rows(path, "Detail"), "Account")
        owed_by = {r[header.index("Owed by")] for r in detail[:-1]
                   if r[header.index("Account")] == "900100"}
        return {str(r[0]): r for r in summary}, owed_by

    summary, owed_by = aging()
    waiting = "Prairie State Medicaid (example) (ILMCD, tertiary pending)"
    assert Decimal(str(summary[waiting][7])) == Decimal("8.11")  # what Bluestem left, for Medicaid
    assert Decimal(str(summary["Patients"][7])) == Decimal("0.00")
    assert owed_by == {"ILMCD (tertiary pending)"}
    with Ledger.open(open_practice(practice_dir).db_url) as ledger, ledger.reading() as tx:
        assert set(secondary_pending(tx).values()) == {"ILMCD"}
    # the statement waits for Medicaid too
    waits = produce_statements(open_practice(practice_dir), as_of=dt.date(2026, 12, 4))
    assert waits.plan.awaiting_secondary == ["900100"] and waits.plan.new == []
    post(practice_dir, medicaid_tertiary_835("ETRI3"), "medicaid.835")
    summary, _ = aging()
    assert waiting not in summary and Decimal(str(summary["Patients"][7])) == Decimal("0.00")


def test_a_returning_patients_row_naming_no_tertiary_gets_the_one_ranked_third(
        practice_dir: Path) -> None:
    bill(practice_dir, [write_triple(practice_dir, visit("ETRANK1", **TRIPLE))])
    blank = {**TRIPLE, "date_of_service": dt.date(2026, 11, 23), "tertiary_payer_id": None,
             "tertiary_member_id": None}
    path = write_encounters(practice_dir / "encounters" / "2026-11-23.xlsx",
                            visit("ETRANK2", **blank), header=TERTIARY_HEADER)
    again = bill(practice_dir, [path])
    assert [p.code for p in again.problems if p.is_error] == [] and len(again.billed) == 1
    primary = transaction_to(again.batch_file, "MCRB1")
    assert "SBR*T*18*******MC" in primary and "NM1*IL*1*KOWALSKI*DOROTHY****MI*119052278" in primary
    # NONE ends it; a blank after that means none
    for day, payer in ((24, "NONE"), (25, None)):
        row = {**blank, "date_of_service": dt.date(2026, 11, day), "tertiary_payer_id": payer}
        path = write_encounters(practice_dir / "encounters" / f"2026-11-{day}.xlsx",
                                visit(f"ETRANK{day}", **row), header=TERTIARY_HEADER)
        billed = bill(practice_dir, [path])
        assert [p.code for p in billed.problems if p.is_error] == [] and len(billed.billed) == 1
        sent = transaction_to(billed.batch_file, "MCRB1")
        assert "SBR*S*18*RET200******CI" in sent and not any(s.startswith("SBR*T") for s in sent)


def test_the_secondarys_paper_eob_bills_the_tertiary_as_its_835_would(practice_dir: Path) -> None:
    bill(practice_dir, [write_triple(practice_dir, visit("ETRI4", **TRIPLE))])
    post(practice_dir, medicare_835("ETRI4"), "medicare.835")
    bill(practice_dir, [], now=LATER)
    paper_eob(practice_dir, "ETRI4", [
        (1, "10", (("OA", "23", "117.45"), ("CO", "45", "1"), ("PR", "2", "6.55"))),
        (2, "0", (("OA", "23", "10.44"), ("PR", "1", "1.56")))], "BSR-EOB-1", payer_id="BSTAR")
    assert patient_owes(practice_dir, "900100") == Decimal("8.11")
    third = bill(practice_dir, [], now=EVEN_LATER)
    assert [(c.payer_id, c.rank) for c in third.secondary] == [("ILMCD", 3)]
    [row] = summary_rows(third, {})
    assert (row.status, row.reasons) == ("tertiary billed", "after the secondary's remittance")
    sent = transaction_to(third.batch_file, "ILMCD")
    assert "SBR*T*18*******MC" in sent and "AMT*D*10" in sent and "SVD*BSTAR*10*HC:99213**1" in sent
    post(practice_dir, medicaid_tertiary_835("ETRI4"), "medicaid.835")
    assert patient_owes(practice_dir, "900100") == Decimal("0.00")


def test_a_new_adjudication_by_the_secondary_corrects_the_tertiary_claim(practice_dir: Path) -> None:
    bill(practice_dir, [write_triple(practice_dir, visit("ETRI5", **TRIPLE))])
    post(practice_dir, medicare_835("ETRI5"), "medicare.835")
    bill(practice_dir, [], now=LATER)
    bluestem = bluestem_835("ETRI5")
    post(practice_dir, bluestem, "bluestem.835")
    assert [c.rank for c in bill(practice_dir, [], now=EVEN_LATER).secondary] == [3]
    post(practice_dir, medicaid_tertiary_835("ETRI5"), "medicaid.835")  # ILMCD's number: MCDICN3
    post(practice_dir, reversal_of(bluestem, "ETRI5", "BSRICN1", "BSR2", "1BSTAR"), "rev.835")
    post(practice_dir, bluestem_835("ETRI5").replace("TRN*1*BSR1", "TRN*1*BSR3"), "again.835")
    corrected = bill(practice_dir, [], now=EVEN_LATER + dt.timedelta(days=2))
    assert [(c.payer_id, c.rank) for c in corrected.secondary] == [("ILMCD", 3)]
    sent = transaction_to(corrected.batch_file, "ILMCD")
    assert "CLM*ETRI5*147***11:B:7*Y*A*Y*Y" in sent and "REF*F8*MCDICN3" in sent


def medicaid_tertiary_denial(eid: str) -> str:
    """Medicaid as tertiary denies (CO-16) what the primary and the secondary left."""
    return era([Clp(eid, "4", "147", "0", icn="MCDTDEN", svcs=(
        Svc("99213", "135", "0", (("OA", "23", "128.45"), ("CO", "16", "6.55")), f"{eid}-1"),
        Svc("36415", "12", "0", (("OA", "23", "10.44"), ("CO", "16", "1.56")), f"{eid}-2"),
    ))], trace="MCDT4", payer_key="1ILMCD")


def test_a_tertiarys_denial_voided_from_the_worklist_names_both_payers_before_it(
        practice_dir: Path) -> None:
    bill(practice_dir, [write_triple(practice_dir, visit("ETRI9", **TRIPLE))])
    post(practice_dir, medicare_835("ETRI9"), "medicare.835")
    bill(practice_dir, [], now=LATER)
    post(practice_dir, bluestem_835("ETRI9"), "bluestem.835")
    assert [c.payer_id for c in bill(practice_dir, [], now=EVEN_LATER).secondary] == ["ILMCD"]
    post(practice_dir, medicaid_tertiary_denial("ETRI9"), "medicaid-denial.835")

    _, result = work(practice_dir, {("ETRI9", 1): {"action": "void"}})
    assert result.voided == ["ETRI9"] and not result.has_errors, [str(p) for p in result.problems]
    sent = judged(result)  # pyx12 and our per-payer COB balancing rule
    assert "CLM*ETRI9*147***11:B:8" in sent and "REF*F8*MCDTDEN" in sent
    assert "SBR*T*18*******MC" in sent  # 2000B: to the tertiary, as it was billed
    assert "SBR*P*18*******MB" in sent and "SBR*S*18*RET200******CI" in sent
    assert "SVD*MCRB1*70.2*HC:99213**1" in sent and "SVD*BSTAR*10*HC:99213**1" in sent
    assert patient_owes(practice_dir, "900100") == Decimal("8.11")  # the void leaves the patient's share
