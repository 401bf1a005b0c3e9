"""The claims a worklist sends again: rebuilt, judged by the edits, written as one 837.

A corrected claim goes out as frequency 7 naming the payer's claim number (REF*F8); a void as
frequency 8, with the lines and amounts the payer has. A claim the clearinghouse or payer
rejected before adjudication is not on file with the payer, so its correction goes out as a
new original (frequency 1) and its void is recorded in the ledger only; once a payer has
answered with an 835, the claim is on file there and only 7 or 8 will do. Corrections pass
through the same edits as new claims (medsheets.codes.scrub); an error holds the claim back,
at the worklist cell to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from medsheets.codes.scrub import held_encounter_ids, scrub
from medsheets.denials.events import OpenDenial, denying_coverage
from medsheets.denials.plan import ClaimWork
from medsheets.denials.rebuild import (
    LineCorrection,
    corrected_claim,
    line_origin,
    rebuild_encounter,
)
from medsheets.denials.secondary import SecondaryClaim, secondary_claim
from medsheets.denials.sent import SentBatches
from medsheets.denials.worklist import claim_fields
from medsheets.ledger import Transaction
from medsheets.ledger.cob import coverages
from medsheets.ledger.denials import copays, patient_records
from medsheets.ledger.events import adjudicated
from medsheets.model import CodeSets, Encounter, Problem, error
from medsheets.practice import Practice
from medsheets.x12.claim837 import MAX_CLAIMS_PER_TRANSACTION, write_837p
from medsheets.x12.claim_loops import Resubmission
from medsheets.x12.envelope import ControlNumbers
from medsheets.x12.errors import ClaimInputError


@dataclass
class Outgoing:
    """A claim to send again (or to void in the ledger only): its work, lines and frequency."""

    work: ClaimWork
    encounter: Encounter
    frequency: str  # 1 (sent anew), 7 (corrected) or 8 (void)
    payer_claim_number: str | None
    send: bool = True  # in the 837 (False: a void in the ledger only, or a claim on paper)
    role: str = ""  # for a rebill: "void" (of the first claim) or "rebill" (to the new payer)
    secondary: SecondaryClaim | None = None  # denied by a further payer: its COB claim
    on_paper: bool = False  # a rebill to a payer that takes paper: printed on a CMS-1500


@dataclass
class Prepared:
    """The claims ready to send (or to void in the ledger only), and what held the others."""

    outgoing: list[Outgoing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def prepare_claims(tx: Transaction, works: Sequence[ClaimWork], open_: Mapping[int, OpenDenial],
                   codesets: CodeSets, practice: Practice, as_of: dt.date) -> Prepared:
    """Rebuild every claim to correct or void; run the edits over the corrections."""
    prepared = Prepared()
    sent = SentBatches(tx)
    people = patient_records(tx, [work.claim.patient_id for work in works])
    paid = copays(tx, [line.id for work in works for line in work.lines])
    on_file = adjudicated(tx, [work.claim.id for work in works])
    insurances = coverages(tx, [work.claim.id for work in works])
    corrected: list[Outgoing] = []
    for work in works:
        claim, first = work.claim, work.first
        further = denying_coverage(claim, open_[claim.id], insurances.get(claim.id, {}))
        if further is not None:
            cob = secondary_claim(tx, work, open_[claim.id], further, people.get(claim.patient_id),
                                  sent, codesets.payers, prepared.problems)
            if cob is not None:  # a correction passes the edits, as the primary's does
                (corrected if work.action == "correct" else prepared.outgoing).append(Outgoing(
                    work, cob.encounter, cob.frequency, cob.payer_claim_number, send=cob.send,
                    secondary=cob))
            continue
        details = sent.of_claim(claim)
        patient = people.get(claim.patient_id)
        if details is None or patient is None:
            prepared.problems.append(error(first.origin.at("action"), "MS-WL-NOT-SENT",
                                           f"claim {claim.encounter_id} has no 837 in the ledger to "
                                           "correct or void; it was never sent"))
            continue
        corrections = {} if work.action == "void" else {
            row.line_number: LineCorrection(row.procedure_code, row.modifiers, row.diagnoses,
                                            row.units, row.charge)
            for row in work.rows}
        origins = {row.line_number: line_origin(row.origin) for row in work.rows}
        encounter = rebuild_encounter(claim, work.lines, patient, details, copays=paid,
                                      origins=origins, corrections=corrections)
        new_payer = first.fields.get("bill_payer")
        if work.action == "correct" and new_payer not in (None, claim.payer_id):
            prepared.problems.append(error(first.origin.at("bill_payer"), "MS-WL-PAYER-CHANGED",
                                           f"bill_payer of claim {claim.encounter_id} was changed: "
                                           "choose rebill to bill another payer (correct sends the "
                                           "claim to the same payer)"))
            continue
        if work.action != "void":
            encounter = corrected_claim(encounter, first.fields, claim_fields(claim, details, patient),
                                        codesets.providers)
        if work.action == "rebill":
            as_sent = rebuild_encounter(claim, work.lines, patient, details, copays=paid,
                                        origins=origins, corrections={})
            found = _rebill(work, as_sent, encounter, open_[claim.id], claim.id in on_file,
                            codesets, prepared.problems)
            if found:
                prepared.outgoing.append(found[0])
                corrected.append(found[1])
            continue
        outgoing = _frequency(work, encounter, open_[claim.id], claim.id in on_file,
                              prepared.problems)
        if outgoing is not None:
            (corrected if work.action == "correct" else prepared.outgoing).append(outgoing)
    prepared.outgoing += _scrubbed(corrected, codesets, practice, as_of, prepared.problems)
    rebilled = {out.work.claim.id for out in prepared.outgoing if out.role == "rebill"}
    prepared.outgoing = [out for out in prepared.outgoing  # no void without its rebill
                         if out.role != "void" or out.work.claim.id in rebilled]
    return prepared


def _rebill(work: ClaimWork, as_sent: Encounter, rebilled: Encounter, denial: OpenDenial,
            on_file: bool, codesets: CodeSets, problems: list[Problem]) -> tuple[Outgoing, Outgoing] | None:
    """The void of the first claim (frequency 8 to its payer when that payer has it on file,
    else in the ledger only) and the original claim to the payer in bill_payer: in the 837,
    or on a CMS-1500 when that payer takes paper."""
    payer = rebilled.first.payer_id
    where = work.first.origin.at("bill_payer") if "bill_payer" in work.first.origin.columns \
        else work.first.origin.at("action")
    if payer == work.claim.payer_id:
        problems.append(error(where, "MS-WL-REBILL-SAME", f"rebill needs another payer in "
                              f"bill_payer; {payer} billed it already (to fix it for the same "
                              "payer, choose correct)"))
        return None
    if payer is None or payer not in codesets.payers:
        problems.append(error(where, "MS-WL-REBILL-PAYER", f"bill_payer '{payer or ''}' is not on "
                              "the Payers sheet of codesets.xlsx; add it there or fix the id"))
        return None
    void = _frequency(replace(work, action="void"), as_sent, denial, on_file, problems)
    if void is None:
        return None
    void.role, void.work = "void", work
    paper = codesets.payers[payer].on_paper
    return void, Outgoing(work, rebilled, "1", None, send=not paper, role="rebill", on_paper=paper)


def _frequency(work: ClaimWork, encounter: Encounter, denial: OpenDenial, on_file: bool,
               problems: list[Problem]) -> Outgoing | None:
    """How the claim goes out: anew if no payer ever adjudicated it (rejected before), else as
    7 or 8 naming the payer's claim number."""
    number = work.claim.payer_claim_number or denial.latest.payer_claim_number
    if not on_file:
        return Outgoing(work, encounter, "1", None, send=work.action == "correct")
    if not number:
        problems.append(error(work.first.origin.at("action"), "MS-WL-NO-PAYER-NUMBER",
                              f"the payer's claim number of claim {work.claim.encounter_id} is not "
                              "known (post its remittance first); a corrected or void claim must "
                              "name it"))
        return None
    return Outgoing(work, encounter, "7" if work.action == "correct" else "8", number)


def _scrubbed(corrected: list[Outgoing], codesets: CodeSets, practice: Practice, as_of: dt.date,
              problems: list[Problem]) -> list[Outgoing]:
    """The corrected claims the edits pass, with their lines priced; problems for the rest."""
    if not corrected:
        return []
    result = scrub([line for out in corrected for line in out.encounter.lines], codesets,
                   as_of=as_of, default_place_of_service=practice.config.practice.default_place_of_service,
                   default_rendering_npi=practice.config.practice.default_rendering_npi or None)
    problems.extend(result.problems)
    held = held_encounter_ids(result)
    priced = {encounter.encounter_id: encounter for encounter in result.encounters}
    clean = []
    for out in corrected:
        if out.encounter.encounter_id not in held:
            out.encounter = priced[out.encounter.encounter_id]
            clean.append(out)
    return clean


def write_claims(tx: Transaction, outgoing: list[Outgoing], codesets: CodeSets, practice: Practice,
                 now: dt.datetime, problems: list[Problem]) -> tuple[str, ControlNumbers, list[Outgoing]] | None:
    """The 837 of the claims to send (a claim the writer refuses is held, at its cell)."""
    sending = [out for out in outgoing if out.send]
    if not sending:
        return None
    per_payer: dict[str | None, int] = {}
    for out in sending:
        payer = out.encounter.first.payer_id
        per_payer[payer] = per_payer.get(payer, 0) + 1
    count = sum(-(-n // MAX_CLAIMS_PER_TRANSACTION) for n in per_payer.values())
    control = ControlNumbers(*tx.allocate_control_numbers(count))

    def write(chosen: list[Outgoing]) -> str:
        return write_837p(
            [out.encounter for out in chosen], party=practice.config.billing_party, payers=codesets.payers,
            control=control, now=now, providers=codesets.providers,
            line_control_numbers={(out.encounter.encounter_id, i): line.line_control_number
                                  for out in chosen for i, line in enumerate(out.work.lines)},
            resubmissions={out.encounter.encounter_id: Resubmission(
                out.frequency, out.payer_claim_number, out.encounter.first.payer_id)
                           for out in chosen if out.payer_claim_number and out.frequency in ("7", "8")},
            coordination={out.encounter.encounter_id: out.secondary.coordination
                          for out in chosen if out.secondary is not None})

    try:
        return write(sending), control, sending
    except ClaimInputError:
        pass
    writable = []
    for out in sending:
        try:
            write([out])
            writable.append(out)
        except ClaimInputError as exc:
            problems.append(error(out.work.first.origin.at("action"), "MS-CLAIM-INPUT", str(exc)))
    return (write(writable), control, writable) if writable else None
