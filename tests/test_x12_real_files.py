"""X12 input as real files come: pretty-printed, in the old 4010 version, for claims never billed.

Some tools write one segment per line with indentation (`~` then CR/LF and spaces); such an
835 posts like any other. A 4010 file is refused for its version, with what to ask the sender.
An 835 whose claims this practice never billed exits 1 listing each one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from remit_support import Clp, Svc, bill, era

from medsheets.x12.errors import VersionError
from medsheets.x12.reader import read_x12


def test_a_pretty_printed_835_posts(practice_dir: Path, invoke) -> None:
    bill(practice_dir, "E1", ("99213", "100.00"))
    path = practice_dir / "remits" / "pretty.835"
    path.write_text(era([Clp("E1", "1", "100", "80", svcs=(Svc("99213", "100", "80", (("CO", "45", "20"),)),))],
                        newline="\r\n    "))
    result = invoke("remit", "--practice", practice_dir, path)
    assert result.exit_code == 0, result.output
    assert "pretty.835: trace TRACE1 (EXAMPLE PAYER): posted 1 claims" in result.output.splitlines()


def test_indentation_is_not_data_but_spaces_inside_elements_are() -> None:
    text = era([Clp("E1", "1", "100", "100")], newline="\n\t  ").replace("EXAMPLE PAYER", "  SPACED  ")
    (interchange,) = read_x12(text, "pretty.835")
    body = next(interchange.transactions()).body
    assert [seg.id for seg in body][:4] == ["BPR", "TRN", "DTM", "N1"]
    assert body[3].element(2) == "  SPACED  "


def test_a_4010_file_is_refused_naming_its_version(practice_dir: Path, invoke) -> None:
    path = practice_dir / "remits" / "old.835"
    path.write_text(era([Clp("E1", "1", "100", "100")]).replace("005010X221A1", "004010X091A1"))
    result = invoke("remit", "--practice", practice_dir, path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "medsheets: error: old.835: is an X12 4010 file (GS08 004010X091A1 at segment 2); "
        "medsheets reads version 5010 (005010) only, required since 2012: ask the sender for 5010"]


def test_5010_versions_are_read() -> None:
    text = era([Clp("E1", "1", "100", "100")])
    assert read_x12(text, "new.835")
    with pytest.raises(VersionError):
        read_x12(text.replace("005010X221A1", "003070"), "older.835")


def test_an_835_for_claims_never_billed_exits_1_listing_each(practice_dir: Path, invoke) -> None:
    path = practice_dir / "remits" / "strangers.835"
    path.write_text(era([Clp("X1", "1", "100", "100"), Clp("X2", "1", "60", "60")]))
    result = invoke("remit", "--practice", practice_dir, path)
    assert result.exit_code == 1
    listed = [line for line in result.output.splitlines() if "MS-REMIT-UNMATCHED-CLAIM" in line]
    assert [line.split("CLP ")[1].split(":")[0] for line in listed] == ["X1", "X2"]
    assert "unmatched: 2 claims, 0 lines; see the report's Unmatched sheet and post them by hand" \
        in result.output.splitlines()
