"""Walking a transaction's segments loop by loop, collecting claims with their lines.

The 837 reader and the 277CA reader both stream segments past a small state object that calls
`_<segment id>` for each segment it knows and closes a claim (with the lines gathered so far)
when the next claim or hierarchical level starts. This is that shared part.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Generic, TypeVar

from medsheets.x12.grammar.read import Located
from medsheets.x12.tree import Segment

C = TypeVar("C")  # the claim record: a frozen dataclass with a `lines` field
L = TypeVar("L")  # the line record


class ClaimWalk(Generic[C, L]):
    """Loop state: finished claims, the claim being read and its lines; dispatch by segment id."""

    def __init__(self) -> None:
        self.claims: list[C] = []
        self.claim: C | None = None
        self.lines: list[L] = []

    def close_claim(self) -> None:
        if self.claim is not None:
            claim: Any = self.claim
            self.claims.append(replace(claim, lines=tuple(self.lines)))
        self.claim, self.lines = None, []

    def segment(self, seg: Segment | Located) -> None:
        """Hand `seg` (a segment, or one located in its loop by the grammar) to `_<id>`."""
        handler = getattr(self, f"_{seg.id.lower()}", None)
        if handler is not None:
            handler(seg)
