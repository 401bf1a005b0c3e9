"""Builders for the remit tests (no tests here): claims in a ledger, 835 texts, ledger checks.

`era(...)` writes a small, balanced 835 from plain values, so each test states only what it is
about; `bill_claims` puts matching claims in the ledger the way `medsheets claims` would;
`bill_from_835` bills whatever claims a sample 835 pays, from the sample itself; the journal
checks recompute balances from raw journal rows, independently of the ledger's own queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from shared_samples import SAMPLES as SHARED_SAMPLES
from x12_judge import validate_with_pyx12

from medsheets.ledger import Ledger
from medsheets.ledger.schema import journal
from medsheets.model import Encounter, Origin, Person, ServiceLine
from medsheets.practice import Practice, open_practice
from medsheets.remit.files import read_remit_bytes
from medsheets.remit.results import RemitResult
from medsheets.remit.run import post_remit_files

DAY = dt.date(2026, 11, 20)
SAMPLES = SHARED_SAMPLES / "835"
PATIENT = Person("Doe", "Alice", dt.date(1980, 5, 17), "F", "1 Elm St", "Springfield", "IL", "62701")
SHA = "cd" * 32


@dataclass(frozen=True)
class Svc:
    """An SVC loop: code, charge, paid, CAS (group, reason, amount) triples, REF*6R, date."""

    code: str
    charge: str
    paid: str
    cas: tuple[tuple[str, str, str], ...] = ()
    control: str = ""
    day: str = "20261120"
    modifiers: tuple[str, ...] = ()
    original: str = ""  # SVC06 code when the payer changed it
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clp:
    """A CLP loop: our encounter id, status, charge, paid, claim-level CAS, lines, ICN."""

    pcn: str
    status: str
    charge: str
    paid: str
    cas: tuple[tuple[str, str, str], ...] = ()
    svcs: tuple[Svc, ...] = ()
    icn: str = "ICN0001"
    forwarded_to: str = ""


@dataclass(frozen=True)
class Plb:
    reason: str
    amount: str
    reference: str = ""


def _cas(cas: Sequence[tuple[str, str, str]], e: str) -> list[str]:
    out: list[str] = []
    for group in dict.fromkeys(g for g, _, _ in cas):
        parts = [p for g, r, a in cas if g == group for p in (r, a, "")]
        while parts and parts[-1] == "":
            parts.pop()
        out.append(e.join(["CAS", group, *parts]))
    return out


def era(claims: Sequence[Clp], *, trace: str = "TRACE1", payer_key: str = "1999999999",
        plbs: Sequence[Plb] = (), payment: str | None = None, e: str = "*", c: str = ":",
        t: str = "~", newline: str = "\n", payee_npi: str = "1982045761") -> str:
    """A one-transaction 835 interchange; BPR02 = sum of CLP04 - sum of PLB unless given."""
    paid = sum((Decimal(x.paid) for x in claims), Decimal(0))
    paid -= sum((Decimal(p.amount) for p in plbs), Decimal(0))
    body = [
        e.join(["BPR", "I", payment if payment is not None else str(paid), "C", "CHK", *[""] * 11,
                "20261201"]),
        e.join(["TRN", "1", trace, payer_key]),
        e.join(["DTM", "405", "20261201"]),
        e.join(["N1", "PR", "EXAMPLE PAYER"]),
        e.join(["PER", "BL", "EDI", "TE", "8005550100"]),
        e.join(["N1", "PE", "MAPLE STREET FAMILY MEDICINE", "XX", payee_npi]),
    ]
    for number, clp in enumerate(claims, start=1):
        body.append(e.join(["LX", str(number)]))
        body.append(e.join(["CLP", clp.pcn, clp.status, clp.charge, clp.paid, "", "12", clp.icn]))
        body.extend(_cas(clp.cas, e))
        body.append(e.join(["NM1", "QC", "1", "DOE", "ALICE", "", "", "", "MI", "M123"]))
        if clp.forwarded_to:
            body.append(e.join(["NM1", "TT", "2", clp.forwarded_to, "", "", "", "", "PI", "99999"]))
        for svc in clp.svcs:
            original = c.join(["HC", svc.original]) if svc.original else ""
            fields = ["SVC", c.join(["HC", svc.code, *svc.modifiers]), svc.charge, svc.paid, "", "1"]
            body.append(e.join(fields + ([original] if original else [])))
            body.append(e.join(["DTM", "472", svc.day]))
            body.extend(_cas(svc.cas, e))
            if svc.control:
                body.append(e.join(["REF", "6R", svc.control]))
            body.extend(e.join(["LQ", "HE", r]) for r in svc.remarks)
    if plbs:
        pairs = [x for p in plbs for x in (c.join([p.reason, p.reference]) if p.reference
                                           else p.reason, p.amount)]
        body.append(e.join(["PLB", "1982045761", "20261231", *pairs]))
    isa = e.join(["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "CLEARHOUSE01   ", "ZZ",
                  "MAPLE01        ", "261201", "0800", "^", "00501", "000000007", "0", "T", c])
    segments = [isa, e.join(["GS", "HP", "CLEARHOUSE01", "MAPLE01", "20261201", "0800", "7", "X",
                            "005010X221A1"]),
                e.join(["ST", "835", "0001"]), *body, e.join(["SE", str(len(body) + 2), "0001"]),
                e.join(["GE", "1", "7"]), e.join(["IEA", "1", "000000007"])]
    return "".join(s + t + newline for s in segments)


def service_line(eid: str, code: str, charge: str, *, day: dt.date = DAY, payer_id: str = "BSTAR",
                 patient_id: str = "P1", modifiers: tuple[str, ...] = (),
                 copay: str | None = None) -> ServiceLine:
    return ServiceLine(
        origin=Origin("day.xlsx", "Encounters", 2, {}), encounter_id=eid, date_of_service=day,
        patient_id=patient_id, patient=PATIENT, patient_email=None, patient_phone=None,
        payer_id=payer_id, member_id="M123", group_number=None, subscriber_relationship="self",
        subscriber=None, procedure_code=code, modifiers=modifiers, units=1,
        charge=Decimal(charge), diagnoses=("E119",), place_of_service="11", rendering_npi=None,
        referring_npi=None, referring_name=None, prior_auth=None,
        copay_collected=Decimal(copay) if copay else None)


@dataclass
class Billed:
    """Claims billed for a test: encounter id -> (claim id, [line ids])."""

    claims: dict[str, tuple[int, list[int]]] = field(default_factory=dict)


def bill_claims(db_url: str, encounters: Sequence[tuple[Encounter, Sequence[str] | None]],
                patient_id: str = "P1") -> Billed:
    """Bill encounters in one transaction, as `medsheets claims` records them; control numbers
    default to `{encounter_id}-{n}`."""
    billed = Billed()
    with Ledger.open(db_url) as ledger, ledger.transaction() as tx:
        run_id = tx.start_run("claims", [("day.xlsx", SHA)])
        for encounter, controls in encounters:
            pid = encounter.first.patient_id or patient_id
            tx.upsert_patient(pid, PATIENT, None, None)
            numbers = list(controls) if controls else [
                f"{encounter.encounter_id}-{n}" for n in range(1, len(encounter.lines) + 1)]
            claim_id = tx.add_claim(encounter, fingerprint="f" * 64, run_id=run_id, batch_id=None,
                                    line_control_numbers=numbers, source_file="day.xlsx")
            billed.claims[encounter.encounter_id] = (claim_id, [ln.id for ln in tx.claim_lines(claim_id)])
        tx.finish_run(run_id, {"billed": len(encounters)})
    return billed


def bill_from_835(db_url: str, data: bytes, name: str, payer_id: str = "SAMPLE") -> Billed:
    """Bill, for every claim a sample 835 pays, a claim with its encounter id, lines and charges
    (one line at the claim charge when the 835 has no service lines)."""
    encounters: list[tuple[Encounter, Sequence[str] | None]] = []
    seen: set[str] = set()
    number = 0
    for read in read_remit_bytes(data, name).transactions:
        for claim in read.remittance.claims if read.remittance else ():
            if claim.patient_control_number in seen or claim.charge < 0:
                continue
            seen.add(claim.patient_control_number)
            number += 1
            eid, pid = claim.patient_control_number, f"S{number}"
            day = claim.statement_date or DAY
            if claim.services:
                lines = tuple(service_line(eid, s.billed_code or "99999", str(s.charge),
                                           day=s.service_date or day, payer_id=payer_id,
                                           patient_id=pid, modifiers=s.billed_modifiers)
                              for s in claim.services)
                controls = [s.control_number or f"{eid}-{n}" for n, s in enumerate(claim.services, 1)]
            else:
                lines = (service_line(eid, "99213", str(claim.charge), day=day, payer_id=payer_id,
                                      patient_id=pid),)
                controls = None
            encounters.append((Encounter(eid, lines), controls))
    return bill_claims(db_url, encounters)


def paid_to_anyone(practice_dir: Path) -> Practice:
    """The practice with no NPI of its own, so that a sample 835 paying some other provider
    (the public samples all do) is not refused for its payee; that rule has its own tests."""
    practice = open_practice(practice_dir)
    config = practice.config
    practice.__dict__["config"] = replace(config, practice=replace(config.practice, npi=""))
    return practice


def journal_rows(db_url: str, claim_id: int) -> list[Any]:
    with Ledger.open(db_url) as ledger, ledger.reading() as tx:
        return list(tx.conn.execute(sa.select(journal).where(journal.c.claim_id == claim_id)))


def sums(db_url: str, claim_id: int) -> dict[str, Decimal]:
    """A claim's journal summed by kind, and the payer's and patient's shares, from raw rows."""
    totals = {k: Decimal("0.00") for k in ("charge", "payment", "adjustment", "writeoff",
                                            "transfer", "payer", "patient")}
    for row in journal_rows(db_url, claim_id):
        amount = Decimal(row.amount_cents) / 100
        totals[row.kind] += amount
        sign = 1 if row.kind in ("charge", "transfer") else -1
        if row.party == "patient":
            totals["patient"] += sign * amount
            if row.kind == "transfer":
                totals["payer"] -= amount
        else:
            totals["payer"] += sign * amount
    return totals


def assert_journal_balances(db_url: str, claim_id: int) -> dict[str, Decimal]:
    """charges = payments + adjustments + write-offs + balance, where balance is the payer's
    share plus the patient's, each summed from raw rows; returns the sums."""
    s = sums(db_url, claim_id)
    assert s["charge"] == s["payment"] + s["adjustment"] + s["writeoff"] + s["payer"] + s["patient"]
    with Ledger.open(db_url) as ledger, ledger.reading() as tx:
        assert tx.claim_balance(claim_id) == s["payer"] + s["patient"]
    return s


def validate_835(path: Path) -> tuple[bool, list[str]]:
    """pyx12's verdict on an 835 (the shared judge, which asks no 999 for an 835)."""
    errors = validate_with_pyx12(path)
    return not errors, errors


def rows(db_url: str, table: sa.Table, **where: Any) -> list[Any]:
    """Rows of a ledger table (optionally filtered by column = value), in id order."""
    query = sa.select(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with Ledger.open(db_url) as ledger, ledger.reading() as tx:
        return list(tx.conn.execute(query.order_by(*table.primary_key.columns)))


NOW = dt.datetime(2026, 12, 2, 9, 30)


def db_url(practice_dir: Path) -> str:
    return open_practice(practice_dir).db_url


def post_text(practice_dir: Path, text: str, name: str = "era.835") -> RemitResult:
    """Write `text` into the practice's remits/ and post it as `medsheets remit` would."""
    path = practice_dir / "remits" / name
    path.write_text(text)
    return post_remit_files(open_practice(practice_dir), [path], now=NOW)


def bill(practice_dir: Path, eid: str, *lines: tuple[str, str], copay: str | None = None,
         controls: Sequence[str] | None = None, payer_id: str = "BSTAR",
         modifiers: Sequence[tuple[str, ...]] = ()) -> tuple[int, list[int]]:
    """Bill one claim of (code, charge) lines in the practice's ledger: (claim id, line ids)."""
    made = tuple(service_line(eid, code, charge, payer_id=payer_id,
                              copay=copay if n == 0 else None,
                              modifiers=modifiers[n] if n < len(modifiers) else ())
                 for n, (code, charge) in enumerate(lines))
    return bill_claims(db_url(practice_dir), [(Encounter(eid, made), controls)]).claims[eid]


def large_835(claims: int, *, prefix: str = "B") -> str:
    """A balanced 835 of `claims` two-line claims (about 290 bytes each), one transaction,
    every line echoing its REF*6R, for the memory test and benchmarks/bench_remit_memory.py."""
    body = ["BPR*I*{total}*C*CHK************20261201", "TRN*1*BIG1*1360000003", "DTM*405*20261201",
            "N1*PR*BLUESTEM HEALTH INSURANCE", "N1*PE*MAPLE STREET FAMILY MEDICINE*XX*1982045761"]
    for n in range(claims):
        eid = f"{prefix}{n:07d}"
        body += [f"LX*{n + 1}", f"CLP*{eid}*1*147*20.7*28.8*12*ICN{n:09d}", "NM1*QC*1*DOE*ALICE****MI*M1",
                 "SVC*HC:99213*135*13.5**1", "DTM*472*20261120", "CAS*CO*45*94.5", "CAS*PR*2*27",
                 f"REF*6R*{eid}-1", "SVC*HC:36415*12*7.2**1", "DTM*472*20261120", "CAS*CO*45*3",
                 "CAS*PR*2*1.8", f"REF*6R*{eid}-2"]
    body[0] = body[0].format(total=Decimal("20.7") * claims)
    segments = ["ISA*00*          *00*          *ZZ*CLEARHOUSE01   *ZZ*MAPLE01        *261201*0800*^*"
                "00501*000000001*0*T*:", "GS*HP*CLEARHOUSE01*MAPLE01*20261201*0800*1*X*005010X221A1",
                "ST*835*0001", *body, f"SE*{len(body) + 2}*0001", "GE*1*1", "IEA*1*000000001"]
    return "".join(f"{s}~\n" for s in segments)
