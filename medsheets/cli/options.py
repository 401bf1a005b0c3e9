"""Options every command shares (SPEC §2: --practice, --db), defined once."""

from __future__ import annotations

from typing import Any, Callable

import click

from medsheets.practice import Practice, open_practice


def practice_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --practice and --db; the command receives `practice: Practice`."""
    command = click.option(
        "--db", "db_url", default=None, metavar="URL",
        help="Ledger database URL (default: sqlite:///PRACTICE/medsheets.db).",
    )(command)
    command = click.option(
        "--practice", "practice_dir", default=None, envvar="MEDSHEETS_PRACTICE",
        type=click.Path(file_okay=False), metavar="DIR",
        help="The practice folder (default: $MEDSHEETS_PRACTICE, else the current directory).",
    )(command)
    return command


def load_practice(practice_dir: str | None, db_url: str | None) -> Practice:
    return open_practice(practice_dir, db_url)


def exit_held_if(held: bool) -> None:
    """End the command with SPEC §4's code: 1 when data was held back, else 0."""
    click.get_current_context().exit(1 if held else 0)
