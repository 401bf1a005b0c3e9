"""`medsheets check WB`: the claim scrubber's report, as text, JSON, or an annotated copy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from medsheets.check import CheckResult, check_workbook, ledger_history
from medsheets.collector import collector_paused
from medsheets.cli.options import as_of_option, exit_held_if, load_practice, practice_options
from medsheets.cli.progress import terminal_progress
from medsheets.cli.report import print_check_report
from medsheets.practice_files import load_codesets
from medsheets.progress import NO_PROGRESS


@click.command("check")
@click.argument("workbooks", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("--annotate", "annotate_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a copy of the workbook with problem cells highlighted and commented.")
@as_of_option("Check as if today were this date (timely filing, future dates).")
@practice_options
def check_command(workbooks: tuple[Path, ...], as_json: bool, annotate_to: Path | None,
                  as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Check encounter workbooks' codes and data before anything leaves the office.

    Exit code 0: clean (warnings allowed); 1: errors, those claims would be held; 2: cannot run.
    """
    if annotate_to and len(workbooks) != 1:
        raise click.UsageError("--annotate takes one workbook at a time")
    practice = load_practice(practice_dir, db_url)
    codesets = load_codesets(practice)
    # The cycle collector stays paused until the report is out: resumed earlier, its first
    # passes walk every record of the day just built (none of them cyclic), seconds for 100,000 lines.
    with collector_paused(), ledger_history(practice, as_of=as_of) as on_file:
        results: list[CheckResult] = [
            check_workbook(path, practice, as_of=as_of, codesets=codesets,
                           profiles=on_file.profiles, billed_before=on_file.billed_before,
                           coverage=on_file.coverage,
                           progress=NO_PROGRESS if as_json else terminal_progress())
            for path in workbooks
        ]
        if as_json:
            problems = [*codesets.problems, *(p for r in results for p in r.problems)]
            click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
        else:
            print_check_report(results, codesets.problems)
    if annotate_to:
        from medsheets.codes.daycodes import day_codes
        from medsheets.workbook.annotate import annotate_workbook  # openpyxl: only when asked

        codes = day_codes(results[0].encounters, codesets.codesets.procedures)
        annotate_workbook(workbooks[0], annotate_to, results[0].problems, codes)
        if not as_json:
            click.echo(f"Annotated copy written to {annotate_to}")
    has_errors = any(p.is_error for p in codesets.problems) or any(r.errors for r in results)
    exit_held_if(has_errors)


commands: list[click.Command] = [check_command]
