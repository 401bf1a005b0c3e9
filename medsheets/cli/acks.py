"""`medsheets acks FILE…`: record the 999, 277CA and 277 answers in the ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from medsheets.acks import AckResult, read_acknowledgments
from medsheets.cli.options import as_of_option, exit_held_if, load_practice, practice_options
from medsheets.cli.report import problem_line


@click.command("acks")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@as_of_option("The day the answers are recorded for, when a file carries no date (default: today).")
@practice_options
def acks_command(files: tuple[Path, ...], as_of: dt.date, practice_dir: str | None, db_url: str | None) -> None:
    """Mark claims accepted or rejected from 999 and 277CA acknowledgment files; record the
    payer's status of each claim from 277 claim-status responses (answers to 'followup').

    Rejected claims are listed with their reasons (the denial worklist shows them too). Reading
    a file again changes nothing. Exit code 1 when a file names a batch or claim medsheets
    never sent.
    """
    practice = load_practice(practice_dir, db_url)
    result = read_acknowledgments(practice, list(files), as_of=as_of)
    print_ack_report(result)
    exit_held_if(result.has_errors)


def print_ack_report(result: AckResult) -> None:
    for problem in result.problems:
        click.echo(problem_line(problem))
    for outcome in result.of("rejected"):
        kept = " (already adjudicated: status kept)" if outcome.status_kept else ""
        click.echo(f"{outcome.file}: claim {outcome.encounter_id} "
                   + click.style("rejected", fg="red", bold=True)
                   + f" {outcome.reason_codes}{kept}: {outcome.explanation}")
    statuses = [o for o in result.outcomes if o.source == "277" and o.new]
    for outcome in statuses:
        click.echo(f"{outcome.file}: claim {outcome.encounter_id} payer status "
                   f"{outcome.event.replace('_', ' ')} {outcome.reason_codes}: {outcome.explanation}")
    accepted = result.of("accepted")
    if accepted:
        click.echo(f"accepted: {len(accepted)} claims")
    rejected = result.of("rejected")
    if rejected:
        click.echo(f"rejected: {len(rejected)} claims; correct them first (medsheets denials)")
    if result.accepted_sets:
        click.echo(f"999: {result.accepted_sets} transaction sets accepted as well formed")
    repeated = [o for o in result.outcomes if not o.new]
    if repeated:
        click.echo(f"already recorded: {len(repeated)} claim answers (nothing recorded twice)")
    for name in result.already_read:
        click.echo(f"{name}: already read (nothing changed)")
    if not (accepted or rejected or statuses or result.accepted_sets or repeated
            or result.already_read):
        click.echo("nothing to record")


commands: list[click.Command] = [acks_command]
