"""The 276 claim-status request (005010X212): one inquiry per claim nobody has answered.

Layout: one ISA/GS (GS01 HR); one ST per payer. In each: BHT (0010, 13: a request), the payer
as information source (2000A/2100A, NM1*PR with its payer id), the practice as information
receiver (2000B/2100B, NM1*41 with the submitter id) and as service provider (2000C/2100C,
NM1*1P with its NPI); then per claim the subscriber (2000D: HL 22, DMG when the subscriber is
the patient, NM1*IL with the member id) and, when the patient is a dependent, the dependent
(2000E: HL 23, DMG, NM1*QC), and the claim (2200D/E): TRN*1 with our encounter id as the trace
number (the 277 answers with it), REF*1K the payer's claim number when known, REF*EJ the
patient account (our encounter id), AMT*T3 the total charge and DTP*472 the dates of service.

Like the 837 writer, a pure function: `now` and the control numbers come from the caller;
every segment is checked against the declared grammar (x12/grammar/x276.py) as it is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from medsheets.config import Config
from medsheets.money import x12_amount
from medsheets.x12.envelope import (
    ControlNumbers,
    EnvelopeHeader,
    transaction_control_number,
    write_interchange,
)
from medsheets.x12.grammar import X276, checked
from medsheets.x12.grammar.schema import HEADER
from medsheets.identifiers import x12_text

VERSION = "005010X212"


@dataclass(frozen=True)
class StatusInquiry:
    """What a 276 asks about one claim: the payer, the insured (and the patient when a
    dependent), our encounter id, the payer's claim number if known, charge and dates."""

    payer_id: str
    payer_name: str
    encounter_id: str
    member_id: str
    subscriber_name: tuple[str, str]  # (last, first), as the 837 sent them
    patient_name: tuple[str, str] | None  # None: the patient is the subscriber
    patient_dob: dt.date | None
    patient_sex: str
    charge: Decimal
    first_day: dt.date
    last_day: dt.date
    payer_claim_number: str = ""


def write_276(inquiries: Sequence[StatusInquiry], *, config: Config, control: ControlNumbers,
              now: dt.datetime) -> str:
    """The 276 interchange for `inquiries` (at least one), grouped by payer."""
    header = EnvelopeHeader(config.submitter.id, config.receiver.id, config.x12.usage,
                            "HR", "276", VERSION)
    by_payer: dict[str, list[StatusInquiry]] = {}
    for inquiry in inquiries:
        by_payer.setdefault(inquiry.payer_id, []).append(inquiry)
    bodies = []
    for index, claims in enumerate(by_payer.values()):
        reference = f"{control.interchange:09d}{transaction_control_number(control, index)}"
        bodies.append(_body(claims, config, reference, now))
    return write_interchange(bodies, header=header, control=control, now=now)


def _body(claims: Sequence[StatusInquiry], config: Config, reference: str,
          now: dt.datetime) -> list[str]:
    payer = claims[0]
    practice = x12_text(config.practice.name, "NM103")
    segments = [
        checked(X276, HEADER, "BHT", "0010", "13", reference, now.strftime("%Y%m%d"), now.strftime("%H%M")),
        checked(X276, "2000A", "HL", "1", "", "20", "1"),
        checked(X276, "2100A", "NM1", "PR", "2", x12_text(payer.payer_name, "NM103") or payer.payer_id,
                "", "", "", "", "PI", payer.payer_id),
        checked(X276, "2000B", "HL", "2", "1", "21", "1"),
        checked(X276, "2100B", "NM1", "41", "2", x12_text(config.submitter.name, "NM103") or practice,
                "", "", "", "", "46", config.submitter.id),
        checked(X276, "2000C", "HL", "3", "2", "19", "1"),
        checked(X276, "2100C", "NM1", "1P", "2", practice, "", "", "", "", "XX", config.practice.npi),
    ]
    hl = 4
    for claim in claims:
        dependent = claim.patient_name is not None
        segments.append(checked(X276, "2000D", "HL", str(hl), "3", "22", "1" if dependent else "0"))
        if not dependent and claim.patient_dob is not None:
            segments.append(_dmg(claim, "2000D"))
        last, first = claim.subscriber_name
        segments.append(checked(X276, "2100D", "NM1", "IL", "1", last, first, "", "", "", "MI",
                                claim.member_id))
        if dependent:
            assert claim.patient_name is not None
            segments.append(checked(X276, "2000E", "HL", str(hl + 1), str(hl), "23", "0"))
            if claim.patient_dob is not None:
                segments.append(_dmg(claim, "2000E"))
            last, first = claim.patient_name
            segments.append(checked(X276, "2100E", "NM1", "QC", "1", last, first))
        segments += _claim(claim, "2200E" if dependent else "2200D")
        hl += 2 if dependent else 1
    return segments


def _dmg(claim: StatusInquiry, level: str) -> str:
    assert claim.patient_dob is not None
    sex = claim.patient_sex if claim.patient_sex in ("M", "F") else "U"
    return checked(X276, level, "DMG", "D8", claim.patient_dob.strftime("%Y%m%d"), sex)


def _claim(claim: StatusInquiry, loop_id: str) -> list[str]:
    segments = [checked(X276, loop_id, "TRN", "1", claim.encounter_id)]
    if claim.payer_claim_number:
        segments.append(checked(X276, loop_id, "REF", "1K", claim.payer_claim_number))
    segments.append(checked(X276, loop_id, "REF", "EJ", claim.encounter_id))
    segments.append(checked(X276, loop_id, "AMT", "T3", x12_amount(claim.charge)))
    if claim.first_day == claim.last_day:
        segments.append(checked(X276, loop_id, "DTP", "472", "D8", claim.first_day.strftime("%Y%m%d")))
    else:
        segments.append(checked(X276, loop_id, "DTP", "472", "RD8",
                                f"{claim.first_day:%Y%m%d}-{claim.last_day:%Y%m%d}"))
    return segments
