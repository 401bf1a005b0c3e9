"""Which secondary (or tertiary) claims to bill now, each rebuilt from the ledger as an 837 claim.

`claims` asks `plan_cob` inside its transaction. For every adjudication of a payer that stands
(an 835 claim payment, not reversed) on a claim with a further insurance, and for which no COB
claim was billed yet, the plan decides:

- the payer forwarded the claim itself (crossover: CLP02 19/20/21, or NM1*TT named the payer it
  went to): nothing to bill, the next payer's own 835 will come;
- it left the patient nothing (no PR): nothing for the next payer to pay, nothing to bill;
- a COB claim already went to that payer for an earlier adjudication (since reversed and
  corrected): this one replaces it (frequency 7, REF*F8 the next payer's claim number); with
  no claim number from that payer yet, it waits and says so;
- otherwise an original COB claim: the claim as sent (lines, diagnoses, providers: from the
  batch it was last sent in), addressed to the next payer (SBR*S, its member and subscriber),
  with every payer before it and what each decided, and the payers after it (cob_loops).

`record_cob_bills` then makes each billed one unrepeatable (ledger/cob.py, unique per
adjudication and rank).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from medsheets.cob.adjudication import adjudication_from_detail, left_to_patient
from medsheets.denials.rebuild import rebuild_encounter
from medsheets.denials.sent import SentBatches
from medsheets.ledger import ClaimRow, LineRow, Transaction
from medsheets.ledger.cob import (
    Adjudicated,
    CoverageRow,
    add_cob_bill,
    awaiting_cob,
    cob_bills_of,
    coverages,
    latest_adjudications,
)
from medsheets.ledger.denials import PatientRecord, copays, patient_records
from medsheets.model import Coverage, Encounter, Origin, Payer, Problem, Source, warning
from medsheets.x12.claim_loops import Resubmission
from medsheets.x12.cob_loops import Coordination, OtherPayer, not_yet_adjudicated

RESPONSIBILITY = {1: "P", 2: "S", 3: "T"}
FURTHER = {2: "secondary", 3: "tertiary"}
FORWARDED = frozenset({"19", "20", "21"})


@dataclass(frozen=True)
class CobClaim:
    """One COB claim to send: the encounter addressed to the next payer, and what it carries."""

    encounter: Encounter
    coordination: Coordination
    resubmission: Resubmission | None
    claim_id: int
    rank: int
    payer_id: str
    remit_claim_id: int
    line_control_numbers: tuple[str, ...]


@dataclass
class CobPlan:
    claims: list[CobClaim] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # warnings: what waits, and why


def plan_cob(tx: Transaction, payers: Mapping[str, Payer]) -> CobPlan:
    """Every COB claim due now (see the module doc)."""
    plan = CobPlan()
    due: dict[int, Adjudicated] = {}
    for adjudicated in awaiting_cob(tx):  # oldest first: the newest per claim wins
        due[adjudicated.claim_id] = adjudicated
    if not due:
        return plan
    claims = tx.claims_by_id(due)
    insurances = coverages(tx, due)
    people = patient_records(tx, [claim.patient_id for claim in claims.values()])
    sent = SentBatches(tx)
    for claim_id, adjudicated in due.items():
        detail = adjudicated.detail.get("adjudication")
        if detail is None:
            continue
        if adjudicated.status_code in FORWARDED or detail.get("forwarded_to"):
            continue
        if left_to_patient(detail) <= 0:
            continue
        claim = claims[claim_id]
        rank = adjudicated.rank + 1
        coverage = insurances[claim_id][rank]
        what = FURTHER[rank]
        where = Source(claim.source_file, None, None, None, f"{what}_payer_id")
        payer = payers.get(coverage.coverage.payer_id or "")
        if payer is None:
            plan.problems.append(warning(where, "MS-COB-PAYER-UNKNOWN", (
                f"claim {claim.encounter_id}: {what} payer {coverage.coverage.payer_id} is no "
                f"longer on the Payers sheet; add it back to bill the {what}")))
            continue
        resubmission = _resubmission(tx, claim_id, coverage)
        if resubmission is False:
            plan.problems.append(warning(where, "MS-COB-WAITING", (
                f"claim {claim.encounter_id}: the {FURTHER[rank - 1] if rank > 2 else 'primary'} "
                f"adjudicated it again, but {payer.payer_id} has not answered the {what} claim "
                f"billed before; the corrected {what} claim goes out once its remittance names "
                "its claim number")))
            continue
        lines = tx.claim_lines(claim_id)
        primary = primary_as_sent(tx, claim, lines, people.get(claim.patient_id), sent)
        if primary is None:
            plan.problems.append(warning(where, "MS-COB-NO-CLAIM", (
                f"claim {claim.encounter_id}: the 837 it was sent in is not in the ledger, so "
                f"the {what} claim cannot be built; bill the {what} by hand")))
            continue
        others = payers_before(tx, claim_id, rank, primary, insurances[claim_id], payers,
                               adjudicated)
        if others is None:
            continue
        others += payers_after(rank, primary, insurances[claim_id], payers)
        plan.claims.append(CobClaim(
            addressed_to(primary, coverage.coverage), Coordination(RESPONSIBILITY[rank], others),
            resubmission, claim_id, rank, payer.payer_id, adjudicated.remit_claim_id,
            tuple(line.line_control_number for line in lines)))
    return plan


def primary_as_sent(tx: Transaction, claim: ClaimRow, lines: Sequence[LineRow],
                    patient: PatientRecord | None, sent: SentBatches) -> Encounter | None:
    """The claim as it was last sent to its primary payer (None when the ledger lacks that
    837, the patient or the lines): what every COB claim repeats."""
    as_sent = sent.of_claim(claim)
    if as_sent is None or patient is None or not lines:
        return None
    origin = Origin(claim.source_file, "ledger", claim.id, {})
    return rebuild_encounter(claim, lines, patient, as_sent,
                             copays=copays(tx, [line.id for line in lines]),
                             origins={line.line_number: origin for line in lines},
                             corrections={})


def _resubmission(tx: Transaction, claim_id: int,
                  coverage: CoverageRow) -> Resubmission | None | Literal[False]:
    """None for a first COB claim; a replacement of the one billed before; False: must wait."""
    if not cob_bills_of(tx, claim_id, coverage.rank):
        return None
    if not coverage.payer_claim_number:
        return False
    return Resubmission("7", coverage.payer_claim_number)


def addressed_to(encounter: Encounter, coverage: Coverage) -> Encounter:
    """The claim's lines with the next payer's insurance in place of the primary's."""
    lines = tuple(replace(
        line, payer_id=coverage.payer_id, member_id=coverage.member_id,
        group_number=coverage.group_number, subscriber_relationship=coverage.subscriber_relationship,
        subscriber=coverage.subscriber, secondary=None, tertiary=None) for line in encounter.lines)
    return Encounter(encounter.encounter_id, lines)


def payers_before(tx: Transaction, claim_id: int, rank: int, primary: Encounter,
                   insurances: Mapping[int, CoverageRow], payers: Mapping[str, Payer],
                   adjudicated: Adjudicated) -> tuple[OtherPayer, ...] | None:
    """Each payer before `rank`, with its adjudication (None when one is missing)."""
    latest = latest_adjudications(tx, claim_id)
    latest[adjudicated.rank] = adjudicated
    first = primary.first
    others = []
    for before in range(1, rank):
        decided = latest.get(before)
        if decided is None or "adjudication" not in decided.detail:
            return None
        if before == 1:
            payer = payers.get(first.payer_id or "")
            member, group = first.member_id or "", first.group_number
            relationship, subscriber = first.subscriber_relationship, first.subscriber
        else:
            coverage = insurances[before].coverage
            payer = payers.get(coverage.payer_id or "")
            member, group = coverage.member_id or "", coverage.group_number
            relationship, subscriber = coverage.subscriber_relationship, coverage.subscriber
        if payer is None:
            return None
        others.append(OtherPayer(RESPONSIBILITY[before], payer, member, group, relationship,
                                 subscriber or first.patient,
                                 adjudication_from_detail(decided.detail["adjudication"])))
    return tuple(others)


def payers_after(rank: int, primary: Encounter, insurances: Mapping[int, CoverageRow],
                 payers: Mapping[str, Payer]) -> tuple[OtherPayer, ...]:
    """The insurances after `rank` (the tertiary, on the secondary's claim): named, SBR01 T,
    nothing adjudicated yet (a payer no longer on the Payers sheet is left out)."""
    later = []
    for after in sorted(r for r in insurances if r > rank):
        coverage = insurances[after].coverage
        payer = payers.get(coverage.payer_id or "")
        if payer is not None:
            later.append(not_yet_adjudicated(RESPONSIBILITY[after], payer, coverage,
                                             primary.first.patient))
    return tuple(later)


def record_cob_bills(tx: Transaction, run_id: int, batch_id: int, billed: list[CobClaim]) -> None:
    for cob in billed:
        add_cob_bill(tx, run_id=run_id, claim_id=cob.claim_id, rank=cob.rank,
                     payer_id=cob.payer_id, remit_claim_id=cob.remit_claim_id, batch_id=batch_id,
                     frequency_code=cob.resubmission.frequency_code if cob.resubmission else "1")
