"""The content hash that recognises a remittance sent twice is the same text, however it is
computed: a remittance posted by an earlier version must still be recognised (issue 16 made
the hash cheaper; this pins it to its definition)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from medsheets.remit.values import ContentDigest
from medsheets.x12.tree import Delimiters, Segment


def by_definition(segments: list[Segment]) -> str:
    """sha256 of each segment as id and elements joined by \\x1d, the component separator
    replaced by \\x1f in every element, each segment ended by \\x1e."""
    digest = hashlib.sha256()
    for seg in segments:
        elements = [e.replace(seg.delimiters.component, "\x1f") for e in seg.elements]
        digest.update(("\x1d".join([seg.id, *elements]) + "\x1e").encode("utf-8"))
    return digest.hexdigest()


TEXT = st.text(alphabet=st.sampled_from("AB9:^>.- \x1d\x1eé"), max_size=8)
SEGMENT = st.tuples(st.sampled_from(["CLP", "SVC", "CAS", "A9", "AB"]), st.lists(TEXT, max_size=6))


@given(st.lists(SEGMENT, min_size=1, max_size=8), st.sampled_from([":", ">", "^", "A", "\x1d", "\x1e"]))
def test_the_digest_is_its_definition_whatever_the_separators(
        segments: list[tuple[str, list[str]]], component: str) -> None:
    delimiters = Delimiters("*", component, "~", None)
    made = [Segment(name, tuple(elements), number, delimiters)
            for number, (name, elements) in enumerate(segments, start=1)]
    digest = ContentDigest()
    for seg in made:
        digest.add(seg)
    assert digest.hexdigest() == by_definition(made)


def test_a_component_separator_makes_another_digest_than_the_text_it_separates() -> None:
    delimiters = Delimiters("*", ":", "~", None)
    one, other = ContentDigest(), ContentDigest()
    one.add(Segment("SVC", ("HC:99213", "100"), 1, delimiters))
    other.add(Segment("SVC", ("HC99213", "100"), 1, delimiters))
    assert one.hexdigest() != other.hexdigest()
    assert one.hexdigest() == by_definition([Segment("SVC", ("HC:99213", "100"), 1, delimiters)])
