"""Hostile 835s through `medsheets remit`: refused or reported, never half-posted.

test_remit_impossible.py covers the posting rules one by one (a line twice, paid above its
charge, negative outside a reversal, another payee) through the posting function; this module
gives the command the damaged and absurd files an attacker or a broken clearinghouse sends, and
counts the ledger's journal rows before and after each.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from remit_support import Clp, Svc, bill, db_url, era, rows

from medsheets.ledger.schema import journal, remit_claims, remittances

LINE = Svc("99213", "210", "105", (("CO", "45", "105"),))
CLAIM = Clp("H1", "1", "210", "105", svcs=(LINE,))


def _posted(practice_dir: Path) -> tuple[int, int, int]:
    url = db_url(practice_dir)
    return len(rows(url, journal)), len(rows(url, remittances)), len(rows(url, remit_claims))


def _remit(practice_dir: Path, invoke, text: str) -> tuple[object, tuple[int, int, int]]:
    bill(practice_dir, "H1", ("99213", "210.00"))
    before = _posted(practice_dir)
    path = practice_dir / "remits" / "hostile.835"
    path.write_text(text)
    result = invoke("remit", "--practice", practice_dir, path)
    assert "Traceback" not in result.output + result.stderr
    return result, before


def _refused_whole(practice_dir: Path, invoke, text: str) -> str:
    result, before = _remit(practice_dir, invoke, text)
    assert result.exit_code in (1, 2), result.output
    assert _posted(practice_dir) == before
    return result.output + result.stderr


def test_the_control_posts(practice_dir: Path, invoke) -> None:
    result, before = _remit(practice_dir, invoke, era([CLAIM]))
    assert result.exit_code == 0, result.output + result.stderr
    assert _posted(practice_dir)[0] > before[0]


def test_a_segment_terminator_inside_a_name(practice_dir: Path, invoke) -> None:
    text = era([CLAIM]).replace("NM1*QC*1*DOE*ALICE", "NM1*QC*1*DO~E*ALICE")
    _refused_whole(practice_dir, invoke, text)


def test_a_line_repeated_twenty_thousand_times(practice_dir: Path, invoke) -> None:
    lines = (LINE,) * 20_000
    text = era([Clp("H1", "1", str(210 * 20_000), str(105 * 20_000), svcs=lines)])
    output = _refused_whole(practice_dir, invoke, text)
    assert "repeats the service line" in output


def test_a_negative_line_payment_in_a_primary_claim(practice_dir: Path, invoke) -> None:
    line = Svc("99213", "210", "-10", (("CO", "45", "220"),))
    _refused_whole(practice_dir, invoke, era([Clp("H1", "1", "210", "-10", svcs=(line,))]))


@pytest.mark.parametrize(
    ("segment", "absurd"),
    [("SE*", "SE*999999999*0001"), ("GE*", "GE*999999*7"), ("IEA*", "IEA*999999*000000007")],
)
def test_absurd_counts_in_the_envelope(practice_dir: Path, invoke, segment: str, absurd: str) -> None:
    text = era([CLAIM])
    lines = [absurd + "~" if line.startswith(segment) else line for line in text.splitlines()]
    _refused_whole(practice_dir, invoke, "\n".join(lines) + "\n")


def test_an_absurd_claim_count_in_lx(practice_dir: Path, invoke) -> None:
    """LX is an ordinal the payer counts up; an absurd one alone must not break posting."""
    text = era([CLAIM]).replace("LX*1~", "LX*99999999999999999999~")
    result, before = _remit(practice_dir, invoke, text)
    after = _posted(practice_dir)
    if result.exit_code == 0:  # posted: one remittance, whole
        assert after[1:] == (before[1] + 1, before[2] + 1)
    else:
        assert after == before
