"""Progress of long work, told to whoever is watching: a bar on a terminal, nothing elsewhere.

The library reports its phases ("Reading day.xlsx", "Checking 100,000 lines") through a
`Progress`; it never prints. The CLI hands in one that draws on the terminal
(medsheets/cli/progress.py) when stderr is one, and `NO_PROGRESS` everywhere else (CI, cron,
`--json`, tests), so captured output never carries a progress bar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

Advance = Callable[[int], None]  # "this many more done"
T = TypeVar("T")
EVERY = 2000  # items between two reports: often enough to move a bar, rare enough to cost nothing


class Progress(Protocol):
    def phase(self, label: str, total: int | None = None) -> contextlib.AbstractContextManager[Advance]:
        """A stretch of work named `label`, of `total` steps when known (None: a spinner)."""
        ...


class _Silent:
    @contextlib.contextmanager
    def phase(self, label: str, total: int | None = None) -> Iterator[Advance]:
        yield _ignore


def _ignore(done: int) -> None:
    return None


NO_PROGRESS: Progress = _Silent()


def counted(items: Iterable[T], advance: Advance, every: int = EVERY) -> Iterator[T]:
    """`items` unchanged, telling `advance` every `every` items and the rest at the end (for a
    stream whose length is not known in advance: the Detail lines of the aging workbook)."""
    done = 0
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            advance(every)
    advance(done % every)
