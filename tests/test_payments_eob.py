"""Paper EOBs from the payments workbook, posted as for an 835 (docs/posting.md): payments,
CO/OA/PI adjustments, PR transfers, claim-level amounts placed line by line, claim events."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from acks_support import billed_once, copy_practice, query
from clock import TODAY
from payments_support import Claim, claims, entries, invariant, payments_workbook

from medsheets.payments import post_payment_workbooks
from medsheets.practice import open_practice

C = Decimal


@pytest.fixture(scope="module")
def billed_template(practice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return billed_once(practice_template, tmp_path_factory.mktemp("eob"))


@pytest.fixture
def billed(billed_template: Path, tmp_path: Path) -> Path:
    return copy_practice(billed_template, tmp_path / "practice")


@pytest.fixture(scope="module")
def insured(billed_template: Path) -> list[Claim]:
    """Insured claims with at least four lines, longest first."""
    found = [c for c in claims(billed_template).values() if c.payer_id and len(c.lines) >= 4]
    return sorted(found, key=lambda c: -len(c.lines))


def eob(claim: Claim, paid: str, *adjustments: tuple[str, str, str], line: object = None,
        reference: str = "CHK-900", payer: str | None = None) -> dict[str, object]:
    values: dict[str, object] = {"reference": reference, "date": TODAY,
                                 "payer_id": payer or claim.payer_id,
                                 "encounter_id": claim.encounter_id, "line": line, "paid": C(paid)}
    for n, (group, reason, amount) in enumerate(adjustments, start=1):
        values.update({f"group{n}": group, f"reason{n}": reason, f"adjustment{n}": C(amount)})
    return values


def post(root: Path, tmp_path: Path, *rows: dict[str, object], name: str = "eob.xlsx"):  # type: ignore[no-untyped-def]
    book = payments_workbook(tmp_path / name, eob=list(rows))
    return post_payment_workbooks(open_practice(root), [book], as_of=TODAY)


def events(root: Path) -> list[tuple[object, ...]]:
    """The claim events since billing (the example's paper claim is billed with one)."""
    return query(root, "SELECT c.encounter_id, e.source, e.event, e.reason_codes, l.line_number "
                       "FROM claim_events e JOIN claims c ON c.id = e.claim_id LEFT JOIN "
                       "claim_lines l ON l.id = e.claim_line_id WHERE e.source <> 'paper' "
                       "ORDER BY e.id")


def status(root: Path, encounter_id: str) -> str:
    return query(root, f"SELECT status FROM claims WHERE encounter_id = '{encounter_id}'")[0][0]


def test_a_line_payment_posts_payment_adjustment_and_patient_transfer(
    billed: Path, insured: list[Claim], tmp_path: Path
) -> None:
    claim = insured[0]
    number, _, charge = claim.lines[0]
    paid, co, pr = charge - C("30.00"), C("20.00"), C("10.00")
    result = post(billed, tmp_path, eob(claim, str(paid), ("CO", "45", str(co)), ("PR", "2", str(pr)),
                                        line=number))
    assert result.problems == []
    assert entries(billed) == [
        ("payment", "payer", paid, 1, None, None, "CHK-900"),
        ("adjustment", "payer", co, 1, "CO", "45", "CHK-900"),
        ("transfer", "patient", pr, 1, "PR", "2", "CHK-900"),
    ]
    assert status(billed, claim.encounter_id) == "paid"
    assert events(billed) == [(claim.encounter_id, "eob", "paid", "CO-45 PR-2", None)]
    charges, accounted = invariant(billed)
    assert charges == accounted


def test_a_claim_level_eob_fills_the_lines_in_order(billed: Path, insured: list[Claim], tmp_path: Path) -> None:
    claim = insured[0]
    (n1, _, c1), (n2, _, c2), (n3, _, _c3) = claim.lines[:3]
    half = (c2 / 2).quantize(C("0.01"))
    paid, co = c1 + half, c2 - half + C("1.00")
    post(billed, tmp_path, eob(claim, str(paid), ("CO", "45", str(co))))
    assert [(kind, amount, line) for kind, _, amount, line, *_ in entries(billed)] == [
        ("payment", c1, n1), ("payment", half, n2),
        ("adjustment", c2 - half, n2), ("adjustment", C("1.00"), n3),
    ]


def test_a_payer_paying_more_than_it_owes_leaves_a_credit_on_the_last_line(
    billed: Path, insured: list[Claim], tmp_path: Path
) -> None:
    claim = insured[0]
    total = sum((charge for *_, charge in claim.lines), C(0))
    result = post(billed, tmp_path, eob(claim, str(total + C("15.00"))))
    last = entries(billed)[-1]
    assert last[3] == claim.lines[-1][0] and last[2] == claim.lines[-1][2] + C("15.00")
    assert result.payer_credits == {claim.encounter_id: C("15.00")}


def test_a_claim_paid_nothing_is_denied_and_its_balance_stays_open(
    billed: Path, insured: list[Claim], tmp_path: Path
) -> None:
    claim = insured[0]
    total = sum((charge for *_, charge in claim.lines), C(0))
    result = post(billed, tmp_path, eob(claim, "0", ("CO", "50", str(total))))
    assert result.denied == [(claim.encounter_id, "CO-50")]
    assert entries(billed) == []
    assert status(billed, claim.encounter_id) == "denied"
    assert events(billed) == [(claim.encounter_id, "eob", "denied", "CO-50", None)]


def test_a_line_paid_nothing_is_line_denied_within_a_paid_claim(
    billed: Path, insured: list[Claim], tmp_path: Path
) -> None:
    claim = insured[0]
    (n1, _, c1), (n2, code2, c2) = claim.lines[:2]
    post(billed, tmp_path,
         eob(claim, str(c1 - C("5.00")), ("CO", "45", "5.00"), line=n1),
         eob(claim, "0", ("CO", "97", str(c2)), line=code2))
    assert events(billed) == [(claim.encounter_id, "eob", "partly_paid", "CO-45 CO-97", None),
                              (claim.encounter_id, "eob", "line_denied", "CO-97", n2)]
    assert status(billed, claim.encounter_id) == "paid"


def test_one_check_for_two_claims_is_one_import(billed: Path, insured: list[Claim], tmp_path: Path) -> None:
    first, second = insured[:2]
    result = post(billed, tmp_path, eob(first, "40.00"), eob(second, "60.00"))
    [posted] = result.posted
    assert (posted.reference, posted.claims, posted.amount) == (
        "CHK-900", [first.encounter_id, second.encounter_id], C("100.00"))
    assert query(billed, "SELECT kind, reference FROM payment_imports") == [("eob", "CHK-900")]
    again = post(billed, tmp_path, eob(second, "60.00"), eob(first, "40.00"), name="again.xlsx")
    assert again.already_posted == [("eob", "CHK-900", "again.xlsx")] and again.posted == []


def test_eob_rows_that_cannot_be_posted_are_errors_at_their_cells(
    billed: Path, insured: list[Claim], tmp_path: Path
) -> None:
    claim = insured[0]
    self_pay = next(c for c in claims(billed).values() if c.payer_id is None)
    other_payer = next(c.payer_id for c in claims(billed).values() if c.payer_id not in (None, claim.payer_id))
    rows = [
        eob(claim, "10.00", reference="A", payer=other_payer),
        {**eob(claim, "10.00", reference="B"), "encounter_id": self_pay.encounter_id, "payer_id": "X"},
        eob(claim, "10.00", reference="C", line=42),
        eob(claim, "10.00", ("XX", "45", "1.00"), reference="D"),
        eob(claim, "10.00", ("CO", "45", "1.00"), reference="E") | {"reason1": None},
        eob(claim, "-10.00", reference="F"),
        eob(claim, "10.00", reference="G", line="J9999"),
    ]
    result = post(billed, tmp_path, *rows)
    assert [(p.source.cell, p.code) for p in result.problems] == [
        ("G5", "MS-EOB-GROUP"), ("H6", "MS-PAY-BLANK"), ("F7", "MS-EOB-PAID"),
        ("C2", "MS-EOB-PAYER"), ("D3", "MS-EOB-SELF-PAY"), ("E4", "MS-EOB-LINE"), ("E8", "MS-EOB-LINE"),
    ]
    assert str(result.problems[3]) == (
        f"eob.xlsx:EOB!C2: MS-EOB-PAYER encounter {claim.encounter_id} was billed to "
        f"{claim.payer_id}, not {other_payer}; check the payer (only the EOB of the billed payer or "
        "of the claim's secondary insurance is posted)")
    assert result.posted == [] and len(result.held) == 7
    assert entries(billed) == []
