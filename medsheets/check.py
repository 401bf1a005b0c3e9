"""The `check` stage: read an encounter workbook, run every edit, say which claims are held.

This is the claim scrubber as a library call; `medsheets check` prints it, `medsheets claims`
bills what it lets through. Nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Mapping

from medsheets.codes.edits_coverage import Answers, coverage_problems
from medsheets.codes.edits_history import BilledBefore
from medsheets.codes.prepare import LineDefaults
from medsheets.codes.releases import Releases, release_gaps, releases_for
from medsheets.codes.scrub import ScrubResult, held_encounter_ids, scrub
from medsheets.collector import collector_paused
from medsheets.model import Encounter, PatientProfile, Problem, ServiceLine, Severity
from medsheets.practice import Practice
from medsheets.practice_files import LoadedCodeSets, load_codesets
from medsheets.progress import NO_PROGRESS, Advance, Progress
from medsheets.workbook.encounters import EncounterWorkbook, read_encounter_workbook
from medsheets.workbook.headers import in_users_words


@dataclass(frozen=True)
class CheckResult:
    """One workbook checked: its encounters, every problem (row order), the held encounter ids."""

    file: str
    encounters: tuple[Encounter, ...]
    problems: tuple[Problem, ...]
    held: frozenset[str]
    unreadable: bool = False  # the sheet itself could not be read (e.g. no header row)
    notices: tuple[str, ...] = ()  # about the installation, e.g. an ICD-10-CM release missing

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def clean_encounters(self) -> tuple[Encounter, ...]:
        return tuple(e for e in self.encounters if e.encounter_id not in self.held)


def check_workbook(
    path: Path,
    practice: Practice,
    *,
    as_of: dt.date,
    codesets: LoadedCodeSets | None = None,
    profiles: Mapping[str, PatientProfile] | None = None,
    billed_before: BilledBefore | None = None,
    coverage: Answers | None = None,
    progress: Progress = NO_PROGRESS,
) -> CheckResult:
    """Read and scrub one encounter workbook against the practice's code sets; `profiles`
    (from the ledger) fill what a returning patient's rows leave blank, `billed_before` finds
    the lines the ledger already billed (see `medsheets.codes.edits_history`), and `coverage`
    (the payers' eligibility answers in the ledger) warns of a date the patient was not covered."""
    with collector_paused():  # the whole check builds records, none of them cyclic
        loaded = codesets or load_codesets(practice)
        defaults = LineDefaults(loaded.codesets, practice.config.practice.default_place_of_service,
                                practice.config.practice.default_rendering_npi or None)
        with progress.phase(f"Reading {path.name}"):  # the lines built once, priced
            book = read_encounter_workbook(path, practice.config.columns,
                                           fill_blanks=defaults.fill_columns)
        releases = releases_for(practice.root, practice.config.codes.icd10cm_order_file)
        with progress.phase(f"Checking {path.name}", total=len(book.lines)) as advance:
            result = _scrub(book, loaded, practice, as_of, profiles, billed_before, advance,
                            releases)
        found = in_users_words([*result.problems, *coverage_problems(result.encounters, coverage or {})],
                               book.headers)  # "Svc Dt (date_of_service)", as the sheet says
        problems = sorted(
            [*book.problems, *found],
            key=lambda p: (p.source.sheet or "", p.source.row or 0, _column_order(p.source.column)),
        )
        held = set(held_encounter_ids(result))
        held |= _held_by_reader(book.problems, result.encounters)
        unreadable = any(p.source.row is None and p.is_error for p in book.problems)
        if unreadable:
            held |= {e.encounter_id for e in result.encounters}
        notices = tuple(release_gaps((line.date_of_service for line in result.lines), releases))
        return CheckResult(book.file, result.encounters, tuple(problems), frozenset(held),
                           unreadable, notices)


@dataclass(frozen=True)
class OnFile:
    """What the ledger knows that a check uses: the returning patients' profiles, the lines
    billed before (a look-up), the payers' latest eligibility answers."""

    profiles: Mapping[str, PatientProfile]
    billed_before: BilledBefore | None
    coverage: Answers


NOTHING_ON_FILE = OnFile({}, None, {})


@contextmanager
def ledger_history(practice: Practice, *, as_of: dt.date) -> Iterator[OnFile]:
    """What the practice's ledger has on file, for a check that bills nothing (one read
    transaction); nothing (and no new ledger file) when the practice has not billed yet.

    The ledger is read without SQLAlchemy when it can be (the folder's own SQLite ledger at
    this medsheets' schema: `medsheets.ledger.plain`), and opened as every command opens it
    otherwise (to migrate, refuse or read it): a returning practice's small check starts in a
    fraction of the time that importing SQLAlchemy and the 271 reader took."""
    if not _has_ledger(practice):
        yield NOTHING_ON_FILE
        return
    if practice.ledger_file is not None:
        from medsheets.benefits.terms import answers_of
        from medsheets.ledger.plain.read import open_reading

        plain = open_reading(practice.ledger_file)
        if plain is not None:
            with plain:
                yield OnFile(plain.patient_profiles(), plain.billed_lines,
                             answers_of(plain.latest_benefits(as_of=as_of)))
            return
    from medsheets.benefits.run import coverage_answers
    from medsheets.ledger import Ledger

    ledger = Ledger.open(practice.db_url)
    try:
        with ledger.reading() as tx:
            yield OnFile(tx.patient_profiles(), tx.billed_lines, coverage_answers(tx, as_of=as_of))
    finally:
        ledger.close()


def _has_ledger(practice: Practice) -> bool:
    """False when the ledger's file does not exist yet (a server database always exists)."""
    path = practice.ledger_file
    if path is None:
        from medsheets.ledger.store import sqlite_path  # a URL given: the ledger reads it

        path = sqlite_path(practice.db_url)
    return path is None or path.exists()


def _held_by_reader(problems: list[Problem], encounters: tuple[Encounter, ...]) -> set[str]:
    """Encounters with a line whose cell the reader could not read (a blank would be a guess)."""
    bad_rows = {(p.source.sheet, p.source.row) for p in problems if p.is_error and p.source.row}
    return {
        e.encounter_id
        for e in encounters
        for line in e.lines
        if (line.origin.sheet, line.origin.row) in bad_rows
    }


def _handed_over(lines: list[ServiceLine]) -> Iterator[ServiceLine]:
    """The workbook's lines, each let go as the scrubber takes it: it keeps its priced copy,
    so a big day is not held twice (100,000 lines: some 25 MB)."""
    lines.reverse()
    while lines:
        yield lines.pop()


def _column_order(letters: str | None) -> tuple[int, str]:
    return (len(letters or ""), letters or "")


def _scrub(book: EncounterWorkbook, loaded: LoadedCodeSets, practice: Practice, as_of: dt.date,
           profiles: Mapping[str, PatientProfile] | None, billed_before: BilledBefore | None,
           advance: Advance, releases: Releases) -> ScrubResult:
    return scrub(
        _handed_over(book.lines),
        loaded.codesets,
        as_of=as_of,
        default_place_of_service=practice.config.practice.default_place_of_service,
        default_rendering_npi=practice.config.practice.default_rendering_npi or None,
        profiles=profiles or {},
        billed_before=billed_before,
        read_problems=book.problems,
        advance=advance,
        releases=releases,
    )
