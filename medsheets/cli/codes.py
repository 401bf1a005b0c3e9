"""`medsheets codes search WORDS…` and `medsheets codes show CODE`: coding help at the desk.

Search turns a provider's words into ICD-10-CM codes (or, with --procedures, rows of the
practice's fee schedule); show prints a code's tabular entry in plain words. Both print a
table for people and `--json` for scripts.
"""

from __future__ import annotations

import json

import click

from medsheets.cli.options import load_practice, practice_options
from medsheets.codes.releases import SHIPPED_ONLY, Releases
from medsheets.codes.search import DEFAULT_LIMIT, Found, search_diagnoses, search_procedures
from medsheets.codes.show import describe, show_lines


@click.group("codes")
def codes_group() -> None:
    """Find ICD-10-CM codes for a provider's words; read a code's tabular notes."""


@codes_group.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--procedures", is_flag=True,
              help="Search the practice's Procedures sheet (codesets.xlsx) instead.")
@click.option("--limit", default=DEFAULT_LIMIT, show_default=True, type=click.IntRange(1),
              help="At most this many codes.")
@click.option("--json", "as_json", is_flag=True, help="Print the codes as a JSON list.")
@practice_options
def search_command(words: tuple[str, ...], procedures: bool, limit: int, as_json: bool,
                   practice_dir: str | None, db_url: str | None) -> None:
    """Codes whose descriptions hold every word, in any order (htn, dm2, copd, uti ... too).

    Billable codes come first, each with its path up the tree. Exit 1 when nothing matches.
    """
    if procedures:
        from medsheets.practice_files import load_codesets

        loaded = load_codesets(load_practice(practice_dir, db_url))
        found = search_procedures(words, loaded.codesets.procedures, limit)
    else:
        found = search_diagnoses(words, limit)
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in found], indent=2, ensure_ascii=False))
    elif found:
        _print_table(found, procedures)
    else:
        where = "the Procedures sheet" if procedures else "ICD-10-CM"
        click.echo(f"No code in {where} holds every word of: {' '.join(words)}")
    click.get_current_context().exit(0 if found else 1)


def _print_table(found: list[Found], procedures: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    table.add_column("Code", no_wrap=True, style="bold")
    if not procedures:
        table.add_column("Billable", no_wrap=True)
    table.add_column("Description")
    if not procedures:
        table.add_column("Under")
    for item in found:
        if procedures:
            table.add_row(item.code, item.description)
            continue
        under = " › ".join(name for name, _ in item.path[1:])
        table.add_row(item.code, "yes" if item.billable else "no (header)", item.description,
                      under)
    Console().print(table)


@codes_group.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as a JSON object.")
@practice_options
def show_command(code: str, as_json: bool, practice_dir: str | None, db_url: str | None) -> None:
    """A code's tabular entry: billable or not (and the codes beneath), Excludes1, Excludes2,
    code first, use additional code, 7th characters, the fiscal years it is valid in.

    Exit 1 when the code is not in ICD-10-CM.
    """
    described = describe(code, _releases(practice_dir, db_url))
    if as_json:
        click.echo(json.dumps(described, indent=2, ensure_ascii=False))
    else:
        for text in show_lines(described):
            click.echo(text)
    click.get_current_context().exit(0 if described.get("found") else 1)


def _releases(practice_dir: str | None, db_url: str | None) -> Releases:
    """The practice's releases (its [codes] order file) when run in or for a practice folder."""
    from medsheets.codes.releases import releases_for
    from medsheets.errors import PracticeError

    try:
        practice = load_practice(practice_dir, db_url)
        order_file = practice.config.codes.icd10cm_order_file
    except PracticeError:
        if practice_dir:
            raise
        return SHIPPED_ONLY  # not in a practice folder: the shipped release alone
    return releases_for(practice.root, order_file)


commands: list[click.Command] = [codes_group]
