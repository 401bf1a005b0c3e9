"""`medsheets verify`: the ledger's rules, each said to hold or shown broken (exit 0 or 1)."""

from __future__ import annotations

import click

from medsheets.cli.options import exit_held_if, load_practice, practice_options
from medsheets.verify import verify_practice


@click.command("verify")
@practice_options
def verify_command(practice_dir: str | None, db_url: str | None) -> None:
    """Check every entry of the ledger against its rules.

    Prints each rule that holds, or each breach with the entry it is about (by id; never a
    patient's name). Exit code 0 when every rule holds, 1 when any is broken.
    """
    result = verify_practice(load_practice(practice_dir, db_url))
    for words, breaches in result.rules:
        if not breaches:
            click.echo(f"holds: {words}")
            continue
        click.secho(f"broken: {words} ({len(breaches)})", fg="red", bold=True)
        for breach in breaches:
            click.echo(f"  {breach.about}: {breach.detail}")
    click.secho("the ledger keeps every rule" if result.holds else "the ledger breaks a rule",
                fg="green" if result.holds else "red", bold=True)
    exit_held_if(not result.holds)


commands: list[click.Command] = [verify_command]
