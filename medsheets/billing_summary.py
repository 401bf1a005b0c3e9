"""The summary of a `claims` run: what happened to each encounter and why, kept until written.

`claims` works out the rows inside its ledger transaction and keeps them with the run
(`keep_summary`, output_files kind "summary", with the folder that ran it: medsheets/command.py
`Kept`), and writes the workbook (workbook/claims_summary.py) from them only after the commit,
like the 837. A run killed, or a disk that filled, in between leaves the rows in the ledger;
the next `claims` from that folder writes the workbook (`session.restore(SUMMARY)`): nothing
lost, nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from medsheets.command import Kept, Run
from medsheets.model import Provider, provider_name
from medsheets.workbook.claims_summary import (
    SummaryRow,
    summary_from_json,
    summary_json,
    write_claims_summary,
)

if TYPE_CHECKING:
    from medsheets.claims import BillingResult

SUMMARY_KIND = "summary"


def keep_summary(run: Run, result: BillingResult, providers: Mapping[str, Provider],
                 batch_name: str | None, now: dt.datetime) -> Path:
    """Keep the summary's rows with the run (written after the commit, or by the next run
    should this one die first); its path. Beside an 837 it is named after it; without one,
    after the time, and after the run too should another run that second have taken the name."""
    name = f"claims-{now:%Y%m%d-%H%M%S}.xlsx" if batch_name is None else batch_name[:-4] + ".xlsx"
    if run.tx.output_recorded(name):
        name = f"{name[:-5]}-run{run.id}.xlsx"
    rows = summary_rows(result, providers)
    return run.keep(SUMMARY, name, summary_json(rows, batch_name),
                    write_now=lambda path: write_claims_summary(path, rows, batch_name))


def write_summary(target: Path, content: str) -> Path:
    """The workbook from the rows kept with the run."""
    return write_claims_summary(target, *summary_from_json(content))


SUMMARY = Kept(SUMMARY_KIND, "claims", write_summary)


def summary_rows(result: BillingResult, providers: Mapping[str, Provider]) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    on_paper = set(result.on_paper)
    for check in result.checks:
        by_id = {e.encounter_id: e for e in check.encounters}
        billed = {e.encounter_id for e in result.billed}
        self_pay = {e.encounter_id for e in result.self_pay}
        reasons: dict[str, list[str]] = {}
        line_of = {(line.origin.sheet, line.origin.row): e.encounter_id
                   for e in check.encounters for line in e.lines}
        for problem in [*check.problems, *result.refused]:
            eid = line_of.get((problem.source.sheet, problem.source.row))
            if eid and problem.source.file == check.file:
                reasons.setdefault(eid, []).append(f"{problem.source.cell or ''} {problem.code} {problem.message}")
        refused = {eid for eid in reasons if eid not in check.held} & {
            line_of.get((p.source.sheet, p.source.row)) for p in result.refused}
        for eid, encounter in by_id.items():
            if eid in billed:
                status = "billed on paper" if eid in on_paper else "billed"
            elif eid in self_pay:
                status = "self-pay"
            elif eid in check.held:
                status = "held"
            elif eid in refused:
                status = "not billed"
            else:
                status = "already billed"
            first = encounter.first
            rows.append(SummaryRow(check.file, eid, first.patient_id, first.date_of_service,
                                   first.payer_id or "self-pay", len(encounter.lines),
                                   encounter.total_charge, status, "; ".join(reasons.get(eid, [])),
                                   provider_name(first.rendering_npi, providers)))
    for cob in result.secondary:
        first = cob.encounter.first
        kind = "corrected" if cob.resubmission else "billed"
        payer, before = ("tertiary", "secondary") if cob.rank == 3 else ("secondary", "primary")
        rows.append(SummaryRow(first.origin.file, cob.encounter.encounter_id, first.patient_id,
                               first.date_of_service, cob.payer_id, len(cob.encounter.lines),
                               cob.encounter.total_charge, f"{payer} {kind}",
                               f"after the {before}'s remittance",
                               provider_name(first.rendering_npi, providers)))
    return rows
