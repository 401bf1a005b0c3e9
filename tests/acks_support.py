"""Build the clearinghouse's answers to a batch the example practice billed: 999 and 277CA files
shaped as 005010X231A1 and 005010X214 (the tests have pyx12 judge them), and a billed practice.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from clock import NOW

from medsheets.claims import bill_workbooks
from medsheets.ledger import Ledger
from medsheets.ledger.schema import batches, claims
from medsheets.money import x12_amount
from medsheets.practice import open_practice
from medsheets.x12.compose import segment
from medsheets.x12.envelope import ControlNumbers, EnvelopeHeader, write_interchange
from medsheets.x12.reader import read_x12

ANSWERED_AT = dt.datetime(2026, 11, 26, 9, 15)
DAY = ANSWERED_AT.strftime("%Y%m%d")


_BILLED: dict[str, Path] = {}


def billed_once(template: Path, workspace: Path) -> Path:
    """The example practice with both example days billed (one 837 batch), made once per test
    session and kept read-only: each test works on its own copy (`copy_practice`)."""
    if "root" not in _BILLED:
        target = workspace / "billed"
        shutil.copytree(template, target)
        bill_workbooks(open_practice(target), sorted((target / "encounters").glob("*.xlsx")),
                       now=NOW)
        _BILLED["root"] = target
    return _BILLED["root"]


def copy_practice(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def clm_position(practice_root: Path, st02: str, encounter_id: str) -> int:
    """Where claim `encounter_id`'s CLM sits in set `st02` (ST = 1), found by plain splitting,
    independently of medsheets' reader."""
    ledger = Ledger.open(open_practice(practice_root).db_url)
    with ledger.reading() as tx:
        content = tx.conn.execute(sa.select(batches.c.content)).scalar_one()
    ledger.close()
    segments = [s.strip() for s in content.split("~") if s.strip()]
    start = segments.index(f"ST*837*{st02}*005010X222A1")
    for offset, seg in enumerate(segments[start:], start=1):
        if seg.startswith(f"CLM*{encounter_id}*"):
            return offset
    raise LookupError(encounter_id)


def query(practice_root: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    """Rows of a plain SQL query on the practice's ledger (read only)."""
    ledger = Ledger.open(open_practice(practice_root).db_url)
    with ledger.reading() as tx:
        rows = [tuple(r) for r in tx.conn.exec_driver_sql(sql)]
    ledger.close()
    return rows


@dataclass
class SentBatch:
    """The batch as the ledger stored it: control numbers and the claims of each set."""

    group_control: int
    interchange_control: int
    sets: dict[str, list[str]] = field(default_factory=dict)  # ST02 -> CLM01s
    charges: dict[str, str] = field(default_factory=dict)  # CLM01 -> CLM02
    members: dict[str, str] = field(default_factory=dict)  # CLM01 -> member id


def sent_batch(practice_root: Path) -> SentBatch:
    ledger = Ledger.open(open_practice(practice_root).db_url)
    with ledger.reading() as tx:
        row = tx.conn.execute(sa.select(batches)).one()
        members = dict(tx.conn.execute(sa.select(claims.c.encounter_id, claims.c.member_id)).all())
    ledger.close()
    sent = SentBatch(row.group_control, row.interchange_control)
    for interchange in read_x12(row.content, row.file_name):
        for transaction in interchange.transactions():
            ids = [s.element(1) for s in transaction.segments if s.id == "CLM"]
            sent.sets[transaction.control_number] = ids
            for s in transaction.segments:
                if s.id == "CLM":
                    sent.charges[s.element(1)] = s.element(2)
    sent.members = {k: v for k, v in members.items() if v}
    return sent


def envelope(bodies: list[list[str]], kind: str, version: str, functional_id: str,
             control: int = 700001) -> str:
    header = EnvelopeHeader("CLEARHOUSE01", "MAPLE01", "T", functional_id, kind, version)
    return write_interchange(bodies, header=header, control=ControlNumbers(control, control, 1),
                             now=ANSWERED_AT)


def ack_999(group_control: int, sets: list[tuple[str, str, list[str]]], group_code: str,
            counts: tuple[int, int, int], control: int = 700001) -> str:
    """A 999 answering group `group_control`; sets are (ST02, IK501, IK3/IK4/CTX segments)."""
    body = [segment("AK1", "HC", str(group_control), "005010X222A1")]
    for st02, code, errors in sets:
        body.append(segment("AK2", "837", st02, "005010X222A1"))
        body += errors
        body.append(segment("IK5", code, *(["5"] if code == "R" else [])))
    body.append(segment("AK9", group_code, *(str(n) for n in counts)))
    return envelope([body], "999", "005010X231A1", "FA", control)


def ik3(segment_id: str, position: int, loop: str, code: str, claim: str | None = None,
        element: tuple[str, ...] | None = None, element_code: str = "7") -> list[str]:
    found = [segment("IK3", segment_id, str(position), loop, code)]
    if claim:
        found.append(segment("CTX", ("CLM01", claim)))
    if element:
        found.append(segment("IK4", element, "", element_code))
    return found


def ack_277(batch_reference: str, claims_said: list[tuple[str, str, str, list[str]]],
            control: int = 800001) -> str:
    """A 277CA; claims are (CLM01, charge, member id, STC composites like 'A7:562:85'), the
    first status deciding the action code; a composite 'A2:20:PR|1K:PAYER9' adds REF*1K."""
    accepted = [c for c in claims_said if c[3][0].startswith(("A1", "A2"))]
    rejected = [c for c in claims_said if c not in accepted]
    total = sum((Decimal(c[1]) for c in claims_said), Decimal(0))
    ok = sum((Decimal(c[1]) for c in accepted), Decimal(0))
    body = [
        segment("BHT", "0085", "08", f"ACK{control}", DAY, "0915", "TH"),
        segment("HL", "1", "", "20", "1"),
        segment("NM1", "AY", "2", "EXAMPLE CLEARINGHOUSE", "", "", "", "", "46", "CLEARHOUSE01"),
        segment("TRN", "1", f"TR{control}"),
        segment("DTP", "050", "D8", DAY), segment("DTP", "009", "D8", DAY),
        segment("HL", "2", "1", "21", "1"),
        segment("NM1", "41", "2", "MAPLE STREET FAMILY MEDICINE", "", "", "", "", "46", "MAPLE01"),
        segment("TRN", "2", batch_reference),
        segment("STC", ("A1", "19", "PR"), DAY, "WQ", x12_amount(total)),
        segment("QTY", "90", str(len(accepted))), segment("QTY", "AA", str(len(rejected))),
        segment("AMT", "YU", x12_amount(ok)), segment("AMT", "YY", x12_amount(total - ok)),
        segment("HL", "3", "2", "19", "1"),
        segment("NM1", "85", "2", "MAPLE STREET FAMILY MEDICINE", "", "", "", "", "XX", "1982045761"),
        segment("TRN", "1", "0"),
        segment("STC", ("A1", "19", "PR"), "", "WQ", x12_amount(total)),
        segment("QTY", "QA", str(len(accepted))), segment("QTY", "QC", str(len(rejected))),
        segment("AMT", "YU", x12_amount(ok)), segment("AMT", "YY", x12_amount(total - ok)),
    ]
    for hl, (eid, charge, member, statuses) in enumerate(claims_said, start=4):
        first = statuses[0].split("|")[0].split(":")
        action = "WQ" if first[0] in ("A1", "A2") else "U"
        body += [segment("HL", str(hl), "3", "PT"),
                 segment("NM1", "QC", "1", "DOE", "JANE", "", "", "", "MI", member),
                 segment("TRN", "2", eid)]
        refs = []
        for status in statuses:
            composite, _, ref = status.partition("|")
            body.append(segment("STC", tuple(composite.split(":")), DAY, action, charge))
            if ref:
                refs.append(segment("REF", *ref.split(":")))
        body += refs
        body.append(segment("DTP", "472", "D8", "20261123"))
    return envelope([body], "277", "005010X214", "HN", control)
