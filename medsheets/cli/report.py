"""Terminal reports: problems grouped by claim, one `FILE:SHEET!CELL: CODE message` line each.

Only account numbers, encounter ids and codes are shown: patient names and birth dates stay
out of the terminal (they are in the workbook the user already has open).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import click

from medsheets.model import Problem, Severity

if TYPE_CHECKING:  # remit prints through this module and never checks a workbook
    from medsheets.check import CheckResult

STYLES = {Severity.ERROR: {"fg": "red", "bold": True}, Severity.WARNING: {"fg": "yellow"}}
# The most problems of one code listed on the terminal per workbook (docs/commands.md): a
# sheet typed wrong throughout would otherwise scroll millions of lines past; the rest are
# counted, and `--json` / `--annotate` list every one.
LISTED_PER_CODE = 100


def problem_line(problem: Problem) -> str:
    """The line docs/commands.md shows, with the code coloured on a terminal (plain when piped)."""
    code = click.style(problem.code, **STYLES[problem.severity])  # type: ignore[arg-type]
    return f"{problem.source}: {code} {problem.message}"


def print_restored(names: Sequence[str]) -> None:
    """The files this run wrote back from the ledger, which an interrupted run owed."""
    for name in names:
        click.echo(f"restored {name} from the ledger (an earlier run was interrupted)")


def print_notices(results: Sequence[CheckResult]) -> None:
    """Warnings about the installation (an ICD-10-CM release to download), once each."""
    for notice in dict.fromkeys(n for r in results for n in r.notices):
        click.secho(f"medsheets: warning: {notice}", fg="yellow")


def listed(problems: Iterable[Problem], unlisted: Counter[str]) -> Iterator[Problem]:
    """The problems to print: the first LISTED_PER_CODE of each code; the others are counted
    in `unlisted` by code."""
    seen: Counter[str] = Counter()
    for problem in problems:
        seen[problem.code] += 1
        if seen[problem.code] <= LISTED_PER_CODE:
            yield problem
        else:
            unlisted[problem.code] += 1


def print_unlisted(unlisted: Counter[str], where: str) -> None:
    """One line per code with problems left off the terminal, saying where they all are."""
    for code, count in sorted(unlisted.items()):
        click.echo(f"... and {count:,} more {code} not listed here (the first {LISTED_PER_CODE} "
                   f"of each code are); {where}")


def print_check_report(results: Sequence[CheckResult], codeset_problems: Sequence[Problem]) -> None:
    if codeset_problems:
        click.secho("Code-set workbook", bold=True)
        for problem in codeset_problems:
            click.echo(problem_line(problem))
    for result in results:
        _print_one(result)
    print_notices(results)
    claims = sum(len(r.encounters) for r in results)
    held = sum(len(r.held) for r in results)
    errors = sum(r.errors for r in results) + sum(p.is_error for p in codeset_problems)
    warnings = sum(r.warnings for r in results) + sum(not p.is_error for p in codeset_problems)
    summary = (f"{claims} claims checked: {claims - held} clean, {held} held; "
               f"{errors} errors, {warnings} warnings")
    click.secho(summary, fg="red" if errors else "green", bold=True)


def _print_one(result: CheckResult) -> None:
    by_row: dict[tuple[str | None, int | None], str] = {}
    for encounter in result.encounters:
        for line in encounter.lines:
            by_row[(line.origin.sheet, line.origin.row)] = encounter.encounter_id
    grouped: dict[str | None, list[Problem]] = {}
    for problem in result.problems:
        key = by_row.get((problem.source.sheet, problem.source.row))
        grouped.setdefault(key, []).append(problem)
    if not result.problems:
        click.echo(f"{result.file}: {len(result.encounters)} claims, no problems")
        return
    click.secho(f"{result.file}", bold=True)
    unlisted: Counter[str] = Counter()
    shown = set(map(id, listed(result.problems, unlisted)))
    for problem in grouped.pop(None, []):
        if id(problem) in shown:
            click.echo(problem_line(problem))
    encounters = {e.encounter_id: e for e in result.encounters}
    for encounter_id, problems in grouped.items():
        problems = [p for p in problems if id(p) in shown]
        if not problems:
            continue
        encounter = encounters[encounter_id] if encounter_id else None
        status = "held" if encounter_id in result.held else "will be billed (warnings only)"
        detail = ""
        if encounter is not None:
            first = encounter.first
            parts = (first.patient_id and f"account {first.patient_id}",
                     first.date_of_service and first.date_of_service.isoformat(),
                     first.payer_id or "self-pay")
            detail = f" ({', '.join(part for part in parts if part)})"
        click.secho(f"Claim {encounter_id}{detail}: {status}", bold=True)
        for problem in problems:
            click.echo(problem_line(problem))
    print_unlisted(unlisted, "medsheets check --json or --annotate lists every one")
