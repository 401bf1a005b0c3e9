"""A primary's paper EOB (the payments workbook) kept as its adjudication, for the secondary.

An 835's adjudication is kept with its `remit_claims` row (adjudication.py), which is where
`claims` finds what to bill a secondary and where the secondary's 835 learns that the primary
has already posted. A paper EOB posted by `medsheets payments` for a claim with a further
insurance is kept the same way: one `remittances` row for the EOB reference (payer key
`eob:<payer>`, trace number the reference), one `remit_claims` row (CLP02 1) per claim it
paid or moved to the patient, its journal entries linked to it, and the adjudication as the
EOB's entries say it line by line: what was paid, and each adjustment with its group and
reason (what the EOB gave for the whole claim is on the lines it was placed on).

A claim the EOB denied (nothing paid, nothing to the patient) is not adjudicated: there is
nothing for a secondary to pay, as after an 835 denial.

A secondary's EOB is kept the same way under its own payer, with CLP02 2 (3 for a tertiary):
that adjudication is what ends the claim's wait for the secondary (ledger/cob.py), as its
835 would, and what a tertiary's COB claim carries. Its entries are posted after the primary
(its PR is the patient's already, its OA-23 not posted), so they do not say what it decided:
its adjudication is the EOB's rows as typed (`stated`, from `stated_adjudication`), each line's
payment and every adjustment with its group and reason, as its 835 would have given them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from medsheets.ledger import ClaimRow, JournalEntry, Kind, LineRow, Party, Transaction
from medsheets.ledger.cob import coverages
from medsheets.ledger.remittances import add_eob_claim, add_paper_eob, link_eob_sources

ZERO = Decimal("0.00")


def keep_eob_adjudications(tx: Transaction, run_id: int, *, file: str, reference: str,
                           claims: Mapping[int, ClaimRow], lines: Mapping[int, Sequence[LineRow]],
                           entries: Sequence[JournalEntry], journal_ids: Sequence[int],
                           ranks: Mapping[int, int] | None = None,
                           payer_id: str | None = None,
                           stated: Mapping[int, dict[str, Any]] | None = None) -> int:
    """Keep the EOB's adjudication of each of its claims that has a further insurance (or
    whose further insurance's EOB it is: `ranks`, `payer_id`, and `stated` its adjudication
    as the rows say it); how many."""
    ranks = ranks or {}
    further = coverages(tx, claims)
    by_claim: dict[int, list[tuple[JournalEntry, int]]] = {}
    for entry, journal_id in zip(entries, journal_ids):
        if entry.claim_id in further or ranks.get(entry.claim_id or 0, 1) > 1:
            by_claim.setdefault(entry.claim_id, []).append((entry, journal_id))
    if not by_claim:
        return 0
    claim_id = next(iter(by_claim))
    day = by_claim[claim_id][0][0].effective_date  # one EOB: one date (the EOB sheet's)
    paid = sum((e.amount for posted in by_claim.values() for e, _ in posted
                if e.kind is Kind.PAYMENT), ZERO)
    remittance_id = add_paper_eob(tx, run_id, file=file, reference=reference,
                                  payer_id=payer_id or claims[claim_id].payer_id or "", paid=paid,
                                  day=day)
    for claim_id, posted in by_claim.items():
        detail = ((stated or {}).get(claim_id)
                  or eob_adjudication([e for e, _ in posted], lines[claim_id], day))
        remit_claim_id = add_eob_claim(tx, remittance_id, claims[claim_id], detail,
                                       str(ranks.get(claim_id, 1)))
        link_eob_sources(tx, [journal_id for _, journal_id in posted], remit_claim_id)
    return len(by_claim)


def eob_adjudication(entries: Sequence[JournalEntry], lines: Sequence[LineRow],
                     day: dt.date | None) -> dict[str, Any]:
    """The EOB's entries on one claim as adjudication.py's JSON (its `adjudication` key)."""
    by_line: dict[str, Any] = {}
    patient = total_paid = ZERO
    for index, line in enumerate(lines):
        mine = [e for e in entries if e.claim_line_id == line.id]
        if not mine:
            continue
        paid = sum((e.amount for e in mine if e.kind is Kind.PAYMENT), ZERO)
        cas = [[e.group_code or ("PR" if e.party is Party.PATIENT else "CO"), e.reason_code or "",
                str(e.amount)] for e in mine if e.kind is not Kind.PAYMENT]
        patient += sum((e.amount for e in mine if e.kind is Kind.TRANSFER), ZERO)
        total_paid += paid
        by_line[str(index)] = {"paid": str(paid), "charge": str(line.charge),
                               "code": line.procedure_code, "modifiers": list(line.modifiers),
                               "units": str(line.units), "cas": cas}
    return {"adjudication": {
        "date": (day or dt.date.min).isoformat(), "paid": str(total_paid),
        "charge": str(sum((line.charge for line in lines), ZERO)), "claim_cas": [],
        "remarks": [], "patient_owes": str(patient), "forwarded_to": None, "lines": by_line},
        "paper_eob": True}


Stated = tuple[LineRow | None, Decimal, Sequence[tuple[str, str, Decimal]]]


def stated_adjudication(lines: Sequence[LineRow], rows: Sequence[Stated],
                        day: dt.date | None) -> dict[str, Any]:
    """A further payer's EOB rows on one claim as adjudication.py's JSON: per row its line
    (None: the whole claim), what it paid, its (group, reason, amount) adjustments as typed."""
    index_of = {line.id: index for index, line in enumerate(lines)}
    by_line: dict[str, Any] = {}
    claim_cas: list[list[str]] = []
    paid_total = patient = ZERO
    for line, paid, adjustments in rows:
        cas = [[group, reason, str(amount)] for group, reason, amount in adjustments]
        patient += sum((amount for group, _, amount in adjustments if group == "PR"), ZERO)
        paid_total += paid
        if line is None:
            claim_cas += cas
            continue
        known = by_line.setdefault(str(index_of[line.id]), {
            "paid": "0", "charge": str(line.charge), "code": line.procedure_code,
            "modifiers": list(line.modifiers), "units": str(line.units), "cas": []})
        known["paid"] = str(Decimal(known["paid"]) + paid)
        known["cas"] += cas
    return {"adjudication": {
        "date": (day or dt.date.min).isoformat(), "paid": str(paid_total),
        "charge": str(sum((line.charge for line in lines), ZERO)), "claim_cas": claim_cas,
        "remarks": [], "patient_owes": str(patient), "forwarded_to": None, "lines": by_line},
        "paper_eob": True}
