"""The command registry: every command is found from its name, and `--help` lists them all
without importing any command (nor WeasyPrint, SQLAlchemy or the ICD-10-CM index)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest

from medsheets.cli import COMMANDS, cli


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_registered_command_lives_in_its_module(name: str) -> None:
    module = importlib.import_module(f"medsheets.cli.{COMMANDS[name][0]}")
    assert name in {command.name for command in module.commands}
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.get_short_help_str(100) == COMMANDS[name][1]


def test_every_command_module_is_registered() -> None:
    from pathlib import Path

    folder = Path(importlib.import_module("medsheets.cli").__file__ or "").parent
    for path in folder.glob("*.py"):
        module = importlib.import_module(f"medsheets.cli.{path.stem}")
        for command in getattr(module, "commands", []):
            assert COMMANDS.get(command.name, ("",))[0] == path.stem, command.name


def test_help_lists_every_command_and_imports_none_of_them() -> None:
    code = ("import sys\n"
            "from click.testing import CliRunner\n"
            "from medsheets.cli import cli\n"
            "out = CliRunner().invoke(cli, ['--help']).output\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules\n"
            "                if m.split('.')[0] in ('weasyprint', 'sqlalchemy', 'openpyxl',\n"
            "                                       'simple_icd_10_cm', 'python_calamine')}\n"
            "               | {m for m in sys.modules if m.startswith('medsheets.cli.')})\n"
            "print(heavy)\n"
            "print(out)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, _, listing = done.stdout.partition("\n")
    assert loaded == "[]"
    words = " ".join(listing.split())
    for name, (_, line) in COMMANDS.items():
        assert f" {name} {line}" in words
