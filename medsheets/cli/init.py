"""`medsheets init DIR`: create a practice folder with working example content."""

from __future__ import annotations

import click

commands: list[click.Command] = []
