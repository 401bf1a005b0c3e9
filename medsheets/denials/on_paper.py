"""Rebills to a payer that takes paper: the new claim printed on a CMS-1500, not sent.

The same path as `medsheets claims` takes for a paper payer (medsheets.paper.batch): inside
the run's transaction the forms are made and kept in the ledger with the run (`PAPER`); after the
commit both PDFs are written (plain paper, and data only for the red pre-printed form), and a
run killed in between has them restored by the next one. A claim no form can carry is held at
its worklist cell, and its void stays undone with it: the first claim is only cancelled when
the new one is billed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.command import Run
from medsheets.denials.sending import Outgoing, Prepared
from medsheets.model import CodeSets, Problem
from medsheets.paper.batch import keep_forms, paper_files, paper_forms
from medsheets.paper.form import ClaimForm
from medsheets.practice import Practice


@dataclass
class PaperRebills:
    """The forms of a run's paper rebills and the file they go in (none: nothing on paper)."""

    file_name: str = ""
    forms: list[ClaimForm] = field(default_factory=list)

    def keep(self, run: Run, claims_dir: Path) -> list[Path]:
        """Keep the forms with the run; both PDFs are written after the commit."""
        if not self.forms:
            return []
        keep_forms(run, self.file_name, self.forms)
        return paper_files(claims_dir, self.file_name)


def print_rebills(prepared: Prepared, codesets: CodeSets, practice: Practice, now: dt.datetime,
                  problems: list[Problem]) -> PaperRebills:
    """Forms for every rebill to a paper payer in `prepared`; a claim refused is taken out of
    `prepared.outgoing` with its void, with a problem at its worklist row."""
    paper: list[Outgoing] = [out for out in prepared.outgoing if out.on_paper]
    if not paper:
        return PaperRebills()
    forms, printed = paper_forms([out.encounter for out in paper], codesets.payers,
                                 practice.config, problems)
    done = {encounter.encounter_id for encounter in printed}
    refused = {out.work.claim.id for out in paper if out.encounter.encounter_id not in done}
    prepared.outgoing = [out for out in prepared.outgoing if out.work.claim.id not in refused]
    if not forms:
        return PaperRebills()
    return PaperRebills(f"resubmit-{now:%Y%m%d-%H%M%S}-cms1500.pdf", forms)
