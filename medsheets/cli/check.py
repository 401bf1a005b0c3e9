"""`medsheets check WB`: the claim scrubber's report."""

from __future__ import annotations

import click

commands: list[click.Command] = []
