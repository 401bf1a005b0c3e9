"""Which lines a line edit needs to look at: a sieve judges each distinct value once.

A day's lines share their values: 100,000 lines hold a few hundred procedure codes, NPIs,
places of service and names, and a subscriber's `Person` is one object shared by the lines
of the same insured. An edit that only asks whether a value is well formed would find the
same answer 100,000 times. A `Sieve` states, for one edit, tests of a line's values such that a
line whose values all pass is a line the edit finds nothing on. `scrub` takes each column of
values in C (`map`), judges each distinct value once, and runs the edit itself only on the
lines holding a value that failed: the edit stays the one place a problem's words and cell
come from, and its problems come in the same order as if it had gone over every line.

An edit that asks the code sets about a few of a line's values (is the code in the fee
schedule on that date, its units within the code's limit) is sieved by those values instead
(`alike`): lines equal in them are judged alike, so the edit judges one line of each distinct
combination, and then every line of a combination it found something on.

A test may flag a line the edit then passes (it only narrows the lines looked at); it must
never pass a line the edit would find something on. tests/test_edits_sieve.py holds each
sieve to its edit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from medsheets.codes.edits import EditContext, LineEdit
from medsheets.model import ServiceLine

ValueOf = Callable[[ServiceLine], Hashable]  # a line's value (or tuple of values) to judge
Passes = Callable[[Any], bool]  # True: nothing wrong with that value for the edit


@dataclass(frozen=True)
class Sieve:
    """The tests of one edit: (the value of a line, whether that value passes), on values
    (codes, IDs, tuples of them: judged once per distinct value) and on shared records
    (a line's patient, subscriber or guarantor: judged once per record, told apart by
    identity, since hashing a record hashes every field of it, for every line)."""

    values: tuple[tuple[ValueOf, Passes], ...] = ()
    records: tuple[tuple[ValueOf, Passes], ...] = ()
    alike: ValueOf | None = None  # every value the edit reads of a line (but its cells' places)

    def suspects(self, lines: Sequence[ServiceLine], edit: LineEdit | None = None,
                 ctx: EditContext | None = None) -> list[ServiceLine]:
        """The lines, in order, holding a value that fails one of the tests (with `alike`,
        a combination of values on whose one line `edit` found something)."""
        flagged: set[int] = set()
        if self.alike is not None:
            if edit is None or ctx is None:
                raise TypeError("a sieve of lines judged alike needs its edit and context")
            keys = list(map(self.alike, lines))
            failing = {key for key, line in dict(zip(keys, lines)).items() if edit(line, ctx)}
            if failing:
                flagged.update(compress(range(len(keys)), map(failing.__contains__, keys)))
        for value_of, passes in self.values:
            failing = {value for value in set(map(value_of, lines)) if not passes(value)}
            if failing:  # rare: the values looked up again, line by line
                flagged.update(compress(range(len(lines)),
                                        map(failing.__contains__, map(value_of, lines))))
        for record_of, passes in self.records:
            # the lines hold their records, so no id is reused while they are judged
            records = list(map(record_of, lines))
            keys = list(map(id, records))
            failing_ids = {key for key, record in dict(zip(keys, records)).items()
                           if not passes(record)}
            if failing_ids:
                flagged.update(compress(range(len(keys)), map(failing_ids.__contains__, keys)))
        return [lines[i] for i in sorted(flagged)]
