"""codesets.xlsx, the code-set workbook the practice maintains (docs/files.md), read into CodeSets.

Problems here are the practice's own data errors (a fee with a fraction of a cent, a payer
without an id); they are reported with their cells like any other, and the rows at fault are
left out of the code sets so that the edits never trust them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from medsheets.identifiers import TAXONOMY, normalize_icd10, npi_is_valid
from medsheets.model import (
    CodeSets,
    ContractRate,
    NcciEdit,
    Payer,
    Problem,
    Procedure,
    Provider,
    Source,
    error,
)
from medsheets.workbook.table import Column, Table, Workbook

PROCEDURE_COLUMNS = (
    Column("code", "code", required=True),
    Column("description", "text"),
    Column("fee", "money", required=True),
    Column("type", "code"),
    Column("effective", "date"),
    Column("terminated", "date"),
    Column("max_units", "int"),
    Column("sex", "code"),
    Column("min_age", "int"),
    Column("max_age", "int"),
    Column("global_days", "int"),
)
GLOBAL_PERIODS = frozenset({0, 10, 90})
DIAGNOSIS_COLUMNS = (Column("code", "code", required=True), Column("description", "text"))
MODIFIER_COLUMNS = (Column("code", "code", required=True), Column("description", "text"))
PAYER_COLUMNS = (
    Column("payer_id", "code", required=True),
    Column("name", "text", required=True),
    Column("claim_filing", "code", required=True),
    Column("address", "text"),
    Column("city", "text"),
    Column("state", "code"),
    Column("zip", "zip"),
    Column("timely_filing_days", "int"),
    Column("allowed_percent", "decimal"),
    Column("submission", "code"),
    Column("followup_days", "int"),
)
SUBMISSIONS = ("electronic", "paper")
EDIT_COLUMNS = (
    Column("column1", "code", required=True),
    Column("column2", "code", required=True),
    Column("modifier_allowed", "int"),
    Column("effective", "date"),
    Column("deleted", "date"),
)
PROVIDER_COLUMNS = (
    Column("npi", "account", required=True),
    Column("last_name", "text", required=True),
    Column("first_name", "text"),
    Column("taxonomy", "code"),
)
FEE_SCHEDULE_COLUMNS = (
    Column("payer_id", "code", required=True),
    Column("code", "code", required=True),
    Column("allowed", "money", required=True),
    Column("effective", "date"),
)
REASON_COLUMNS = (Column("code", "code", required=True), Column("explanation", "text", required=True))

# SBR09 claim filing indicator codes an 837P accepts.
CLAIM_FILING_CODES = frozenset(
    "11 12 13 14 15 16 17 AM BL CH CI DS FI HM LM MA MB MC OF TV VA WC ZZ".split()
)


def read_codesets(path: Path) -> tuple[CodeSets, list[Problem]]:
    book = Workbook(path)
    problems: list[Problem] = []

    def table(sheet: str, columns: tuple[Column, ...], required: bool) -> Table | None:
        name = book.find_sheet(sheet, fallback_to_first=False)
        if name is None:
            if required:
                problems.append(error(Source(book.name), "MS-SHEET-MISSING",
                                      f"the code-set workbook has no '{sheet}' sheet"))
            return None
        result = book.read_table(name, columns)
        problems.extend(result.problems)
        return result

    procedures: dict[str, Procedure] = {}
    if (t := table("Procedures", PROCEDURE_COLUMNS, True)) is not None:
        for origin, v in t.rows:
            if v["code"] is None or v["fee"] is None:
                problems.append(error(origin.at("code" if v["code"] is None else "fee"),
                                      "MS-CODESET-ROW", "a procedure needs a code and a fee"))
                continue
            code_type = v["type"] or ("CPT" if v["code"][:1].isdigit() else "HCPCS")
            global_days = v["global_days"]
            if global_days is not None and global_days not in GLOBAL_PERIODS:
                problems.append(error(origin.at("global_days"), "MS-CODESET-GLOBAL",
                                      f"global_days {global_days} for {v['code']} is not a global "
                                      "period; use 0, 10 or 90, or leave it blank"))
                global_days = None
            procedures[v["code"]] = Procedure(
                v["code"], v["description"] or "", v["fee"], code_type, v["effective"],
                v["terminated"], v["max_units"], v["sex"], v["min_age"], v["max_age"], origin,
                global_days)

    modifiers: dict[str, str] = {}
    if (t := table("Modifiers", MODIFIER_COLUMNS, True)) is not None:
        modifiers = {v["code"]: v["description"] or "" for _, v in t.rows if v["code"]}

    diagnoses: dict[str, str] = {}
    if (t := table("Diagnoses", DIAGNOSIS_COLUMNS, False)) is not None:
        diagnoses = {normalize_icd10(v["code"]): v["description"] or "" for _, v in t.rows if v["code"]}

    payers: dict[str, Payer] = {}
    if (t := table("Payers", PAYER_COLUMNS, True)) is not None:
        for origin, v in t.rows:
            if not v["payer_id"] or not v["name"] or not v["claim_filing"]:
                problems.append(error(origin.at("payer_id"), "MS-CODESET-ROW",
                                      "a payer needs payer_id, name and claim_filing"))
                continue
            if v["claim_filing"] not in CLAIM_FILING_CODES:
                problems.append(error(origin.at("claim_filing"), "MS-CODESET-FILING",
                                      f"claim_filing '{v['claim_filing']}' is not an SBR09 code "
                                      "(MB Medicare Part B, MC Medicaid, CI commercial, HM HMO, ...)"))
                continue
            submission = (v["submission"] or "electronic").lower()
            if submission not in SUBMISSIONS:
                problems.append(error(origin.at("submission"), "MS-CODESET-SUBMISSION",
                                      f"submission '{v['submission']}' must be electronic or paper"))
                continue
            followup = v["followup_days"]
            if followup is not None and followup < 1:
                problems.append(error(origin.at("followup_days"), "MS-CODESET-ROW",
                                      "followup_days must be a whole number of days, 1 or more"))
                continue
            payers[v["payer_id"]] = Payer(
                v["payer_id"], v["name"], v["claim_filing"], v["address"], v["city"], v["state"],
                v["zip"], v["timely_filing_days"], _percent(v["allowed_percent"]), submission,
                followup)

    edits: list[NcciEdit] = []
    if (t := table("Edits", EDIT_COLUMNS, False)) is not None:
        for _, v in t.rows:
            if v["column1"] and v["column2"]:
                edits.append(NcciEdit(v["column1"], v["column2"], bool(v["modifier_allowed"]),
                                      v["effective"], v["deleted"]))

    reasons: dict[str, str] = {}
    if (t := table("ReasonCodes", REASON_COLUMNS, False)) is not None:
        reasons = {v["code"]: v["explanation"] for _, v in t.rows if v["code"] and v["explanation"]}

    providers: dict[str, Provider] = {}
    if (t := table("Providers", PROVIDER_COLUMNS, False)) is not None:
        providers = _providers(t, problems)

    rates: dict[tuple[str, str], tuple[ContractRate, ...]] = {}
    if (t := table("FeeSchedule", FEE_SCHEDULE_COLUMNS, False)) is not None:
        rates = _contract_rates(t, problems)

    statuses: dict[str, str] = {}
    if (t := table("StatusCodes", REASON_COLUMNS, False)) is not None:
        statuses = {v["code"]: v["explanation"] for _, v in t.rows if v["code"] and v["explanation"]}

    return (CodeSets(procedures, modifiers, payers, diagnoses, tuple(edits), reasons, providers,
                     rates, statuses), problems)


def _providers(t: Table, problems: list[Problem]) -> dict[str, Provider]:
    """The Providers sheet by NPI; a row without a valid NPI or a last name is left out."""
    providers: dict[str, Provider] = {}
    for origin, v in t.rows:
        npi, last = v["npi"], v["last_name"]
        if not npi and not last:
            continue
        if not npi or not npi_is_valid(npi):
            problems.append(error(origin.at("npi"), "MS-CODESET-NPI",
                                  f"npi '{npi or ''}' is not a valid NPI (10 digits with a check "
                                  "digit); copy it from the NPPES registry"))
            continue
        if not last:
            problems.append(error(origin.at("last_name"), "MS-CODESET-ROW",
                                  "a provider needs a last_name (an organisation's name goes "
                                  "there, with first_name blank)"))
            continue
        if npi in providers:
            problems.append(error(origin.at("npi"), "MS-CODESET-DUPLICATE",
                                  f"npi {npi} is listed twice in the Providers sheet"))
            continue
        taxonomy = v["taxonomy"]
        if taxonomy and not TAXONOMY.match(taxonomy):
            problems.append(error(origin.at("taxonomy"), "MS-CODESET-TAXONOMY",
                                  f"taxonomy '{taxonomy}' is not a NUCC code (10 characters "
                                  "ending in X, like 207Q00000X); fix it or leave it blank"))
            taxonomy = None
        providers[npi] = Provider(npi, last, v["first_name"], taxonomy)
    return providers


def _contract_rates(t: Table, problems: list[Problem]) -> dict[tuple[str, str], tuple[ContractRate, ...]]:
    """The FeeSchedule sheet: (payer_id, code) -> its rates, oldest effective date first."""
    rates: dict[tuple[str, str], list[ContractRate]] = {}
    for origin, v in t.rows:
        if not v["payer_id"] or not v["code"] or v["allowed"] is None:
            problems.append(error(origin.at("allowed" if v["code"] else "code"), "MS-CODESET-ROW",
                                  "a FeeSchedule row needs payer_id, code and allowed"))
            continue
        rates.setdefault((v["payer_id"], v["code"]), []).append(
            ContractRate(v["payer_id"], v["code"], v["allowed"], v["effective"]))
    return {key: tuple(sorted(found, key=lambda r: r.effective or dt.date.min))
            for key, found in rates.items()}


def _percent(value: Any) -> Decimal | None:
    """allowed_percent as a fraction of the fee: 80 and 0.8 both mean 80%."""
    if value is None:
        return None
    return value / 100 if value > 1 else value
