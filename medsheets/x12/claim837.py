"""The 837P (005010X222A1) claim batch: encounters in, the text of one interchange out.

The goal is a batch the clearinghouse accepts the first time. So the writer is a pure function
of its inputs (no clock, no counters of its own: `now` and the control numbers are passed in),
every human text is cleaned and every ID checked on the way (see `text` and `claim_parts`), and
the tests judge the output with pyx12 and with the rules pyx12 does not know.

Layout: one ISA/GS; one ST per payer (every claim to that payer in it, split past 5000 claims,
the guide's limit per transaction); in each ST the submitter, the receiver and one billing
provider HL, then per claim a subscriber HL, a patient HL when the patient is not the
subscriber, and the claim with its lines.

Line control numbers (REF*6R) come from `line_control_numbers[(encounter_id, index)]`, the
index 0-based; a line without one gets "{encounter_id}-{n}" with n its 1-based line number (LX),
unique within the batch because encounter IDs are. A corrected (frequency 7) or void (8) claim
keeps its encounter ID as CLM01 and names the payer's claim number in REF*F8. BHT03, the batch reference, is the ISA13
control number followed by the ST02 of the transaction: unique per transaction sent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime

from medsheets.config import BillingParty, PracticeInfo
from medsheets.errors import ConfigError
from medsheets.identifiers import TAXONOMY, address_lines, x12_text
from medsheets.model import Encounter, Payer, Provider
from medsheets.x12 import claim_parts as part
from medsheets.x12.claim_loops import ClaimContext, Resubmission, claim_segments, subscriber_loops
from medsheets.x12.cob_loops import Coordination, known_others
from medsheets.x12.envelope import (
    ControlNumbers,
    EnvelopeHeader,
    check_party_ids,
    transaction_control_number,
    write_interchange,
)
from medsheets.x12.errors import ClaimInputError
from medsheets.x12.grammar.schema import HEADER

VERSION = "005010X222A1"
MAX_CLAIMS_PER_TRANSACTION = 5000


def write_837p(
    encounters: Sequence[Encounter],
    *,
    party: BillingParty,
    payers: Mapping[str, Payer],
    control: ControlNumbers,
    now: datetime,
    line_control_numbers: Mapping[tuple[str, int], str],
    providers: Mapping[str, Provider] | None = None,
    resubmissions: Mapping[str, Resubmission] | None = None,
    coordination: Mapping[str, Coordination] | None = None,
) -> str:
    """The 837P interchange for `encounters` (none self-pay: the caller filters them out),
    billed by `party` (`config.billing_party`).

    `providers` is the Providers sheet by NPI: the rendering and referring names and the
    rendering taxonomy on the claim. `resubmissions` marks corrected (7) and void (8) claims by
    encounter id, with the payer claim number they replace (REF*F8); the rest are originals
    (1). `coordination` gives a COB claim (to a secondary) its SBR01 and the primary's
    adjudication by encounter id; any other claim names the secondary its first line has, if
    any (cob_loops). Raises
    ClaimInputError for data the checks should have held back, ConfigError for a configuration
    that cannot fill the envelope, ValueError for an empty or duplicated batch.
    """
    header = EnvelopeHeader(party.submitter.id, party.receiver.id, party.usage,
                            "HC", "837", VERSION)
    problems = check_party_ids(header)
    if problems:
        raise ConfigError(f"medsheets.toml: {problems[0]}")
    _check_batch(encounters)
    ctx = ClaimContext(
        billing_npi=party.practice.npi,
        practice_name=x12_text(party.practice.name, "NM103"),
        default_place_of_service=party.practice.default_place_of_service,
        line_control_numbers=line_control_numbers,
        providers=providers or {},
        resubmissions=resubmissions or {},
    )
    bodies: list[list[str]] = []
    for payer_id, claims in _by_payer(encounters):
        payer = payers.get(payer_id)
        if payer is None:
            raise part.fail(claims[0].first, "payer_id", "is not on the Payers sheet")
        for start in range(0, len(claims), MAX_CLAIMS_PER_TRANSACTION):
            st02 = transaction_control_number(control, len(bodies))
            chunk = claims[start:start + MAX_CLAIMS_PER_TRANSACTION]
            bodies.append(_transaction_body(chunk, payer, payers, party, ctx,
                                            f"{control.interchange:09d}{st02}", now,
                                            coordination or {}))
    return write_interchange(bodies, header=header, control=control, now=now)


def _check_batch(encounters: Sequence[Encounter]) -> None:
    """No empty batch, no self-pay visit, no encounter twice to one payer (it would be billed
    twice; the same encounter to two payers is a void to one and a rebill to the other)."""
    if not encounters:
        raise ValueError("no encounters to bill: write no 837 at all")
    seen: set[tuple[str | None, str]] = set()
    for encounter in encounters:
        if not encounter.lines:
            raise ValueError("an encounter without service lines cannot be billed")
        if encounter.is_self_pay:
            raise ClaimInputError(f"{encounter.first.origin.at('payer_id')}: a self-pay visit was "
                                  "passed to the claim writer; the caller must leave it out")
        key = (encounter.first.payer_id, encounter.encounter_id)
        if key in seen:
            raise part.fail(encounter.first, "encounter_id", "appears twice in one batch")
        seen.add(key)


def _by_payer(encounters: Sequence[Encounter]) -> Iterator[tuple[str, list[Encounter]]]:
    """Encounters grouped by payer ID, payers and claims both in first-seen order."""
    groups: dict[str, list[Encounter]] = {}
    for encounter in encounters:
        groups.setdefault(encounter.first.payer_id or "", []).append(encounter)
    yield from groups.items()


def _transaction_body(
    claims: Sequence[Encounter], payer: Payer, payers: Mapping[str, Payer], party: BillingParty,
    ctx: ClaimContext, reference: str, now: datetime, coordination: Mapping[str, Coordination],
) -> list[str]:
    """Everything between ST and SE for one payer's claims."""
    segments = [part.seg(HEADER, "BHT", "0019", "00", reference, now.strftime("%Y%m%d"), now.strftime("%H%M"), "CH")]
    segments += _submitter_receiver(party)
    segments += _billing_provider(party.practice)
    hl = 2
    for encounter in claims:
        coordinated = coordination.get(encounter.encounter_id) or known_others(encounter, payers)
        segments += subscriber_loops(encounter, payer, hl, coordinated.responsibility)
        segments += claim_segments(encounter, ctx, coordinated)
        hl += 1 if encounter.first.subscriber_relationship == "self" else 2
    return segments


def _submitter_receiver(party: BillingParty) -> list[str]:
    """1000A submitter with its EDI contact, 1000B receiver."""
    submitter, receiver = party.submitter, party.receiver
    phone = _digits(submitter.phone) or _digits(party.practice.phone)
    if not phone:
        raise ConfigError("medsheets.toml: [submitter] phone is needed for the 837 submitter contact")
    name = x12_text(submitter.name, "NM103") or x12_text(party.practice.name, "NM103")
    return [
        part.seg("1000A", "NM1", "41", "2", name, "", "", "", "", "46", submitter.id),
        part.seg("1000A", "PER", "IC", x12_text(submitter.contact, "PER02"), "TE", phone),
        part.seg("1000B", "NM1", "40", "2", x12_text(receiver.name, "NM103") or receiver.id,
                "", "", "", "", "46", receiver.id),
    ]


def _billing_provider(practice: PracticeInfo) -> list[str]:
    """2000A billing provider HL with its taxonomy, 2010AA name, address and tax ID."""
    n301, n302 = address_lines(practice.address)
    city = x12_text(practice.city, "N401")
    if not (n301 and city and x12_text(practice.name, "NM103")):
        raise ConfigError("medsheets.toml: [practice] name, address and city need letters or digits")
    segments = [part.seg("2000A", "HL", "1", "", "20", "1")]
    if practice.taxonomy and not TAXONOMY.match(practice.taxonomy):
        raise ConfigError("medsheets.toml: [practice] taxonomy must be a 10-character code like 207Q00000X")
    if practice.taxonomy:
        segments.append(part.seg("2000A", "PRV", "BI", "PXC", practice.taxonomy))
    return segments + [
        part.seg("2010AA", "NM1", "85", "2", x12_text(practice.name, "NM103"), "", "", "", "", "XX", practice.npi),
        part.seg("2010AA", "N3", n301, n302),
        part.seg("2010AA", "N4", city, practice.state, practice.zip),
        part.seg("2010AA", "REF", "EI", practice.tax_id),
    ]


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())
