"""A billed example practice on pinned days, and the payer's 277 claim-status answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from acks_support import envelope

from medsheets.claims import bill_workbooks
from medsheets.practice import open_practice
from medsheets.x12.compose import segment

BILLED_AT = dt.datetime(2026, 11, 27, 10, 30)
BILLED_ON = BILLED_AT.date()


def bill_example(practice_dir: Path) -> list[str]:
    """Bill both example days on BILLED_AT; the encounter ids of the claims sent in the 837
    (the example's paper claim, on a CMS-1500, is never asked about with a 276)."""
    result = bill_workbooks(open_practice(practice_dir),
                            sorted((practice_dir / "encounters").glob("*.xlsx")), now=BILLED_AT)
    return [e.encounter_id for e in result.billed if e.encounter_id not in result.on_paper]


def claim_status_277(day: dt.date, answers: list[tuple[str, str, list[str], str]],
                     control: int = 900001) -> str:
    """A 277 (005010X212) from payer PAYER1; answers are (encounter id, member id, STC01
    composites like 'P1:20', STC12 free text)."""
    stamp = day.strftime("%Y%m%d")
    body = [
        segment("BHT", "0010", "08", f"R{control}", stamp, "0900", "DG"),
        segment("HL", "1", "", "20", "1"),
        segment("NM1", "PR", "2", "EXAMPLE PAYER", "", "", "", "", "PI", "PAYER1"),
        segment("HL", "2", "1", "21", "1"),
        segment("NM1", "41", "2", "MAPLE STREET FAMILY MEDICINE", "", "", "", "", "46", "MAPLE01"),
        segment("HL", "3", "2", "19", "1"),
        segment("NM1", "1P", "2", "MAPLE STREET FAMILY MEDICINE", "", "", "", "", "XX", "1982045761"),
    ]
    for hl, (eid, member, statuses, text) in enumerate(answers, start=4):
        body += [segment("HL", str(hl), "3", "22", "0"),
                 segment("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", member),
                 segment("TRN", "2", eid)]
        for status in statuses:
            body.append(segment("STC", tuple(status.split(":")), stamp, "", "100", "",
                                "", "", "", "", "", "", text))
        body += [segment("REF", "1K", f"ICN{hl:04d}"), segment("REF", "EJ", eid),
                 segment("DTP", "472", "D8", "20261123")]
    return envelope([body], "277", "005010X212", "HN", control)
