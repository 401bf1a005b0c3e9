"""Independent judges of an 837P for the tests, and builders of realistic encounters.

`validate_with_pyx12` asks pyx12 (the strictest public validator) whether a file is valid
005010X222A1. `check_837_rules` checks what pyx12 does not (see samples/PROVENANCE.md): it
splits the text itself, without medsheets' reader, so a bug there cannot hide a bug here.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

with warnings.catch_warnings():  # it loads its data through a deprecated importlib call
    warnings.simplefilter("ignore", DeprecationWarning)
    import simple_icd_10_cm

from shared_samples import SAMPLES as SHARED_SAMPLES

from medsheets.config import Config, PracticeInfo, Receiver, Submitter
from medsheets.model import Encounter, Origin, Payer, Person, ServiceLine

SAMPLES = SHARED_SAMPLES
NOW = dt.datetime(2026, 11, 27, 14, 5)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def validate_with_pyx12(path: Path) -> list[str]:
    """pyx12's errors for the file at `path`; an empty list means pyx12 finds it valid."""
    import pyx12.params
    import pyx12.x12n_document

    handler = _Collect()
    logger = logging.getLogger("pyx12")
    logger.addHandler(handler)
    # pyx12's 999 writer fails on any 835 without ST03 (which the 835 guide marks not used):
    # no acknowledgement is asked for an 835, which says nothing of the file itself.
    wants_ack = b"ST*835" not in Path(path).read_bytes()[:4096]
    try:
        ok = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(), src_file=str(path),
            fd_997=io.StringIO() if wants_ack else None, fd_html=None)
    except Exception as exc:
        return [*handler.messages, f"pyx12 crashed: {type(exc).__name__}: {exc}"]
    finally:
        logger.removeHandler(handler)
    if not ok and not handler.messages:
        return ["pyx12 returned failure without a message"]
    return handler.messages


def _split(text: str) -> list[list[str]]:
    element, terminator = text[3], text[105]
    segments = [s.strip("\r\n") for s in text.split(terminator)]
    return [s.split(element) for s in segments if s.strip()]


def _npi_ok(npi: str) -> bool:
    if len(npi) != 10 or not npi.isdigit():
        return False
    total = 24
    for i, ch in enumerate(reversed(npi[:9])):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(npi[9])


_BASIC = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"&'()+,-./;?= ")


def check_837_rules(text: str) -> list[str]:
    """Violations of the rules a clearinghouse applies and pyx12 does not check."""
    problems: list[str] = []
    if not text.startswith("ISA") or text[105] != "~" or text[104] != ":":
        problems.append("ISA is not fixed-width 106 characters with ':' and '~'")
        return problems
    segments = _split(text)
    problems += _envelope_rules(segments)
    problems += _content_rules(segments)
    problems += check_cob_balance(segments)
    return problems


def check_cob_balance(segments: list[list[str]]) -> list[str]:
    """Our COB balancing rule (005010X222A1 2320/2430 notes), per claim and other payer:

    - a 2430 SVD01 names a payer of the claim's 2330B loops, and SBR01 is not repeated;
    - per line and other payer: SV102 = that payer's SVD02 + CAS amounts (its 2430 loops on
      the line, by SVD01; each payer on its own, never summed over payers: with a tertiary,
      the primary's and the secondary's 2430 loops each balance to the charge);
    - per payer: AMT*D = the sum of its SVD02 less its 2320 (claim-level) CAS amounts;
    - per claim: CLM02 = AMT*D + the 2320 CAS amounts + every 2430 CAS amount of that payer;
    - AMT*D is sent exactly for the other payers that adjudicated (a 2430 or 2330B DTP*573).
    """
    problems: list[str] = []
    claims: list[dict[str, Any]] = []
    claim: dict[str, Any] | None = None
    where, sbr01 = "", ""  # where: "2300", "2320", "2330", "2330B", "2400", "2430"
    for seg in segments:
        sid, el = seg[0], seg + [""] * 20
        if sid in ("HL", "SE"):
            claim, where = None, ""
        if sid == "SBR" and claim is None:
            sbr01 = el[1]
        elif sid == "CLM":
            claim = {"id": el[1], "charge": Decimal(el[2]), "sbr": [sbr01], "others": [],
                     "lines": []}
            claims.append(claim)
            where = "2300"
        elif claim is None:
            continue
        elif sid == "SBR":
            claim["others"].append({"sbr": el[1], "cas": Decimal(0), "paid": None, "id": "",
                                    "dtp": False})
            claim["sbr"].append(el[1])
            where = "2320"
        elif sid == "CAS" and where == "2320":
            claim["others"][-1]["cas"] += sum(Decimal(el[n]) for n in (3, 6, 9, 12, 15, 18) if el[n])
        elif sid == "AMT" and where == "2320" and el[1] == "D":
            claim["others"][-1]["paid"] = Decimal(el[2])
        elif sid == "NM1" and el[1] == "PR" and where in ("2320", "2330"):
            claim["others"][-1]["id"], where = el[9], "2330B"
        elif sid == "NM1" and el[1] == "IL" and where == "2320":
            where = "2330"
        elif sid == "DTP" and el[1] == "573" and where == "2330B":
            claim["others"][-1]["dtp"] = True
        elif sid == "LX":
            where = "2400"
        elif sid == "SV1":
            claim["lines"].append({"charge": Decimal(el[2]), "svd": []})
        elif sid == "SVD":
            claim["lines"][-1]["svd"].append({"id": el[1], "paid": Decimal(el[2]), "cas": Decimal(0)})
            where = "2430"
        elif sid == "CAS" and where == "2430":
            claim["lines"][-1]["svd"][-1]["cas"] += sum(
                Decimal(el[n]) for n in (3, 6, 9, 12, 15, 18) if el[n])
    for claim in claims:
        name = f"CLM {claim['id']}"
        if len(set(claim["sbr"])) != len(claim["sbr"]):
            problems.append(f"{name}: SBR01 {claim['sbr']} repeats a payer responsibility")
        payers = {other["id"]: other for other in claim["others"]}
        line_cas = {payer: Decimal(0) for payer in payers}
        line_paid = {payer: Decimal(0) for payer in payers}
        adjudicated = {other["id"] for other in claim["others"] if other["dtp"]}
        for number, line in enumerate(claim["lines"], start=1):
            on_line: dict[str, tuple[Decimal, Decimal]] = {}  # payer -> (SVD02, CAS) sums
            for svd in line["svd"]:
                if svd["id"] not in payers:
                    problems.append(f"{name} line {number}: SVD01 {svd['id']} is no 2330B payer")
                    continue
                adjudicated.add(svd["id"])
                line_cas[svd["id"]] += svd["cas"]
                line_paid[svd["id"]] += svd["paid"]
                paid, cas = on_line.get(svd["id"], (Decimal(0), Decimal(0)))
                on_line[svd["id"]] = (paid + svd["paid"], cas + svd["cas"])
            for payer, (paid, cas) in on_line.items():
                if paid + cas != line["charge"]:
                    problems.append(f"{name} line {number}: SV102 {line['charge']} is not "
                                    f"{payer}'s SVD02 {paid} + CAS {cas}")
        with_lines = {svd["id"] for line in claim["lines"] for svd in line["svd"]}
        for payer, other in payers.items():
            if other["paid"] is None:
                if payer in adjudicated:
                    problems.append(f"{name}: AMT*D of {payer} is missing, but it adjudicated")
                continue
            if payer not in adjudicated:
                problems.append(f"{name}: AMT*D of {payer} without its adjudication (2430 or DTP*573)")
                continue
            if payer in with_lines and other["paid"] + other["cas"] != line_paid[payer]:
                problems.append(f"{name}: AMT*D {other['paid']} + 2320 CAS {other['cas']} is not "
                                f"the SVD02 total {line_paid[payer]} of {payer}")
            if other["paid"] + other["cas"] + line_cas[payer] != claim["charge"]:
                problems.append(f"{name}: CLM02 {claim['charge']} is not AMT*D {other['paid']} + "
                                f"2320 CAS {other['cas']} + 2430 CAS {line_cas[payer]} of {payer}")
    return problems


def _envelope_rules(segments: list[list[str]]) -> list[str]:
    problems = []
    isa, gs, st_at, st_count, gs_count = None, None, 0, 0, 0
    for i, seg in enumerate(segments):
        sid = seg[0]
        if sid == "ISA":
            isa, gs_count = seg, 0
        elif sid == "GS":
            gs, st_count, gs_count = seg, 0, gs_count + 1
        elif sid == "ST":
            st_at, st_count, st = i, st_count + 1, seg
        elif sid == "SE":
            if int(seg[1]) != i - st_at + 1 or seg[2] != st[2]:
                problems.append(f"SE at segment {i + 1}: count or control number wrong")
        elif sid == "GE" and gs is not None:
            if int(seg[1]) != st_count or seg[2] != gs[6]:
                problems.append("GE count or control number wrong")
        elif sid == "IEA" and isa is not None:
            if int(seg[1]) != gs_count or seg[2] != isa[13]:
                problems.append("IEA count or control number wrong")
        elif sid != "ISA":
            bad = [e for e in seg[1:] if not set(e) <= _BASIC | {":", "^"}]
            if bad:
                problems.append(f"{sid} at segment {i + 1} has characters outside the basic set")
    return problems


def _content_rules(segments: list[list[str]]) -> list[str]:
    problems: list[str] = []
    state: dict[str, Any] = {"entity": "", "dx": 0, "charges": None, "clm": None, "hl": []}
    refs: set[str] = set()

    def close_claim() -> None:
        if state["clm"] is not None and state["charges"] != Decimal(state["clm"][2]):
            problems.append(f"CLM {state['clm'][1]}: CLM02 is not the sum of its SV102")
        state["clm"] = None

    for seg in segments:
        sid, el = seg[0], seg + [""] * 12
        if sid == "ST":
            state["hl"], refs = [], set()
        elif sid in ("SE", "HL"):
            close_claim()
        if sid == "SE":
            problems += _hl_rules(state["hl"])
        elif sid == "HL":
            state["hl"].append(el)
        elif sid == "NM1":
            state["entity"] = el[1]
            if el[8] == "XX" and not _npi_ok(el[9]):
                problems.append(f"NM1*{el[1]}: NPI check digit wrong")
        elif sid == "N4" and state["entity"] == "85" and not (len(el[3]) == 9 and el[3].isdigit()):
            problems.append("billing provider ZIP is not 9 digits")
        elif sid == "REF" and el[1] == "EI" and not (len(el[2]) == 9 and el[2].isdigit()):
            problems.append("REF*EI is not a 9-digit EIN")
        elif sid == "REF" and el[1] == "6R":
            if el[2] in refs:
                problems.append("REF*6R repeated in one transaction")
            refs.add(el[2])
        elif sid == "SBR" and not el[9]:
            problems.append("SBR09 claim filing indicator missing")
        elif sid == "CLM":
            close_claim()
            state["clm"], state["charges"], state["dx"] = seg, Decimal(0), 0
        elif sid == "HI":
            state["dx"] = len(seg) - 1
            problems += _hi_rule(seg[1:])
        elif sid == "SV1":
            state["charges"] += Decimal(el[2])
            pointers = [p for p in el[7].split(":") if p]
            if not pointers or len(pointers) > 4 or any(not p.isdigit() or not 1 <= int(p) <= state["dx"]
                                                        for p in pointers):
                problems.append("SV107 points outside the claim's HI list")
    return problems


def _hl_rules(hls: list[list[str]]) -> list[str]:
    """HL01 numbered 1, 2, 3...; HL02 an earlier HL; HL04 '1' exactly when a child follows."""
    problems = []
    parents = {el[2] for el in hls if el[2]}
    for n, el in enumerate(hls, start=1):
        if el[1] != str(n):
            problems.append(f"HL {el[1]} is out of sequence")
        if el[2] and not (el[2].isdigit() and int(el[2]) < n):
            problems.append(f"HL {el[1]} has an unknown parent")
        if (el[4] == "1") != (el[1] in parents):
            problems.append(f"HL {el[1]}: HL04 child flag {el[4]!r} is wrong")
    return problems


def _hi_rule(elements: list[str]) -> list[str]:
    problems = []
    if len(elements) > 12:
        problems.append("HI holds more than 12 codes")
    for i, value in enumerate(elements):
        qualifier, _, code = value.partition(":")
        if qualifier != ("ABK" if i == 0 else "ABF"):
            problems.append(f"HI{i + 1:02d} qualifier {qualifier} is not {'ABK' if i == 0 else 'ABF'}")
        if "." in code or not simple_icd_10_cm.is_valid_item(code) or not simple_icd_10_cm.is_leaf(code):
            problems.append(f"HI{i + 1:02d} is not a billable ICD-10-CM code without a dot")
    return problems


# ---------------------------------------------------------------- builders for tests

PRACTICE_NPI = "1234567893"
RENDERING_NPI = "9876543213"
REFERRING_NPI = "1112223338"


def make_config(**practice: str) -> Config:
    values = {"name": "Maple Street Family Medicine", "npi": PRACTICE_NPI, "tax_id": "123456789",
                  "address": "100 Maple St", "city": "Springfield", "state": "IL", "zip": "627011234",
                  "taxonomy": "207Q00000X", "phone": "2175550100"}
    values.update(practice)
    return Config(PracticeInfo(**values),
                  Submitter("MAPLE01", "Maple Street Family Medicine", "Pat Doe", "2175550100"),
                  Receiver("CLEARHOUSE01", "Example Clearinghouse"))


PAYERS = {
    "BCBS1": Payer("BCBS1", "Blue Cross Blue Shield of Illinois", "BL"),
    "MCR01": Payer("MCR01", "Medicare Part B", "MB"),
    "AETNA": Payer("AETNA", "Aetna", "CI"),
}

ORIGIN = Origin("2026-11-27.xlsx", "Encounters", 2, {"charge": "V", "member_id": "Q"})


def make_line(encounter_id: str = "E1", **values: Any) -> ServiceLine:
    """A complete service line for a patient who is the subscriber; override any field."""
    fields: dict[str, Any] = {
        "origin": ORIGIN, "encounter_id": encounter_id, "date_of_service": dt.date(2026, 11, 20),
        "patient_id": "P1",
        "patient": Person("García", "José", dt.date(1970, 5, 1), "M", "12 Oak St", "Springfield", "IL", "62701"),
        "patient_email": None, "patient_phone": None, "payer_id": "BCBS1", "member_id": "XYZ123456789",
        "group_number": "GRP001", "subscriber_relationship": "self", "subscriber": None,
        "procedure_code": "99213", "modifiers": (), "units": 1, "charge": Decimal("125.00"), "diagnoses": ("E119",),
        "place_of_service": None, "rendering_npi": None, "referring_npi": None, "referring_name": None,
        "prior_auth": None, "copay_collected": None,
    }
    fields.update(values)
    return ServiceLine(**fields)


def make_encounter(encounter_id: str, *lines: dict[str, Any]) -> Encounter:
    return Encounter(encounter_id, tuple(make_line(encounter_id, **v) for v in (lines or ({},))))
