"""Line edits for a row's secondary insurance (SPEC §3 `secondary_*` columns).

The secondary is billed later, once the primary has adjudicated the claim, but the primary
claim already names it (loops 2320/2330) and the secondary's own claim is built from these
cells, so they are checked now, like the primary's, each problem at its own cell. A payer may
be both (a couple both insured by one plan): only the very same payer and member twice is
an error.
"""

from __future__ import annotations

from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.edits_payer import insured_problems
from medsheets.codes.edits_x12 import SUBSCRIBER_TEXT, text_problems
from medsheets.model import Problem, ServiceLine, error
from medsheets.identifiers import id_problem

SECONDARY_IDS = ("secondary_member_id", "secondary_group_number")
SECONDARY_SUBSCRIBER_TEXT = tuple((f"secondary_{column}", attribute, element)
                                  for column, attribute, element in SUBSCRIBER_TEXT)


def check_secondary(line: ServiceLine, ctx: EditContext) -> Found:
    """A known secondary payer after a primary one, its member and subscriber, sendable IDs."""
    coverage = line.secondary
    if coverage is None:
        return NO_PROBLEMS
    where = line.origin.at("secondary_payer_id")
    if coverage.payer_id is None:
        return [error(where, "MS-REQUIRED", "secondary_payer_id is blank but other secondary "
                      "insurance cells are filled; fill in the secondary payer or clear them")]
    if line.payer_id is None:
        return [error(where, "MS-SECONDARY-WITHOUT-PRIMARY", "a secondary insurance needs a "
                      "primary one: move it to payer_id and member_id, or clear the secondary")]
    found: list[Problem] = []
    if coverage.payer_id not in ctx.codesets.payers:
        found.append(error(where, "MS-PAYER-UNKNOWN", f"secondary_payer_id {coverage.payer_id} "
                           "is not in the Payers sheet of codesets.xlsx; fix it or add the payer"))
    if coverage.payer_id == line.payer_id and coverage.member_id == line.member_id:
        found.append(error(where, "MS-SECONDARY-SAME", "the secondary insurance is the primary "
                           "one again (same payer and member ID); clear the secondary columns"))
    found += insured_problems(line, "secondary_", coverage.member_id,
                              coverage.subscriber_relationship, coverage.subscriber,
                              "(or clear secondary_payer_id)")
    for name, value in zip(SECONDARY_IDS, (coverage.member_id, coverage.group_number)):
        if value is not None and (why := id_problem(value)):
            found.append(error(line.origin.at(name), "MS-X12-ID", f"{name} {why}"))
    if coverage.member_id is not None and len(coverage.member_id) < 2:
        found.append(error(line.origin.at("secondary_member_id"), "MS-X12-ID",
                           "secondary_member_id is shorter than the 2 characters a claim needs"))
    if coverage.subscriber is not None:
        found += text_problems(line, [(coverage.subscriber, SECONDARY_SUBSCRIBER_TEXT)])
    return found or NO_PROBLEMS
