"""Fixtures shared across the suite: a fresh practice folder made by `medsheets init`."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from clock import EXAMPLE_AS_OF, TODAY

from medsheets.cli import cli


@pytest.fixture(scope="session")
def practice_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "practice"
    result = CliRunner().invoke(cli, ["init", str(folder), "--as-of", EXAMPLE_AS_OF.isoformat()])
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
    """Run the medsheets CLI as a user would; stdout and stderr kept apart.

    A command that works as of a day runs as of the suite's clock (`clock.TODAY`) unless the
    test names its own `--as-of`: no test depends on the day it runs."""

    def run(*args: str):
        words = [str(a) for a in args]
        return CliRunner().invoke(cli, with_suite_day(words), catch_exceptions=False)

    return run


def with_suite_day(words: list[str]) -> list[str]:
    command = cli.get_command(click.Context(cli), words[0]) if words else None
    takes_day = command is not None and any(p.name == "as_of" for p in command.params)
    if takes_day and "--as-of" not in words:
        return [words[0], "--as-of", TODAY.isoformat(), *words[1:]]
    return words


POSTGRES_ADMIN_URL = os.environ.get("MEDSHEETS_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(not POSTGRES_ADMIN_URL,
                                    reason="MEDSHEETS_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database of its own (on the server .ci/run starts), dropped after."""
    if not POSTGRES_ADMIN_URL:
        pytest.skip("MEDSHEETS_TEST_POSTGRES_URL is not set")
    name = f"medsheets_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()
