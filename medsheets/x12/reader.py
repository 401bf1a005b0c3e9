"""Read any X12 file (835, 837, 999, 277CA) into its envelope tree, or refuse it clearly.

The ISA header declares the file's own delimiters, so nothing here assumes '*' or '~'. Real
files bend the standard: a UTF-8 byte-order mark, line breaks between segments, an ISA whose
padded fields were trimmed. Those are tolerated. What is refused (an `X12FileError` naming the
file and what to do) is what would make a later stage work on incomplete or mixed-up data: no
ISA envelope, garbage, a file cut short, trailer counts or control numbers that disagree.

One defect is tolerated with a warning instead: an IEA control number that differs from ISA13
while every count in the file checks out. Payers ship such files (the Nevada Medicaid sample)
and the practice cannot correct them; the content is complete. `strict=True` refuses it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from medsheets.quick_records import maker
from medsheets.x12.errors import (
    EnvelopeMismatchError,
    MissingEnvelopeError,
    NotX12Error,
    StructureError,
    TruncatedError,
    VersionError,
)
from medsheets.x12.tree import Delimiters, Group, Interchange, Segment, Transaction

ISA_LENGTH = 106  # the fixed-width ISA, terminator included
ISA_WINDOW = 1024  # the delimiters are found within this much text from an ISA (padding trimmed or not)
_STRETCH = 65_536  # characters of segments split at a time (then up to the next terminator)
_SEGMENT_ID = re.compile(r"^[A-Z][A-Z0-9]{1,2}$")
_RESEND = "ask the sender for the complete file as they sent it"
# One per segment of the file (a month's 835 has hundreds of thousands): built without the
# frozen per-field setattr (medsheets/quick_records.py), the same records.
_segment = maker(Segment)


def read_x12_file(path: Path, *, strict: bool = False) -> tuple[Interchange, ...]:
    """Read an X12 file from disk; see `read_x12`."""
    return read_x12(path.read_bytes(), path.name, strict=strict)


def read_x12(data: bytes | str, name: str, *, strict: bool = False) -> tuple[Interchange, ...]:
    """Every interchange in `data`, in file order, each with all its segments.

    `name` is the file name used in messages. Each interchange is split with the delimiters its
    own ISA declares, so a file that joins interchanges from different senders still reads
    correctly. For files too big to hold as segments, `EnvelopeChecker` with `keep=False` over
    `iter_segments` checks the same while a reader consumes the segments one by one.
    """
    checker = EnvelopeChecker(name, strict)
    for segment in iter_segments(data, name):
        checker.add(segment)
    return checker.finish()


def iter_segments(data: bytes | str, name: str) -> Iterator[Segment]:
    """The segments of `data`, one at a time, positions counted from 1 at the first ISA.

    Only the splitting is checked here (an ISA for each interchange, segment identifiers, a
    file not cut inside a segment); the envelope's counts are `EnvelopeChecker`'s.
    """
    text = _decode(data).lstrip("\ufeff").lstrip()
    if not text:
        raise NotX12Error(f"{name}: is empty; check that the right file was chosen")
    offset, position = 0, 1
    valid_ids: set[str] = set()  # identifiers already matched against _SEGMENT_ID
    while offset < len(text):
        if position > 1 and not text.startswith("ISA", offset):
            raise StructureError(f"{name}: holds something other than an interchange after the IEA "
                                 f"at segment {position - 1}; the file is damaged, {_RESEND}")
        delimiters = find_delimiters(text[offset:offset + ISA_WINDOW], name)
        terminator, ended = delimiters.segment, False
        while offset < len(text) and not ended:
            # A stretch of whole segments split in one call (a find and a slice per segment
            # cost more); it ends at a terminator, so each piece is one segment as a search
            # from segment to segment would cut it, and only the text's last piece may lack one.
            cut = text.find(terminator, offset + _STRETCH)
            stretch_end = len(text) if cut < 0 else cut + 1
            pieces = text[offset:stretch_end].split(terminator)
            unterminated = len(pieces) - 1 if cut < 0 else -1
            for index, piece in enumerate(pieces):
                raw = _unindent(piece, delimiters)
                if not raw.strip():
                    continue
                parts = raw.split(delimiters.element)
                if index == unterminated and parts[0] != "IEA":  # the file was cut here
                    raise TruncatedError(f"{name}: ends in the middle of a segment (the file is "
                                         f"incomplete); {_RESEND}")
                if parts[0] not in valid_ids:
                    if not _SEGMENT_ID.match(parts[0]):
                        raise StructureError(f"{name}: segment {position} has no valid segment "
                                             f"identifier; the file is damaged, {_RESEND}")
                    valid_ids.add(parts[0])
                yield _segment(parts[0], tuple(parts[1:]), position, delimiters)
                position += 1
                if parts[0] == "IEA":  # the next interchange starts after this terminator
                    offset += sum(map(len, pieces[:index + 1])) + index + 1
                    ended = True
                    break
            else:
                offset = stretch_end
        offset = _skip_space(text, offset)


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and (text[offset].isspace() or text[offset] in "\x00\x1a"):
        offset += 1
    return offset


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # never fails; X12 content is ASCII in practice


def find_delimiters(text: str, name: str) -> Delimiters:
    """The delimiters declared by the ISA at the start of `text`.

    ISA has 16 elements; rather than trusting fixed offsets, count 16 element separators:
    ISA16 (the component separator) follows the 16th, and the segment terminator follows it.
    """
    if not text.startswith("ISA"):
        if re.match(r"^ST.[0-9]{3}", text):
            raise MissingEnvelopeError(
                f"{name}: holds an ST..SE transaction without its ISA/GS envelope (a copy of "
                f"part of an X12 file, not the file itself); {_RESEND}"
            )
        raise NotX12Error(f"{name}: is not an X12 file (it does not start with ISA); check the file")
    if len(text) < 4 or text[3].isalnum() or text[3].isspace():
        raise NotX12Error(f"{name}: its ISA header has no element separator; check the file")
    element = text[3]
    position = 3
    for _ in range(15):
        position = text.find(element, position + 1)
        if position < 0:
            raise TruncatedError(f"{name}: ends inside its ISA header; {_RESEND}")
    if position + 2 >= len(text):
        raise TruncatedError(f"{name}: ends inside its ISA header; {_RESEND}")
    component, terminator = text[position + 1], text[position + 2]
    if terminator.isalnum() or terminator in (element, component) or component == element:
        raise NotX12Error(f"{name}: its ISA header declares unusable delimiters; check the file")
    repetition_field = text.split(element, 12)[11]
    repetition = repetition_field if len(repetition_field) == 1 and not repetition_field.isalnum() else None
    if repetition in (element, component, terminator):
        repetition = None
    return Delimiters(element, component, terminator, repetition)


def _unindent(raw: str, delimiters: Delimiters) -> str:
    """A segment without the line break and indentation a pretty-printing tool put before it
    (and a CR/LF before its terminator). Spaces inside elements are data and stay."""
    if delimiters.element.isspace():
        return raw.strip("\r\n")
    return raw.lstrip(" \t\r\n").rstrip("\r\n")


@dataclass
class _Open:
    """The envelope levels currently open while segments stream past."""

    isa: Segment | None = None
    gs: Segment | None = None
    st: Segment | None = None  # the open transaction's ST
    st_segments: list[Segment] = field(default_factory=list)  # its segments, when kept
    st_count: int = 0  # how many segments it has so far, ST included
    groups: list[Group] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)


class EnvelopeChecker:
    """Turns a flat segment stream into interchanges, checking every trailer on the way.

    With `keep=False` the transactions are recorded without their segments (`segments` holds
    only ST and SE), so a reader that consumes segments as they stream past holds no more
    than it needs: the checks are the same, and a fault still raises at its segment.
    """

    def __init__(self, name: str, strict: bool = False, *, keep: bool = True) -> None:
        self.name = name
        self.strict = strict
        self.keep = keep
        self.open = _Open()
        self.done: list[Interchange] = []
        self._envelope = {"ISA": self._isa, "GS": self._gs, "ST": self._st, "SE": self._se,
                          "GE": self._ge, "IEA": self._iea}

    def add(self, seg: Segment) -> None:
        self._envelope.get(seg.id, self._data)(seg)

    def finish(self) -> tuple[Interchange, ...]:
        if self.open.isa is not None or not self.done:
            raise TruncatedError(f"{self.name}: ends before its IEA trailer (the file is incomplete); "
                                 f"{_RESEND}")
        return tuple(self.done)

    def _fail(self, seg: Segment, what: str) -> StructureError:
        return StructureError(f"{self.name}: segment {seg.position} ({seg.id}) {what}; the file is "
                              f"damaged or was assembled by hand, {_RESEND}")

    def _isa(self, seg: Segment) -> None:
        if self.open.isa is not None:
            raise TruncatedError(f"{self.name}: a new ISA at segment {seg.position} before the IEA "
                                 f"of the previous interchange (it is incomplete); {_RESEND}")
        if len(seg.elements) != 16:
            raise NotX12Error(f"{self.name}: its ISA header at segment {seg.position} has "
                              f"{len(seg.elements)} elements, not 16; check the file")
        self.open = _Open(isa=seg)

    def _gs(self, seg: Segment) -> None:
        if self.open.isa is None or self.open.gs is not None:
            raise self._fail(seg, "is a GS outside an interchange or inside another group")
        refuse_old_version(seg, self.name)
        self.open.gs, self.open.transactions = seg, []

    def _st(self, seg: Segment) -> None:
        if self.open.gs is None or self.open.st is not None:
            raise self._fail(seg, "is an ST outside a functional group or inside another transaction")
        self.open.st, self.open.st_segments, self.open.st_count = seg, [seg], 1

    def _data(self, seg: Segment) -> None:
        if self.open.st is None:
            raise self._fail(seg, "lies outside any ST..SE transaction")
        self.open.st_count += 1
        if self.keep:
            self.open.st_segments.append(seg)

    def _se(self, seg: Segment) -> None:
        st = self.open.st
        if st is None or self.open.gs is None:
            raise self._fail(seg, "is an SE without its ST")
        count = self.open.st_count + 1
        segments = self.open.st_segments + [seg]
        if _int(seg.element(1)) != count:
            raise self._mismatch(seg, f"SE01 says {seg.element(1) or 'nothing'} segments but the "
                                      f"transaction starting at segment {st.position} has {count}")
        if seg.element(2) != st.element(2):
            raise self._mismatch(seg, f"SE02 {seg.element(2)!r} does not match ST02 {st.element(2)!r}")
        version = st.element(3) or self.open.gs.element(8)
        self.open.transactions.append(Transaction(st.element(1), st.element(2), version, tuple(segments)))
        self.open.st, self.open.st_segments = None, []

    def _ge(self, seg: Segment) -> None:
        gs = self.open.gs
        if gs is None or self.open.st is not None:
            raise self._fail(seg, "is a GE without its GS, or inside a transaction")
        count = len(self.open.transactions)
        if _int(seg.element(1)) != count:
            raise self._mismatch(seg, f"GE01 says {seg.element(1) or 'nothing'} transactions but the "
                                      f"group has {count}")
        if _int(seg.element(2)) != _int(gs.element(6)):
            raise self._mismatch(seg, f"GE02 {seg.element(2)!r} does not match GS06 {gs.element(6)!r}")
        self.open.groups.append(Group(gs.element(1), gs.element(2).strip(), gs.element(3).strip(),
                                      gs.element(8), gs.element(6), tuple(self.open.transactions)))
        self.open.gs = None

    def _iea(self, seg: Segment) -> None:
        isa = self.open.isa
        if isa is None or self.open.gs is not None:
            raise self._fail(seg, "is an IEA without its ISA, or inside a functional group")
        if _int(seg.element(1)) != len(self.open.groups):
            raise self._mismatch(seg, f"IEA01 says {seg.element(1) or 'nothing'} groups but the "
                                      f"interchange has {len(self.open.groups)}")
        interchange = Interchange(
            isa.element(13), isa.element(6).strip(), isa.element(8).strip(), isa.element(15),
            isa.element(9), isa.element(10), seg.delimiters, tuple(self.open.groups))
        if _int(seg.element(2)) != _int(isa.element(13)):
            note = (f"IEA02 {seg.element(2)!r} at segment {seg.position} does not match ISA13 "
                    f"{isa.element(13)!r}; every count checks, so the content is complete")
            interchange = _with_warning(interchange, note, self.name, self.strict)
        width = isa_width(isa)
        if width != ISA_LENGTH:
            note = f"ISA is {width} characters, not the fixed {ISA_LENGTH}; read by its separators"
            interchange = _with_warning(interchange, note, self.name, self.strict)
        self.done.append(interchange)
        self.open = _Open()

    def _mismatch(self, seg: Segment, what: str) -> EnvelopeMismatchError:
        return EnvelopeMismatchError(f"{self.name}: segment {seg.position}: {what}; segments may be "
                                     f"missing or added, {_RESEND}")


def refuse_old_version(gs: Segment, name: str) -> None:
    """Refuse a group in an X12 version before 5010 (GS08 004010..., 003070...), naming it.

    4010 files look alike but their codes and loops differ (the CAS, the REF qualifiers):
    read as 5010 they would fail at some later segment with a message about a code, or post
    wrongly. Since 2012 HIPAA requires 5010; the sender can always produce one.
    """
    version = gs.element(8).strip()
    if re.match(r"^00[0-4]\d{3}", version):
        label = "4010" if version.startswith("004010") else version[:6]
        raise VersionError(f"{name}: is an X12 {label} file (GS08 {version} at segment "
                           f"{gs.position}); medsheets reads version 5010 (005010) only, "
                           "required since 2012: ask the sender for 5010")


def isa_width(isa: Segment) -> int:
    """The ISA's length as written, terminator included (106 when fixed-width)."""
    return len("ISA") + sum(1 + len(element) for element in isa.elements) + 1


def _int(text: str) -> int | None:
    """A count or control number as a number (leading zeros and padding do not matter)."""
    text = text.strip()
    return int(text) if text.isdigit() else None


def _with_warning(interchange: Interchange, note: str, name: str, strict: bool) -> Interchange:
    if strict:
        raise EnvelopeMismatchError(f"{name}: {note}; refused in strict mode")
    return Interchange(
        interchange.control_number, interchange.sender, interchange.receiver, interchange.usage,
        interchange.date, interchange.time, interchange.delimiters, interchange.groups,
        interchange.warnings + (note,))
