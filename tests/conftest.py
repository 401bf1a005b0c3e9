"""Fixtures shared across the suite: a fresh practice folder made by `medsheets init`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from medsheets.cli import cli


@pytest.fixture(scope="session")
def practice_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "practice"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def practice_dir(practice_template: Path, tmp_path: Path) -> Path:
    """A private copy of a freshly initialised example practice."""
    target = tmp_path / "practice"
    shutil.copytree(practice_template, target)
    return target


@pytest.fixture
def invoke():
    """Run the medsheets CLI as a user would; stdout and stderr kept apart."""

    def run(*args: str):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return run
