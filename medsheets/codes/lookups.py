"""Identifier checks cached per distinct value.

A day's workbook repeats a few hundred distinct codes and NPIs over up to 100,000 lines; the
regular expressions and check-digit sums of `identifiers` run once per distinct value here.
"""

from __future__ import annotations

from functools import lru_cache

from medsheets.identifiers import is_procedure_code, npi_is_valid


@lru_cache(maxsize=65536)
def procedure_shape_ok(code: str) -> bool:
    """CPT Category I (incl. PLA 0001U), II (3074F), III (0042T) or HCPCS Level II (G0439)."""
    return is_procedure_code(code)


@lru_cache(maxsize=65536)
def npi_ok(npi: str) -> bool:
    """10 digits ending in the Luhn check digit."""
    return npi_is_valid(npi)
