"""The cycle collector paused while a command builds its records, and resumed without walking them."""

from __future__ import annotations

import gc

from medsheets.collector import collector_paused


def test_a_pause_ends_with_its_records_in_the_oldest_generation_and_nothing_frozen() -> None:
    frozen = gc.get_freeze_count()
    with collector_paused():
        assert not gc.isenabled()
        kept = [[n] for n in range(10_000)]  # tracked by the collector: lists
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # nothing left out of collection for good
    # aged into the oldest generation: the collector's next (young) pass does not walk them
    assert any(record is kept[0] for record in gc.get_objects(generation=2))


def test_a_pause_inside_a_pause_leaves_the_collector_paused() -> None:
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
