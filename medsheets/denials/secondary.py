"""A denial by a further payer (a secondary's 835): worked against the COB claim it denied.

`claims` sent the secondary a COB claim (medsheets.cob): the claim as the primary has it, with
what the primary decided (2320/2330/2430). When the secondary denies it, the primary's claim
and adjudication stand, so the work goes to the secondary, never to the primary:

- the worklist names the secondary, its own claim number (its 835's CLP07) and its
  timely-filing limit;
- `correct` sends the COB claim to the secondary again as frequency 7, REF*F8 its claim
  number, the COB loops as before (frequency 1 when the secondary never took the claim: its
  front end rejected it, 277CA/999, and gave no number). What the biller corrected goes on it:
  the secondary's insurance (member ID, group, the subscriber and relationship), kept as the
  claim's secondary coverage, and the diagnoses (HI), kept as the claim's (ledger/denials.py).
  The corrected claim passes the edits `check` runs (medsheets.codes.scrub), each problem at
  its worklist cell. A diagnosis does not change what the primary adjudicated, so COB balance
  holds; the procedure, modifiers, units and charge of a line do (its SVD must repeat what
  the primary paid on it), and so do the claim's other columns (patient, providers) the
  primary was billed: a row changing them is refused at its cell, that fix goes to the primary
  first. A `correct` that changes nothing is refused: the secondary would deny it again;
- `void` sends the secondary frequency 8 with the same loops. The claim's charges and the
  primary's payment stand; the claim stops waiting for the secondary, so what the primary
  left the patient is the patient's again (ledger/cob.py `secondary_pending`). A claim the
  secondary's front end rejected (no claim number) was never on file there: nothing is sent,
  the void is recorded, and the wait ends all the same.

The denying payer is the one on the claim's latest open denial event (claim_events.payer_id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from medsheets.cob.bill import (
    RESPONSIBILITY,
    addressed_to,
    payers_after,
    payers_before,
    primary_as_sent,
)
from medsheets.codes.edits_payer import insured_problems
from medsheets.denials.events import OpenDenial, claim_number
from medsheets.denials.plan import ClaimWork
from medsheets.denials.rebuild import corrected_claim, line_origin
from medsheets.denials.sent import SentBatches, SentClaim
from medsheets.denials.worklist import claim_fields
from medsheets.identifiers import id_problem
from medsheets.ledger import LineRow, Transaction
from medsheets.ledger.cob import CoverageRow, coverages, latest_adjudications
from medsheets.ledger.denials import PatientRecord
from medsheets.model import Coverage, Encounter, Payer, Problem, error
from medsheets.workbook.worklist import WorklistEdit
from medsheets.x12.cob_loops import Coordination


@dataclass(frozen=True)
class SecondaryClaim:
    """The COB claim to send again: to whom, naming which of its claim numbers, with what loops."""

    encounter: Encounter
    coordination: Coordination
    rank: int
    payer_id: str
    payer_claim_number: str | None
    frequency: str  # 7 corrected, 8 void, 1 anew (the secondary never took it)
    coverage: Coverage | None = None  # the secondary's insurance as corrected (None: unchanged)
    diagnosed: bool = False  # its diagnoses were corrected (they become the claim's)
    send: bool = True  # False: a void of a claim the secondary never took (nothing to send)


# The worklist's claim columns that are the secondary's insurance, on its denial's rows.
COVERAGE_COLUMNS = ("member_id", "group_number", "subscriber_relationship", "subscriber_last_name",
                    "subscriber_first_name", "subscriber_dob", "subscriber_sex")


def secondary_claim(tx: Transaction, work: ClaimWork, denial: OpenDenial, coverage: CoverageRow,
                    patient: PatientRecord | None, sent: SentBatches,
                    payers: Mapping[str, Payer], problems: list[Problem]) -> SecondaryClaim | None:
    """The COB claim `work` corrects or voids; None (and an error at the row) when it cannot be."""
    claim, where = work.claim, work.first.origin.at("action")
    secondary = coverage.coverage.payer_id
    if work.action not in ("correct", "void"):
        problems.append(error(where, "MS-WL-SECONDARY-REBILL", (
            f"claim {claim.encounter_id} was denied by its secondary {secondary}; "
            f"rebill would void {claim.payer_id}'s claim, which stands: correct or void the "
            "secondary's claim, or write off / bill patient its lines")))
        return None
    as_sent = sent.of_claim(claim)
    if _refused_change(work, as_sent, patient, coverage, problems):
        return None
    number = claim_number(coverage, denial)
    rejected = not number and denial.latest.event == "rejected"
    if not number and not rejected:
        problems.append(error(where, "MS-WL-NO-PAYER-NUMBER", (
            f"the secondary {secondary}'s claim number of claim "
            f"{claim.encounter_id} is not known (post its remittance first); a corrected or void "
            "claim must name it")))
        return None
    before = latest_adjudications(tx, claim.id).get(coverage.rank - 1)
    primary = primary_as_sent(tx, claim, work.lines, patient, sent)
    others = None
    if before is not None and primary is not None:
        insurances = coverages(tx, [claim.id]).get(claim.id, {coverage.rank: coverage})
        others = payers_before(tx, claim.id, coverage.rank, primary, insurances, payers, before)
        if others is not None:  # a secondary's claim names the tertiary still to come
            others += payers_after(coverage.rank, primary, insurances, payers)
    payer = payers.get(secondary or "")
    if primary is None or others is None or payer is None:
        problems.append(error(where, "MS-WL-NOT-SENT", (
            f"claim {claim.encounter_id}: the secondary claim cannot be rebuilt (its 837, the "
            "primary's adjudication or the secondary payer is missing); work it by hand")))
        return None
    encounter: Encounter | None = addressed_to(primary, coverage.coverage)
    corrected, diagnosed = None, False
    if work.action == "correct" and encounter is not None:
        encounter, diagnosed = _with_diagnoses(work, _placed(work, encounter), as_sent)
        encounter, corrected = _corrected_coverage(work, encounter, coverage, claim_fields(
            claim, as_sent, patient, coverage), problems)
        if encounter is not None and not (rejected or diagnosed or corrected):
            problems.append(error(where, "MS-WL-SECONDARY-UNCHANGED", (
                f"claim {claim.encounter_id} was denied by its secondary {secondary}"
                f"{_reasons(denial)} and its rows change nothing: a corrected claim must fix what "
                f"{secondary} denied, so change its diagnoses or {secondary}'s member_id, "
                "group_number or subscriber columns; to stop billing "
                f"{secondary}, choose void, or write off / bill patient its lines")))
            return None
    if encounter is None:
        return None
    frequency = ("1" if rejected else "7") if work.action == "correct" else "8"
    return SecondaryClaim(encounter, Coordination(RESPONSIBILITY[coverage.rank], others),
                          coverage.rank, payer.payer_id, number or None, frequency, corrected,
                          diagnosed, send=not (rejected and work.action == "void"))


def _reasons(denial: OpenDenial) -> str:
    codes = sorted({code for event in denial.lines.values()
                    for code in (event.reason_codes or "").replace(",", " ").split()})
    return f" ({', '.join(codes)})" if codes else ""


def _placed(work: ClaimWork, encounter: Encounter) -> Encounter:
    """The claim's lines with their worklist rows as origins: the edits' problems land there."""
    origins = {row.line_number: line_origin(row.origin) for row in work.rows}
    fallback = line_origin(work.first.origin)
    return Encounter(encounter.encounter_id, tuple(
        replace(line, origin=origins.get(billed.line_number, fallback))
        for line, billed in zip(encounter.lines, work.lines)))


def _with_diagnoses(work: ClaimWork, encounter: Encounter,
                    as_sent: SentClaim | None) -> tuple[Encounter, bool]:
    """The claim with each row's diagnoses where they differ from the claim's; whether any did."""
    typed = {row.line_number: row.diagnoses for row in work.rows}
    lines, changed = [], False
    for line, billed in zip(encounter.lines, work.lines):
        new = typed.get(billed.line_number)
        if new is not None and new != _billed_diagnoses(billed, as_sent):
            line, changed = replace(line, diagnoses=new), True
        lines.append(line)
    return Encounter(encounter.encounter_id, tuple(lines)), changed


def _billed_diagnoses(line: LineRow, as_sent: SentClaim | None) -> tuple[str, ...]:
    diagnoses = as_sent.record.diagnoses if as_sent else ()
    return tuple(diagnoses[p - 1] for p in line.diagnosis_pointers if 0 < p <= len(diagnoses))


def _corrected_coverage(work: ClaimWork, encounter: Encounter, coverage: CoverageRow,
                        billed: Mapping[str, object], problems: list[Problem],
                        ) -> tuple[Encounter | None, Coverage | None]:
    """The COB claim with the secondary's insurance as the biller corrected it, and that
    insurance (None: unchanged); (None, None) with a problem at each wrong cell."""
    fields: dict[str, object] = {}
    for row in work.rows:  # a correction typed on any row of the claim
        fields.update({name: value for name, value in row.fields.items()
                       if name in COVERAGE_COLUMNS and value is not None and value != billed.get(name)})
    if not fields:
        return encounter, None
    changed = corrected_claim(encounter, fields, billed, {})
    first = changed.first
    found = insured_problems(first, "", first.member_id, first.subscriber_relationship,
                             first.subscriber, "of the secondary insurance")
    for name, value in (("member_id", first.member_id), ("group_number", first.group_number)):
        if value is not None and (why := id_problem(value)):
            found.append(error(first.origin.at(name), "MS-X12-ID", f"{name} {why}"))
    if found:
        problems.extend(found)
        return None, None
    return changed, Coverage(coverage.coverage.payer_id, first.member_id, first.group_number,
                             first.subscriber_relationship, first.subscriber)


def _refused_change(work: ClaimWork, as_sent: SentClaim | None, patient: PatientRecord | None,
                    coverage: CoverageRow, problems: list[Problem]) -> bool:
    """An error at the first cell the row may not change on a secondary's claim, if any."""
    claim, secondary = work.claim, coverage.coverage.payer_id
    changed = _changed_lines(work, as_sent)
    if changed is not None:
        row, column = changed
        if work.action == "void":
            why = "a void repeats the claim as it was sent"
        else:
            why = (f"{claim.payer_id} adjudicated line {row.line_number}'s procedure, modifiers, "
                   f"units and charge as billed and {secondary}'s claim must repeat them; correct "
                   f"them with {claim.payer_id} first (its new adjudication gives {secondary} a "
                   "corrected claim); diagnoses and the secondary's insurance can be corrected here")
        problems.append(error(row.origin.at(column), "MS-WL-SECONDARY-CODES", (
            f"claim {claim.encounter_id} was denied by its secondary {secondary}: leave line "
            f"{row.line_number}'s {column.replace('_', ' ')} as billed ({why})")))
        return True
    found = _changed_fields(work, as_sent, patient, coverage)
    if found is not None:
        row, column = found
        problems.append(error(row.origin.at(column), "MS-WL-SECONDARY-CODES", (
            f"claim {claim.encounter_id} was denied by its secondary {secondary}, "
            f"which was billed the claim as {claim.payer_id} adjudicated it: leave line "
            f"{row.line_number}'s {column.replace('_', ' ')} as billed (a fix of the claim goes "
            "to the primary first)")))
        return True
    return False


def _changed_fields(work: ClaimWork, as_sent: SentClaim | None, patient: PatientRecord | None,
                    coverage: CoverageRow) -> tuple[WorklistEdit, str] | None:
    """The first row and claim column changed from what the worklist showed that a correction
    may not change (the patient, the providers; on a void, anything)."""
    billed = claim_fields(work.claim, as_sent, patient, coverage)
    for row in work.rows:
        for name, typed in row.fields.items():
            may_change = work.action == "correct" and name in COVERAGE_COLUMNS
            if not may_change and typed is not None and typed != billed.get(name):
                return row, name
    return None


def _changed_lines(work: ClaimWork, as_sent: SentClaim | None) -> tuple[WorklistEdit, str] | None:
    """The first worklist row and column whose code differs from what was billed and may not
    change: what the primary adjudicated, a new charge typed (on a void, the diagnoses too)."""
    by_number = {line.line_number: line for line in work.lines}
    for row in work.rows:
        line = by_number[row.line_number]
        if row.charge is not None:
            return row, "new_charge"
        for column, now, was in (("procedure_code", row.procedure_code, line.procedure_code),
                                 ("modifiers", row.modifiers, line.modifiers),
                                 ("units", row.units, line.units)):
            if now != was and not (column == "units" and now is None):
                return row, column
        if work.action == "void" and row.diagnoses != _billed_diagnoses(line, as_sent):
            return row, "diagnoses"
    return None
