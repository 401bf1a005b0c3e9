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
    """The ledger's record of a run's forms: their fields as JSON, the text
    `json.dumps([dataclasses.asdict(form) for form in forms], separators=(",", ":"))` gives.

    Built a field's JSON at a time, each distinct field encoded once: a day's 4,545 forms
    hold 432,000 fields but only 12,000 different ones (the practice, the payer, the
    signatures, the check boxes), and encoding every one took 0.6 s. A field's values are
    str, int and bool, each of its declared type, so fields equal are encoded the same, and
    JSON nested in a list is the same text as on its own (no indent)."""
    encoded: dict[tuple[object, ...], str] = {}

    def field_json(field: Field) -> str:
        values = _FIELD_VALUES(field)
        text = encoded.get(values)
        if text is None:
            text = encoded[values] = _dumps(dict(zip(FIELD_NAMES, values)))
        return text

    content = "[" + ",".join(
        f'{{"encounter_id":{_dumps(form.encounter_id)},"page":{_dumps(form.page)},'
        f'"pages":{_dumps(form.pages)},"fields":[{",".join(map(field_json, form.fields))}]}}'
        for form in forms) + "]"
    return OutputFile(KIND, FOLDER, file_name, content)


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


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
