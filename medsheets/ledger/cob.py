"""Coordination of benefits in the ledger: a claim's further insurances and its COB claims.

Plain functions over a transaction (the feature code in medsheets/cob/ calls them):

- `coverage_rows` for new claims (called by `add_claims`), `coverages` to read them back;
- `set_coverage_claim_number`: a secondary's 835 names its own claim number (CLP07);
- `awaiting_cob`: every adjudication (an 835 CLP that stands, not reversed) of the payer
  before a further insurance, with no COB claim yet billed for it: what `claims` bills;
- `add_cob_bill` records one, `cob_bills_of` lists what was billed before (a new
  adjudication of the primary after one was billed makes the next one a correction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.schema import (
    claim_coverages,
    claim_events,
    claim_lines,
    cob_bills,
    journal,
    journal_sources,
    remit_claims,
)
from medsheets.ledger.sql import utc_now
from medsheets.model import Coverage, Encounter, Person

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

SECONDARY, TERTIARY = 2, 3
# CLP02 codes of an adjudication by the payer of each rank (19-21: processed and forwarded)
RANK_STATUSES = {1: ("1", "19"), 2: ("2", "20"), 3: ("3", "21")}
CHUNK = 500
# Worklist events that end the wait for a further payer that denied its COB claim
GIVEN_UP = ("voided", "written_off", "billed_to_patient")
PENDING_SUFFIX = " (secondary pending)"
PENDING_SUFFIXES = {SECONDARY: PENDING_SUFFIX, TERTIARY: " (tertiary pending)"}


@dataclass(frozen=True)
class CoverageRow:
    """A claim's secondary (rank 2) or tertiary (3) insurance, as recorded when it was billed."""

    claim_id: int
    rank: int
    coverage: Coverage
    payer_claim_number: str | None


@dataclass(frozen=True)
class Adjudicated:
    """An adjudication that stands: the remit_claims row, its CLP02, its detail."""

    remit_claim_id: int
    claim_id: int
    rank: int  # of the payer that adjudicated
    status_code: str
    payer_claim_number: str | None
    detail: dict[str, Any]


def coverage_rows(claim_ids: Sequence[int], encounters: Sequence[Encounter]) -> list[dict[str, Any]]:
    """claim_coverages rows for the secondary (and tertiary) insurance each new claim's
    encounter names."""
    rows = []
    for claim_id, encounter in zip(claim_ids, encounters):
        if encounter.is_self_pay:
            continue
        for rank, coverage in ((SECONDARY, encounter.first.secondary),
                               (TERTIARY, encounter.first.tertiary)):
            if coverage is None or coverage.payer_id is None:
                break  # no tertiary without a secondary (the edits refuse one)
            rows.append({"claim_id": claim_id, "rank": rank, "payer_id": coverage.payer_id,
                         **_insured(coverage), "payer_claim_number": None})
    return rows


def _insured(coverage: Coverage) -> dict[str, Any]:
    """The member, group and subscriber columns of a claim_coverages row."""
    person = coverage.subscriber if coverage.subscriber_relationship != "self" else None
    return {
        "member_id": coverage.member_id or "", "group_number": coverage.group_number,
        "relationship": coverage.subscriber_relationship,
        "subscriber_last_name": person.last_name if person else None,
        "subscriber_first_name": person.first_name if person else None,
        "subscriber_dob": person.dob if person else None,
        "subscriber_sex": person.sex if person else None,
    }


def coverages(tx: Transaction, claim_ids: Iterable[int]) -> dict[int, dict[int, CoverageRow]]:
    """The further insurances of these claims: claim id -> rank -> row."""
    found: dict[int, dict[int, CoverageRow]] = {}
    wanted = list(dict.fromkeys(claim_ids))
    c = claim_coverages.c
    for start in range(0, len(wanted), CHUNK):
        query = sa.select(claim_coverages).where(c.claim_id.in_(wanted[start:start + CHUNK]))
        for row in tx.conn.execute(query):
            subscriber = None
            if row.relationship != "self":
                subscriber = Person(row.subscriber_last_name, row.subscriber_first_name,
                                    row.subscriber_dob, row.subscriber_sex)
            coverage = Coverage(row.payer_id, row.member_id, row.group_number, row.relationship,
                                subscriber)
            found.setdefault(row.claim_id, {})[row.rank] = CoverageRow(
                row.claim_id, row.rank, coverage, row.payer_claim_number)
    return found


def correct_coverage(tx: Transaction, claim_id: int, rank: int, coverage: Coverage) -> None:
    """The claim's insurance of `rank` as the biller corrected it on the denial worklist
    (member ID, group, subscriber): the COB claims from then on name it."""
    tx.conn.execute(claim_coverages.update().where(
        claim_coverages.c.claim_id == claim_id, claim_coverages.c.rank == rank
    ).values(**_insured(coverage)))


def set_coverage_claim_number(tx: Transaction, claim_id: int, rank: int, number: str) -> None:
    tx.conn.execute(claim_coverages.update()
                 .where(claim_coverages.c.claim_id == claim_id, claim_coverages.c.rank == rank)
                 .values(payer_claim_number=number))


def _stands(remit_claim_id: Any, as_of: dt.date | None = None,
            posted_by: dt.datetime | None = None) -> Any:
    """The adjudication still has an entry in the journal that no later entry reversed; with
    `as_of` (and `posted_by`), as the journal stood then: entries effective (and posted) by
    then, reversals too."""
    later = journal.alias("later")
    return sa.exists().where(
        journal_sources.c.remit_claim_id == remit_claim_id,
        journal_sources.c.journal_id == journal.c.id, *_known(journal, as_of, posted_by),
        ~sa.exists().where(later.c.reverses_id == journal.c.id, *_known(later, as_of, posted_by)))


def _known(table: Any, as_of: dt.date | None, posted_by: dt.datetime | None,
           posted: str = "posted_at") -> list[Any]:
    """Conditions for a row of the journal (or claim_events, posted = created_at) known on
    `as_of` as of the instant `posted_by`: none without them (the ledger as it is now)."""
    conditions = []
    if as_of is not None:
        conditions.append(table.c.effective_date <= as_of)
    if posted_by is not None:
        conditions.append(table.c[posted] <= posted_by)
    return conditions


def awaiting_cob(tx: Transaction) -> list[Adjudicated]:
    """Adjudications by the payer of rank r on claims with an insurance of rank r + 1, that
    stand, and for which no COB claim to rank r + 1 was billed: oldest first."""
    rc, cov = remit_claims.c, claim_coverages.c
    found: list[Adjudicated] = []
    for rank, statuses in RANK_STATUSES.items():
        billed = sa.select(cob_bills.c.id).where(cob_bills.c.remit_claim_id == rc.id,
                                                 cob_bills.c.rank == rank + 1)
        query = (sa.select(rc.id, rc.claim_id, rc.status_code, rc.payer_claim_number, rc.detail)
                 .join(claim_coverages, sa.and_(cov.claim_id == rc.claim_id, cov.rank == rank + 1))
                 .where(rc.status_code.in_(statuses), _stands(rc.id), ~sa.exists(billed))
                 .order_by(rc.id))
        found += [Adjudicated(row.id, row.claim_id, rank, row.status_code,
                              row.payer_claim_number, dict(row.detail or {}))
                  for row in tx.conn.execute(query)]
    return found


def latest_adjudications(tx: Transaction, claim_id: int) -> dict[int, Adjudicated]:
    """The newest standing adjudication of each payer rank on one claim."""
    rc = remit_claims.c
    latest: dict[int, Adjudicated] = {}
    for rank, statuses in RANK_STATUSES.items():
        row = tx.conn.execute(sa.select(rc.id, rc.status_code, rc.payer_claim_number, rc.detail)
                           .where(rc.claim_id == claim_id, rc.status_code.in_(statuses),
                                  _stands(rc.id))
                           .order_by(rc.id.desc()).limit(1)).first()
        if row is not None:
            latest[rank] = Adjudicated(row.id, claim_id, rank, row.status_code,
                                       row.payer_claim_number, dict(row.detail or {}))
    return latest


def cob_bills_of(tx: Transaction, claim_id: int, rank: int) -> int:
    """How many COB claims were billed to this claim's insurance of `rank` so far."""
    query = sa.select(sa.func.count()).where(cob_bills.c.claim_id == claim_id,
                                             cob_bills.c.rank == rank)
    return int(tx.conn.execute(query).scalar_one())


def sent_to_further_payer(tx: Transaction, claim_id: int, batch_id: int) -> int | None:
    """The rank of the further insurance this batch sent a claim of `claim_id` to: a COB claim
    `claims` billed (cob_bills), or one `resubmit` sent again to a secondary that denied it
    (its claim event under that payer names the batch). None: the batch went to the primary."""
    billed = tx.conn.execute(sa.select(cob_bills.c.rank).where(
        cob_bills.c.claim_id == claim_id, cob_bills.c.batch_id == batch_id)).scalar()
    if billed is not None:
        return int(billed)
    ev = claim_events.c
    resent = tx.conn.execute(sa.select(ev.detail).where(
        ev.claim_id == claim_id, ev.source == "resubmit", ev.event.in_(("corrected", "voided"))))
    for (detail,) in resent:
        if (detail or {}).get("batch_id") == batch_id and (detail or {}).get("rank"):
            return int(detail["rank"])
    return None


def add_cob_bill(tx: Transaction, *, run_id: int, claim_id: int, rank: int, payer_id: str,
                 remit_claim_id: int, batch_id: int, frequency_code: str) -> None:
    tx.conn.execute(cob_bills.insert().values(
        run_id=run_id, claim_id=claim_id, rank=rank, payer_id=payer_id,
        remit_claim_id=remit_claim_id, batch_id=batch_id, frequency_code=frequency_code,
        created_at=utc_now()))


def secondary_pending(tx: Transaction, as_of: dt.date | None = None,
                      posted_by: dt.datetime | None = None) -> dict[tuple[int, int | None], str]:
    """What still waits for a further insurance, as of `as_of` (the ledger as it stood that day,
    as known at `posted_by`; the ledger as it is now without them): (claim id, claim line id,
    None for the claim-level part) -> the payer expected to pay. A claim waits for rank r + 1
    once rank r has adjudicated, until an adjudication of rank r + 1 stands (pending,
    crossover or billed alike); its denial, worked on the denial worklist, ends the wait of
    the line written off or billed to the patient, or of the whole claim by a void
    (denials/secondary.py)."""
    pending = pending_query(as_of, posted_by)
    rows = tx.conn.execute(sa.select(pending.c.claim_id, pending.c.claim_line_id,
                                     pending.c.payer_id))
    return {(int(claim_id), line_id): payer_id for claim_id, line_id, payer_id in rows}


def pending_query(as_of: dt.date | None = None, posted_by: dt.datetime | None = None) -> Any:
    """(claim_id, claim_line_id, payer_id, key) of every line (and claim-level part, line NULL)
    of a claim waiting for a further insurance as of `as_of`, as a subquery the reports join to
    their journal rows with `waits_on` (the aging shows that share under the payer it waits
    for: `key` is its `pending_key`, which says secondary or tertiary)."""
    return sa.union_all(*(part for rank in (SECONDARY, TERTIARY)
                          for part in _pending(rank, as_of, posted_by))).subquery("cob_pending")


def waits_on(pending: Any, claim_id: Any, claim_line_id: Any) -> Any:
    """The join condition of journal (or report) rows to `pending_query`."""
    return sa.and_(pending.c.claim_id == claim_id,
                   pending.c.claim_line_id.is_not_distinct_from(claim_line_id))


def _pending(rank: int, as_of: dt.date | None, posted_by: dt.datetime | None) -> tuple[Any, Any]:
    """The waiting lines of claims of this rank, and their claim-level parts."""
    rc, cov, ev = remit_claims.c, claim_coverages.c, claim_events.c
    before = sa.select(rc.id).where(rc.claim_id == cov.claim_id,
                                    rc.status_code.in_(RANK_STATUSES[rank - 1]),
                                    _stands(rc.id, as_of, posted_by))
    answered = sa.select(rc.id).where(rc.claim_id == cov.claim_id,
                                      rc.status_code.in_(RANK_STATUSES[rank]),
                                      _stands(rc.id, as_of, posted_by))
    worked = sa.and_(ev.claim_id == cov.claim_id, ev.event.in_(GIVEN_UP),
                     ev.payer_id == cov.payer_id, *_known(claim_events, as_of, posted_by, "created_at"))
    waiting = sa.and_(cov.rank == rank, sa.exists(before), ~sa.exists(answered),
                      ~sa.exists(sa.select(ev.id).where(worked, ev.claim_line_id.is_(None))))
    line = claim_lines.c
    open_line = sa.and_(line.claim_id == cov.claim_id, ~sa.exists(sa.select(ev.id).where(
        worked, ev.claim_line_id == line.id)))
    key = (cov.payer_id + PENDING_SUFFIXES[rank]).label("key")
    lines = (sa.select(cov.claim_id.label("claim_id"), line.id.label("claim_line_id"),
                       cov.payer_id.label("payer_id"), key)
             .join(claim_lines, line.claim_id == cov.claim_id).where(waiting, open_line))
    # the claim-level part waits while a line does (every line worked: the claim is done)
    claim_level = sa.select(cov.claim_id.label("claim_id"),
                            sa.cast(sa.null(), sa.Integer).label("claim_line_id"),
                            cov.payer_id.label("payer_id"), key).where(
        waiting, sa.exists(sa.select(line.id).where(open_line)))
    return lines, claim_level


def pending_key(payer_id: str, rank: int = SECONDARY) -> str:
    """How the reports name 'what this further payer is expected to pay' (`pending_query`'s
    `key`): 'ILMCD (secondary pending)', 'ILMCD (tertiary pending)'."""
    return payer_id + PENDING_SUFFIXES[rank]


def pending_parts(key: str) -> tuple[str, str | None]:
    """(payer id, 'secondary'/'tertiary') of a `pending_key`; (key, None) for a payer id."""
    for suffix in PENDING_SUFFIXES.values():
        if key.endswith(suffix):
            return key.removesuffix(suffix), suffix.strip(" ()").removesuffix(" pending")
    return key, None
