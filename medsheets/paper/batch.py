"""A run's paper claims: the forms of every claim to a `paper` payer, kept and written once.

`claims` calls `paper_forms` inside its ledger transaction (a claim whose data no form can
carry is refused with its cell, the others go on), records the forms as JSON with the run
(`paper_output`, kept as `PAPER` through medsheets/command.py), and after the commit
`write_paper_files` renders them: one PDF per run on plain paper (the form drawn) and one for
the red pre-printed form (data only, after an alignment page), both atomically and
owner-only. A run killed in between leaves the record, and the next run renders what is
missing (`session.restore(PAPER)`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from operator import attrgetter
from pathlib import Path

from medsheets.command import Kept, Run
from medsheets.config import Config
from medsheets.files import write_atomic
from medsheets.ledger.outputs import OutputFile
from medsheets.model import Encounter, Payer, Problem, error
from medsheets.paper.form import ClaimForm, claim_forms
from medsheets.paper.grid import Field
from medsheets.x12.errors import ClaimInputError

KIND, FOLDER = "cms1500", "claims"
PREPRINTED_SUFFIX = "-red.pdf"  # the data-only variant beside the plain-paper PDF
FIELD_NAMES = tuple(field.name for field in dataclasses.fields(Field))
_FIELD_VALUES = attrgetter(*FIELD_NAMES)


def is_paper(encounter: Encounter, payers: Mapping[str, Payer]) -> bool:
    payer = payers.get(encounter.first.payer_id or "")
    return payer is not None and payer.on_paper


def paper_forms(encounters: Sequence[Encounter], payers: Mapping[str, Payer], config: Config,
                refused: list[Problem]) -> tuple[list[ClaimForm], list[Encounter]]:
    """The forms of `encounters` and those that got forms; the others refused with their cell."""
    forms: list[ClaimForm] = []
    printed: list[Encounter] = []
    for encounter in encounters:
        try:
            forms += claim_forms(encounter, payers[encounter.first.payer_id or ""], config, payers)
        except ClaimInputError as exc:
            refused.append(error(encounter.first.origin.at("encounter_id"), "MS-CLAIM-INPUT", str(exc)))
            continue
        printed.append(encounter)
    return forms, printed


def paper_output(file_name: str, forms: Sequence[ClaimForm]) -> OutputFile:
    """The ledger's record of a run's forms: their fields as JSON."""
    content = json.dumps([_form_record(form) for form in forms], separators=(",", ":"))
    return OutputFile(KIND, FOLDER, file_name, content)


def _form_record(form: ClaimForm) -> dict[str, object]:
    """The dict `dataclasses.asdict(form)` gives, keys in the same order, built directly:
    every value is a str, int or bool, which asdict's deep copy returns as it is, and that
    copy of each of a form's hundred fields took 3 s of a 4,545-form run."""
    return {"encounter_id": form.encounter_id, "page": form.page, "pages": form.pages,
            "fields": [dict(zip(FIELD_NAMES, _FIELD_VALUES(field))) for field in form.fields]}


def forms_from_json(content: str) -> list[ClaimForm]:
    return [ClaimForm(item["encounter_id"], item["page"], item["pages"],
                      tuple(Field(**field) for field in item["fields"]))
            for item in json.loads(content)]


def paper_files(claims_dir: Path, file_name: str) -> list[Path]:
    """The two PDFs of a run's forms: plain paper, then the red pre-printed form's."""
    return [claims_dir / file_name, claims_dir / (file_name[:-4] + PREPRINTED_SUFFIX)]


def write_paper_files(claims_dir: Path, file_name: str, forms: Sequence[ClaimForm]) -> list[Path]:
    """Both PDFs of a run's forms; the plain-paper one last, since its presence means done."""
    from medsheets.paper.render import render_forms  # pydyf: only for a run with paper claims

    plain, red = paper_files(claims_dir, file_name)
    write_atomic(red, render_forms(forms, drawn=False))
    return [write_atomic(plain, render_forms(forms, drawn=True)), red]


def keep_forms(run: Run, file_name: str, forms: Sequence[ClaimForm]) -> None:
    """Keep a run's forms with it (`paper_output`); both PDFs are written after the commit,
    from the forms themselves (a restore reads them back from what was kept)."""
    run.keep(PAPER, file_name, paper_output(file_name, forms).content,
             write_now=lambda path: write_paper_files(path.parent, path.name, forms))


def write_kept_forms(path: Path, content: str) -> list[Path]:
    """Both PDFs from the forms a run kept (`paper_output`): after its commit, or restored."""
    return write_paper_files(path.parent, path.name, forms_from_json(content))


PAPER = Kept(KIND, FOLDER, write_kept_forms)
