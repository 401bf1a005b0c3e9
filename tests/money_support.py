"""Builders for the money-over-time tests (no tests here): an example practice for a pinned
day, a later 835 reversing one of its claims, and a workbook read back as plain cell values."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from medsheets.cli import cli
from medsheets.example import create_practice, recent_weekdays

FIRST_DAY = dt.date(2026, 11, 25)  # the example practice's run (its visits: 11-23 and 11-24)


def example_practice(folder: Path) -> Path:
    """The example practice dated for FIRST_DAY (not for the machine's clock)."""
    create_practice(folder, recent_weekdays(FIRST_DAY))
    return folder


def medsheets(*args: object, code: int | None = 0) -> str:
    """Run the CLI; check its exit code (unless None) and return what it printed."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if code is not None:
        assert result.exit_code == code, result.output
    return result.output


def cell_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet of a workbook as rows of cell values (formulas as written)."""
    book = openpyxl.load_workbook(path)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def _negated(number: str) -> str:
    return str(-Decimal(number)) if number else number


def reversal_835(example: str, encounter_id: str, day: dt.date, trace: str) -> str:
    """The payer takes back its payment of `encounter_id` (CLP02 22) and pays it again under a
    new claim number, in one 835 dated `day` (BPR16): the example's own transaction cut down
    to that claim, so the payer, the lines and the amounts are the example's."""
    segments = [s.strip() for s in example.split("~") if s.strip()]
    start = next(i for i, s in enumerate(segments) if s.startswith(f"CLP*{encounter_id}*"))
    st = max(i for i in range(start) if segments[i].startswith("ST*"))
    lx = max(i for i in range(start) if segments[i].startswith("LX*"))
    end = next(i for i in range(start + 1, len(segments))
               if segments[i].split("*")[0] in ("LX", "CLP", "SE", "PLB"))
    header, claim = segments[st + 1:lx], segments[start:end]
    when = day.strftime("%Y%m%d")
    header = [re.sub(r"^TRN\*1\*[^*]+", f"TRN*1*{trace}", s) for s in header]
    header = [f"DTM*405*{when}" if s.startswith("DTM*405") else s for s in header]
    bpr = header[0].split("*")
    bpr[2], bpr[4], bpr[16] = "0", "NON", when
    header[0] = "*".join(bpr)

    def reversed_segment(segment: str) -> str:
        e = segment.split("*")
        if e[0] == "CLP":
            e[2] = "22"
            e[3:6] = [_negated(x) for x in e[3:6]]
        elif e[0] == "SVC":
            e[2:4] = [_negated(x) for x in e[2:4]]
        elif e[0] == "CAS":
            for i in range(3, len(e), 3):
                e[i] = _negated(e[i])
        elif e[0] == "AMT":
            e[2] = _negated(e[2])
        return "*".join(e)

    again = [s.replace(s.split("*")[7], s.split("*")[7] + "R", 1) if s.startswith("CLP*") else s
             for s in claim]
    body = [*header, "LX*1", *map(reversed_segment, claim), "LX*2", *again]
    control = segments[st].split("*")[2]
    transaction = [segments[st], *body, f"SE*{len(body) + 2}*{control}"]
    envelope_top = segments[:st]
    envelope_end = [re.sub(r"^GE\*\d+", "GE*1", s) for s in segments if s.startswith(("GE*", "IEA*"))]
    return "".join(f"{s}~\n" for s in [*envelope_top, *transaction, *envelope_end])
