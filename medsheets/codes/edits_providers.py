"""Line edits for the clinicians on a row: the rendering provider must be one the practice lists.

The name a payer checks against NPPES (NM1*82) comes from the Providers sheet of codesets.xlsx,
never from a guess: a rendering NPI the sheet does not list would go out under the wrong name
(or none) and be denied, so the line is held at its cell until the provider is added. The
referring provider may be anyone; its name comes from the row or from the sheet (see
`medsheets.codes.prepare`), and `edits_x12` asks for it when neither has one.
"""

from __future__ import annotations

from operator import attrgetter

from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.sieve import Sieve
from medsheets.identifiers import npi_is_valid
from medsheets.model import ServiceLine, error

RENDERING_SIEVE = Sieve(alike=attrgetter("rendering_npi"))  # see codes/sieve.py


def check_rendering_provider(line: ServiceLine, ctx: EditContext) -> Found:
    """A rendering NPI (typed or the practice default) is in the Providers sheet."""
    npi = line.rendering_npi
    if npi is None or not npi_is_valid(npi) or npi in ctx.codesets.providers:
        return NO_PROBLEMS  # a malformed NPI is reported by check_code_formats
    return [error(line.origin.at("rendering_npi"), "MS-PROVIDER-UNKNOWN",
                  f"rendering_npi {npi} is not in the Providers sheet of codesets.xlsx; add the "
                  "clinician there (npi, last_name, first_name, taxonomy) so the claim carries "
                  "their name, or correct the NPI")]
