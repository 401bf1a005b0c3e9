"""Line edits for a row's secondary and tertiary insurance (SPEC §3 `secondary_*` columns;
the `tertiary_*` columns, medsheets' extension beyond SPEC §3).

A further insurance is billed later, once the payer before it has adjudicated the claim, but
the earlier claims already name it (loops 2320/2330) and its own claim is built from these
cells, so they are checked now, like the primary's, each problem at its own cell. A payer may
be two of them (a couple both insured by one plan): only the very same payer and member twice
is an error. A tertiary needs a secondary before it (else it is the secondary).
"""

from __future__ import annotations

from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.edits_payer import insured_problems
from medsheets.codes.edits_x12 import SUBSCRIBER_TEXT, text_problems
from medsheets.identifiers import id_problem
from medsheets.model import Coverage, Problem, ServiceLine, error


def _subscriber_text(prefix: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((f"{prefix}{column}", attribute, element)
                 for column, attribute, element in SUBSCRIBER_TEXT)


SECONDARY_SUBSCRIBER_TEXT = _subscriber_text("secondary_")
TERTIARY_SUBSCRIBER_TEXT = _subscriber_text("tertiary_")


def check_secondary(line: ServiceLine, ctx: EditContext) -> Found:
    """A known secondary payer after a primary one, its member and subscriber, sendable IDs."""
    coverage = line.secondary
    if coverage is None:
        return NO_PROBLEMS
    where = line.origin.at("secondary_payer_id")
    if coverage.payer_id is not None and line.payer_id is None:
        return [error(where, "MS-SECONDARY-WITHOUT-PRIMARY", "a secondary insurance needs a "
                      "primary one: move it to payer_id and member_id, or clear the secondary")]
    return _further_problems(line, ctx, coverage, "secondary_", SECONDARY_SUBSCRIBER_TEXT,
                             [("primary", line.payer_id, line.member_id)])


def check_tertiary(line: ServiceLine, ctx: EditContext) -> Found:
    """A known tertiary payer after a secondary one, not the primary or the secondary again."""
    coverage = line.tertiary
    if coverage is None:
        return NO_PROBLEMS
    where = line.origin.at("tertiary_payer_id")
    if coverage.payer_id is not None and (line.secondary is None or line.secondary.payer_id is None):
        return [error(where, "MS-TERTIARY-WITHOUT-SECONDARY", "a tertiary insurance needs a "
                      "secondary one: move it to the secondary_* columns, or clear the tertiary")]
    secondary = line.secondary
    assert secondary is not None or coverage.payer_id is None
    before = [("primary", line.payer_id, line.member_id)]
    if secondary is not None:
        before.append(("secondary", secondary.payer_id, secondary.member_id))
    return _further_problems(line, ctx, coverage, "tertiary_", TERTIARY_SUBSCRIBER_TEXT, before)


def _further_problems(line: ServiceLine, ctx: EditContext, coverage: Coverage, prefix: str,
                      subscriber_text: tuple[tuple[str, str, str], ...],
                      before: list[tuple[str, str | None, str | None]]) -> Found:
    """The checks a secondary's and a tertiary's cells share (`prefix` names the columns;
    `before` the insurances ranked ahead of it: what, payer, member)."""
    what = prefix.rstrip("_")
    where = line.origin.at(f"{prefix}payer_id")
    if coverage.payer_id is None:
        return [error(where, "MS-REQUIRED", f"{prefix}payer_id is blank but other {what} "
                      f"insurance cells are filled; fill in the {what} payer or clear them")]
    found: list[Problem] = []
    if coverage.payer_id not in ctx.codesets.payers:
        found.append(error(where, "MS-PAYER-UNKNOWN", f"{prefix}payer_id {coverage.payer_id} "
                           "is not in the Payers sheet of codesets.xlsx; fix it or add the payer"))
    for name, payer_id, member_id in before:
        if coverage.payer_id == payer_id and coverage.member_id == member_id:
            found.append(error(where, f"MS-{what.upper()}-SAME", f"the {what} insurance is the "
                               f"{name} one again (same payer and member ID); clear the {what} "
                               "columns"))
    found += insured_problems(line, prefix, coverage.member_id,
                              coverage.subscriber_relationship, coverage.subscriber,
                              f"(or clear {prefix}payer_id)")
    for name, value in ((f"{prefix}member_id", coverage.member_id),
                        (f"{prefix}group_number", coverage.group_number)):
        if value is not None and (why := id_problem(value)):
            found.append(error(line.origin.at(name), "MS-X12-ID", f"{name} {why}"))
    if coverage.member_id is not None and len(coverage.member_id) < 2:
        found.append(error(line.origin.at(f"{prefix}member_id"), "MS-X12-ID",
                           f"{prefix}member_id is shorter than the 2 characters a claim needs"))
    if coverage.subscriber is not None:
        found += text_problems(line, [(coverage.subscriber, subscriber_text)])
    return found or NO_PROBLEMS
