"""Why an X12 file cannot be read, or why claims cannot be written, as typed exceptions.

A file that is not a complete, consistent X12 interchange is an input the command cannot use:
each class below is a `BadFileError` (exit code 2) whose message names the file, says what is
wrong with it and what to do. Messages never quote element values, which may be patient data;
they name segment positions, segment ids, counts and control numbers only.

`ClaimInputError` is different: the claim writer was handed data the checks should have held
back (a missing charge, an ID holding a delimiter). It names the workbook cell, not the value.
"""

from __future__ import annotations

from medsheets.errors import BadFileError


class X12FileError(BadFileError):
    """Base class: the file cannot be read as an X12 interchange."""


class NotX12Error(X12FileError):
    """The file does not start with an ISA header, or its header is unreadable."""


class MissingEnvelopeError(X12FileError):
    """An ST..SE transaction without the ISA/GS envelope around it (a copy, not the file sent)."""


class TruncatedError(X12FileError):
    """The file ends before its IEA trailer: part of it was lost."""


class StructureError(X12FileError):
    """Segments out of envelope order (a GS outside an interchange, data outside ST..SE...)."""


class EnvelopeMismatchError(X12FileError):
    """An SE, GE or IEA trailer whose count or control number does not match its header."""


class VersionError(X12FileError):
    """An interchange in an X12 version medsheets does not read (4010 and older): ask for 5010."""


class ClaimInputError(ValueError):
    """Data given to the claim writer that the checks should have refused; names the cell."""
