"""The terminal's progress display (rich), on stderr, only when stderr is a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from medsheets.progress import NO_PROGRESS, Advance, Progress


class TerminalProgress:
    """Each phase as a transient rich progress bar; while the total is unknown, a spinner and
    the count done so far (once something was counted)."""

    @contextlib.contextmanager
    def phase(self, label: str, total: int | None = None) -> Iterator[Advance]:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichProgress

        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn()] if total else \
                  [SpinnerColumn(), TextColumn("{task.description}"), _count_column(),
                   TimeElapsedColumn()]
        with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda done: bar.advance(task, done)


def _count_column() -> Any:
    """A column showing how many were done (`12,000`), blank while nothing was counted."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class CountColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{int(task.completed):,}" if task.completed else "")

    return CountColumn()


def terminal_progress() -> Progress:
    """A TerminalProgress when stderr is a terminal, else NO_PROGRESS."""
    return TerminalProgress() if sys.stderr.isatty() else NO_PROGRESS
