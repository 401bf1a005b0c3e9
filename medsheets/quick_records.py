"""Frozen records built at the speed of plain ones, where a record is built for every line.

A frozen dataclass's `__init__` sets each field through `object.__setattr__` (its own
`__setattr__` refuses): for ServiceLine's 31 fields that is most of what reading a line costs
(100,000 lines: some 0.4 s). `maker(cls)` gives a function taking exactly `cls`'s arguments
that builds the record as a plain dataclass with the same fields (ordinary attribute stores),
whose `__post_init__` then gives it its real class.

Why that is safe: the plain twin is made from `cls`'s own fields, so it has the same slots in
the same order and no `__dict__`; Python refuses the `__class__` assignment unless the two
layouts are the same. From then on the record is a `cls` like any other: frozen, compared and
hashed by `cls`'s methods (tests/test_quick_records.py checks it equals `cls(...)`). Only
records whose `__init__` does nothing but set the fields can be made so (no `__post_init__`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """`cls(...)` for a frozen dataclass with slots, without its per-field `object.__setattr__`."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if (
        not hasattr(cls, "__slots__")
        or hasattr(cls, "__post_init__")
        or not all(f.init for f in fields)
    ):
        raise TypeError(
            f"{cls.__name__}: only a slotted dataclass whose fields are all "
            "arguments, with no __post_init__, can be made without its __init__"
        )

    def __post_init__(record: object) -> None:
        record.__class__ = cls  # same layout (checked by Python): from here on a real `cls`

    return dataclasses.make_dataclass(  # type: ignore[no-any-return]
        cls.__name__,
        [
            (
                f.name,
                f.type,
                dataclasses.field(default=f.default, default_factory=f.default_factory),
            )
            for f in fields
        ],
        namespace={
            "__post_init__": __post_init__,
            "__doc__": f"A {cls.__name__}, as "
            f"{cls.__name__}(...) makes it (see medsheets.quick_records).",
        },
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )
