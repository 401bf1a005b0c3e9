"""A balanced 835 that says what cannot be true is refused whole, with why; nothing posted.

Each rule has the case that must be refused and the nearest case that must still post: a line
repeated (same REF*6R, or alike and billed once) against two real identical lines; a line paid
above its charge against one paid in full; a negative payment in a processed claim against a
reversal; another payee's 835 against the practice's own.
"""

from __future__ import annotations

from pathlib import Path

from remit_support import Clp, Svc, bill, db_url, era, post_text, rows

from medsheets.ledger.schema import journal, remit_claims
from medsheets.remit.results import POSTED, REFUSED

NPI = "1982045761"  # the example practice's


def _posted_nothing(practice_dir: Path, before: int) -> bool:
    url = db_url(practice_dir)
    return len(rows(url, journal)) == before and not rows(url, remit_claims)


def _refused(practice_dir: Path, text: str, code: str) -> str:
    """Post `text`; assert it was refused for `code` with nothing posted; the message."""
    before = len(rows(db_url(practice_dir), journal))
    result = post_text(practice_dir, text)
    assert [o.status for o in result.outcomes] == [REFUSED] and result.has_errors
    messages = [p.message for p in result.problems if p.code == code]
    assert messages, [p.code for p in result.problems]
    assert _posted_nothing(practice_dir, before)
    return messages[0]


def test_a_line_repeated_with_its_control_number_is_refused(practice_dir: Path) -> None:
    bill(practice_dir, "E1", ("99213", "210.00"))
    line = Svc("99213", "210", "105", (("CO", "45", "105"),), control="E1-1")
    message = _refused(practice_dir, era([Clp("E1", "1", "420", "210", svcs=(line, line))]),
                       "MS-REMIT-REPEATED-LINE")
    assert "repeats the service line at segment" in message
    assert "the same line control number REF*6R" in message and "nothing of this remittance" in message


def test_a_line_repeated_without_control_numbers_is_refused(practice_dir: Path) -> None:
    bill(practice_dir, "E2", ("99213", "210.00"))
    line = Svc("99213", "210", "105", (("CO", "45", "105"),))
    message = _refused(practice_dir, era([Clp("E2", "1", "420", "210", svcs=(line, line))]),
                       "MS-REMIT-REPEATED-LINE")
    assert "the claim billed that line once" in message


def test_two_real_identical_lines_both_post(practice_dir: Path) -> None:
    bill(practice_dir, "E3", ("96372", "25.00"), ("96372", "25.00"))
    line = Svc("96372", "25", "20", (("CO", "45", "5"),))
    result = post_text(practice_dir, era([Clp("E3", "1", "50", "40", svcs=(line, line))]))
    assert [o.status for o in result.outcomes] == [POSTED] and not result.has_errors


def test_a_line_paid_more_than_its_charge_is_refused(practice_dir: Path) -> None:
    bill(practice_dir, "E4", ("99213", "100.00"))
    over = Svc("99213", "100", "120", (("CO", "45", "-20"),))
    message = _refused(practice_dir, era([Clp("E4", "1", "100", "120", svcs=(over,))]),
                       "MS-REMIT-IMPOSSIBLE")
    assert "more than its charge 100.00" in message


def test_a_line_paid_in_full_posts(practice_dir: Path) -> None:
    bill(practice_dir, "E5", ("99213", "100.00"))
    result = post_text(practice_dir, era([Clp("E5", "1", "100", "100", svcs=(Svc("99213", "100", "100"),))]))
    assert [o.status for o in result.outcomes] == [POSTED] and not result.has_errors


def test_a_negative_payment_outside_a_reversal_is_refused(practice_dir: Path) -> None:
    bill(practice_dir, "E6", ("99213", "100.00"), ("36415", "30.00"))
    lines = (Svc("99213", "100", "-10", (("CO", "45", "110"),)), Svc("36415", "30", "-30", (("CO", "45", "60"),)))
    message = _refused(practice_dir, era([Clp("E6", "1", "130", "-40", svcs=lines)]),
                       "MS-REMIT-IMPOSSIBLE")
    assert "is negative, which only a reversal (CLP02 22) may be" in message


def test_a_reversal_may_carry_negative_payments(practice_dir: Path) -> None:
    bill(practice_dir, "E7", ("99213", "100.00"))
    paid = era([Clp("E7", "1", "100", "80", cas=(("CO", "45", "20"),), icn="ICN7")], trace="T1")
    assert post_text(practice_dir, paid, "paid.835").outcomes[0].status == POSTED
    reversal = era([Clp("E7", "22", "-100", "-80", cas=(("CO", "45", "-20"),), icn="ICN7")], trace="T2")
    result = post_text(practice_dir, reversal, "reversal.835")
    assert [o.status for o in result.outcomes] == [POSTED] and not result.has_errors


def test_another_payees_835_is_refused_with_nothing_posted(practice_dir: Path) -> None:
    bill(practice_dir, "E8", ("99213", "100.00"))
    text = era([Clp("E8", "1", "100", "100")], payee_npi="1234567893")
    message = _refused(practice_dir, text, "MS-REMIT-PAYEE")
    assert message.startswith(f"the payee NPI 1234567893 is not the practice's NPI {NPI}")


def test_the_practices_own_835_posts(practice_dir: Path) -> None:
    bill(practice_dir, "E9", ("99213", "100.00"))
    result = post_text(practice_dir, era([Clp("E9", "1", "100", "100")], payee_npi=NPI))
    assert [o.status for o in result.outcomes] == [POSTED] and not result.has_errors
