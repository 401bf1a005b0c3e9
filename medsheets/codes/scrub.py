"""The claim scrubber: every edit over a day's lines, in one call (what `medsheets check` runs).

Stages, each pure: prepare each line (known demographics, default place of service, price from
the fee schedule), run the line edits, group the lines into encounters and run the claim edits,
then the same-day edits (NCCI pairs, duplicate lines). Every problem is kept, in row order;
a problem that is an error holds back its whole encounter (`held_encounter_ids`), never the
rest of the day.

Work that depends only on a code (its ICD-10-CM status, its shape, the NCCI pairs it starts)
is done once per distinct code, so 100,000 lines cost little more than reading them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from types import MappingProxyType

from medsheets.codes.edits import ClaimEdit, EditContext, LineEdit
from medsheets.codes.edits_claim import check_agreement, check_claim_size, check_encounter_id
from medsheets.codes.edits_diagnoses import (
    DIAGNOSIS_FIT_SIEVE,
    check_diagnoses,
    check_diagnosis_fit,
)
from medsheets.codes.edits_dxtext import check_dx_text
from medsheets.codes.edits_fields import (
    CODE_FORMATS_SIEVE,
    check_code_formats,
    check_dates,
    check_person_formats,
    check_required,
)
from medsheets.codes.edits_global import check_same_day_visits
from medsheets.codes.edits_history import BilledBefore, check_billed_before
from medsheets.codes.edits_lengths import check_field_lengths
from medsheets.codes.edits_payer import PAYER_SIEVE, check_insured, check_payer
from medsheets.codes.edits_procedures import (
    CHARGE_SIEVE,
    MODIFIERS_SIEVE,
    PROCEDURE_SIEVE,
    check_charge,
    check_modifiers,
    check_procedure,
    check_procedure_fit,
    check_units,
)
from medsheets.codes.edits_providers import RENDERING_SIEVE, check_rendering_provider
from medsheets.codes.edits_sameday import (
    check_duplicates,
    check_ncci,
    index_ncci,
    lines_by_patient_day,
)
from medsheets.codes.edits_secondary import check_secondary, check_tertiary
from medsheets.codes.edits_tabular import check_code_first, check_excludes1, check_use_additional
from medsheets.codes.edits_x12 import CLAIM_TEXT_SIEVE, check_claim_text
from medsheets.codes.prepare import prepare_line
from medsheets.codes.releases import SHIPPED_ONLY, Releases
from medsheets.codes.sieve import Sieve
from medsheets.collector import collector_paused
from medsheets.model import CodeSets, Encounter, PatientProfile, Problem, ServiceLine
from medsheets.progress import Advance

LINE_EDITS: tuple[LineEdit, ...] = (
    check_required, check_field_lengths, check_person_formats, check_code_formats, check_dates,
    check_diagnoses, check_diagnosis_fit, check_dx_text,
    check_procedure, check_modifiers, check_units, check_charge, check_procedure_fit,
    check_payer, check_insured, check_claim_text, check_rendering_provider, check_secondary,
    check_tertiary,
)
# The line edits that look only at the lines their sieve flags (each distinct value judged once).
SIEVES: Mapping[LineEdit, Sieve] = MappingProxyType({
    check_diagnosis_fit: DIAGNOSIS_FIT_SIEVE, check_code_formats: CODE_FORMATS_SIEVE,
    check_claim_text: CLAIM_TEXT_SIEVE, check_procedure: PROCEDURE_SIEVE,
    check_modifiers: MODIFIERS_SIEVE, check_charge: CHARGE_SIEVE,
    check_payer: PAYER_SIEVE, check_rendering_provider: RENDERING_SIEVE,
})
CLAIM_EDITS: tuple[ClaimEdit, ...] = (
    check_encounter_id, check_claim_size, check_agreement,
    check_excludes1, check_code_first, check_use_additional,
)

NO_PROFILES: Mapping[str, PatientProfile] = MappingProxyType({})


@dataclass(frozen=True)
class ScrubResult:
    """The day's lines as they will be billed, grouped into encounters, and every problem.

    lines: priced (charge defaulted to fee × units, place_of_service defaulted), input order.
    encounters: lines grouped by encounter_id in first-seen order (lines without one left out).
    problems: every problem the edits found, in row order.
    """

    lines: tuple[ServiceLine, ...]
    encounters: tuple[Encounter, ...]
    problems: tuple[Problem, ...]


def _no_progress(done: int) -> None:
    return None


def _share(lines: int, edits_done: int) -> int:
    """The lines counted as checked once `edits_done` of the line edits have gone over them."""
    return lines * edits_done // len(LINE_EDITS)


def scrub(
    lines: Iterable[ServiceLine],
    codesets: CodeSets,
    *,
    as_of: dt.date,
    default_place_of_service: str,
    profiles: Mapping[str, PatientProfile] = NO_PROFILES,
    read_problems: Iterable[Problem] = (),
    default_rendering_npi: str | None = None,
    billed_before: BilledBefore | None = None,
    advance: Advance = _no_progress,
    releases: Releases = SHIPPED_ONLY,
) -> ScrubResult:
    """Run every edit over `lines`.

    `profiles` (patient_id -> what the ledger remembers of the patient) fills blank
    demographics, contact, member ID and guarantor before they are required. `read_problems`
    are the reader's problems for these lines: a cell it could not read arrives blank, and is
    not reported a second time as blank. `billed_before` looks up the lines the ledger already
    billed for these patients and days (None: the lines are judged on their own, as
    `medsheets check` without a ledger does). `advance` is told of the lines checked as each
    line edit has gone over them (a progress bar on a terminal). `releases`: the ICD-10-CM
    releases by fiscal year (default: the shipped one for every date).
    """
    ctx = EditContext(codesets, as_of, releases)
    with collector_paused():
        priced = tuple(prepare_line(line, codesets, default_place_of_service, profiles,
                                    default_rendering_npi)
                       for line in lines)
        problems: list[Problem] = []
        for done, edit in enumerate(LINE_EDITS, start=1):
            # One edit over every line (or, with a sieve, every line it flags), the calls made
            # by `map` (no Python loop per line and edit); most lines pass most edits, and
            # `filter` drops their empty results. The problems of one cell stay in the edits'
            # order: `in_row_order` sorts stably.
            sieve = SIEVES.get(edit)
            looked_at = priced if sieve is None else sieve.suspects(priced, edit, ctx)
            problems.extend(chain.from_iterable(filter(None, map(edit, looked_at, repeat(ctx)))))
            advance(_share(len(priced), done) - _share(len(priced), done - 1))
        encounters = group_encounters(priced)
        for claim_edit in CLAIM_EDITS:  # likewise, each over every encounter
            problems.extend(chain.from_iterable(map(claim_edit, encounters)))
        days = lines_by_patient_day(priced)
        problems.extend(check_ncci(days, index_ncci(codesets.edits)))
        problems.extend(check_same_day_visits(days, codesets.procedures))
        problems.extend(check_duplicates(days))
        problems.extend(check_billed_before(days, billed_before))
        kept = without_unreadable_blanks(problems, read_problems)
        return ScrubResult(priced, encounters, in_row_order(kept, priced))


def group_encounters(lines: Iterable[ServiceLine]) -> tuple[Encounter, ...]:
    """Lines by encounter_id, encounters in first-seen order, lines in row order."""
    groups: dict[str, list[ServiceLine]] = {}
    for line in lines:
        if line.encounter_id is not None:
            groups.setdefault(line.encounter_id, []).append(line)
    return tuple(Encounter(encounter_id, tuple(group)) for encounter_id, group in groups.items())


def without_unreadable_blanks(
    problems: Iterable[Problem], read_problems: Iterable[Problem]
) -> list[Problem]:
    """Drop "is blank" problems on cells the reader already reported as unreadable."""
    unreadable = {_cell_key(p) for p in read_problems if p.is_error}
    if not unreadable:
        return list(problems)
    return [p for p in problems if p.code != "MS-REQUIRED" or _cell_key(p) not in unreadable]


def _cell_key(problem: Problem) -> tuple[str, str | None, int | None, str | None]:
    source = problem.source
    return (source.file, source.sheet, source.row, source.column)


def in_row_order(problems: list[Problem], lines: Sequence[ServiceLine]) -> tuple[Problem, ...]:
    """Problems sorted by their line's position, then by column (A, B, ..., Z, AA); stable."""
    position: dict[tuple[str, int | None], int] = {
        (line.origin.file, line.origin.row): i for i, line in enumerate(lines)}
    last = len(lines)

    def key(problem: Problem) -> tuple[int, int, str]:
        source = problem.source
        column = source.column or ""
        return (position.get((source.file, source.row), last), len(column), column)

    return tuple(sorted(problems, key=key))


def held_encounter_ids(result: ScrubResult) -> set[str]:
    """Encounters with an error on any of their lines: held back; the rest can be billed."""
    encounter_of: dict[tuple[str, int | None], str | None] = {
        (line.origin.file, line.origin.row): line.encounter_id for line in result.lines}
    held: set[str] = set()
    for problem in result.problems:
        if problem.is_error:
            encounter_id = encounter_of.get((problem.source.file, problem.source.row))
            if encounter_id is not None:
                held.add(encounter_id)
    return held
