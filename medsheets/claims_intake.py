"""Which of the day's encounters `medsheets claims` may bill, before the ledger is written.

Two things the single-workbook check cannot see: a workbook read after another may rely on
the patients the earlier one introduced (day 2 of a first run leaves blank what day 1 said),
and the same visit may be typed in two of the day's workbooks under two encounter ids, which
the ledger cannot know of yet (the duplicate against earlier days is MS-DUPLICATE-BILLED in
`medsheets.codes.edits_history`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from medsheets.benefits.run import coverage_answers
from medsheets.check import CheckResult, check_workbook
from medsheets.codes.edits_history import billed_again
from medsheets.codes.prepare import merge_profile, visit_profiles
from medsheets.ledger import Transaction
from medsheets.model import Encounter, Problem
from medsheets.practice import Practice
from medsheets.practice_files import LoadedCodeSets
from medsheets.progress import NO_PROGRESS, Progress

LineKey = tuple[object, ...]  # patient, date of service, code, modifiers: what makes a repeat


def check_in_order(tx: Transaction, paths: Sequence[Path], practice: Practice,
                   codesets: LoadedCodeSets, as_of: dt.date,
                   progress: Progress = NO_PROGRESS) -> list[CheckResult]:
    """Check the workbooks in the order given, each seeing the patients of those before it as
    the ledger will once they are billed."""
    profiles = tx.patient_profiles()
    coverage = coverage_answers(tx, as_of=as_of)
    checks = []
    for number, path in enumerate(paths, start=1):
        check = check_workbook(path, practice, as_of=as_of, codesets=codesets, profiles=profiles,
                               billed_before=tx.billed_lines, coverage=coverage, progress=progress)
        checks.append(check)
        if number == len(paths):
            break  # no workbook after the last to see its patients
        seen = visit_profiles(e.first for e in check.clean_encounters)
        profiles = {**profiles, **{pid: merge_profile(profiles.get(pid), p) for pid, p in seen.items()}}
    return checks


def repeated_line(encounter: Encounter, lines_seen: dict[LineKey, str]) -> Problem | None:
    """The problem if a line of `encounter` repeats one of another new encounter of this run
    (`lines_seen`, this run's lines so far -> their encounter id); else None, and its lines
    are remembered in `lines_seen`."""
    keys = [(line.patient_id, line.date_of_service, line.procedure_code, frozenset(line.modifiers))
            for line in encounter.lines]
    for line, key in zip(encounter.lines, keys):
        other = lines_seen.get(key)
        if other is not None and other != encounter.encounter_id:
            return billed_again(line, other)
    for key in keys:
        lines_seen.setdefault(key, encounter.encounter_id)
    return None
