"""`medsheets estimate APPTS… [--as-of D] [--email]`: what each patient will owe, before the visit.

1. hold the practice; read the appointments and, from the ledger, each patient's latest
   benefits answer received on or before `as_of`;
2. price every appointment (`price.estimate_visit`: pure) and render a Good Faith Estimate
   PDF for every self-pay one, in memory;
3. in ONE transaction record the run and each estimate (what the patient was told: the
   statements and the claim check read it later); commit;
4. only then write `out/estimates/estimates-DATE.xlsx`, the `gfe-APPOINTMENT.pdf` files and,
   with `email`, a message per GFE in `out/outbox/` (atomically, owner-only).

Killed before 3 nothing happened; killed during 4, running it again writes the same files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from medsheets.benefits.run import coverage_answers
from medsheets.command import command_session
from medsheets.eligibility.appointments import AppointmentBook, read_appointments
from medsheets.estimate.book import write_estimates_book
from medsheets.estimate.gfe import gfe_file_name, gfe_messages, render_gfes
from medsheets.estimate.price import SELF_PAY, VisitEstimate, estimate_visit
from medsheets.files import write_atomic
from medsheets.ledger import Transaction
from medsheets.ledger import eligibility as store
from medsheets.ledger.eligibility import EstimateRow
from medsheets.money import to_cents
from medsheets.practice import Practice
from medsheets.practice_files import file_sha256, load_codesets

COMMAND = "estimate"


@dataclass
class EstimateResult:
    """What one `estimate` run priced, flagged and wrote."""

    as_of: dt.date
    book: AppointmentBook = field(default_factory=AppointmentBook)
    estimates: list[VisitEstimate] = field(default_factory=list)
    file: Path | None = None
    gfe_files: list[Path] = field(default_factory=list)
    emails: list[Path] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)  # self-pay appointments without an address
    unchanged: list[str] = field(default_factory=list)  # told the same before: not recorded again

    @property
    def has_errors(self) -> bool:
        return self.book.has_errors


def make_estimates(practice: Practice, paths: Sequence[Path], *, as_of: dt.date,
                   now: dt.datetime, email: bool = False) -> EstimateResult:
    """Estimate the appointments of `paths` as of `as_of`; see the module doc."""
    result = EstimateResult(as_of)
    config = practice.config
    codesets = load_codesets(practice).codesets
    inputs = [(path.name, file_sha256(path)) for path in paths]
    out_dir = practice.output_dir("estimates")
    with command_session(practice, COMMAND) as session:
        with session.reading() as tx:
            known = tx.patient_profiles()
            result.book = read_appointments(
                paths, codesets, aliases=config.columns, profiles=known,
                default_place_of_service=config.practice.default_place_of_service)
            ready = result.book.ready
            patient_ids = [v.first.patient_id or "" for v in ready]
            answers = coverage_answers(tx, as_of=as_of, patient_ids=patient_ids)
            told = store.latest_estimates(tx, patient_ids)
        for visit in ready:
            terms = answers.get((visit.first.patient_id or "", visit.first.payer_id or ""))
            result.estimates.append(estimate_visit(visit, codesets, terms))
        self_pay = [e for e in result.estimates if e.status == SELF_PAY and e.lines]
        pdfs = render_gfes(self_pay, config, codesets, as_of, practice.root)
        with session.run(inputs, as_of=as_of) as run:
            for estimate in result.estimates:
                if _same_as_told(estimate, told):
                    result.unchanged.append(estimate.visit.encounter_id)
                else:
                    _record(run.tx, run.id, estimate, as_of, pdfs)
            run.counts.update({"estimates": len(result.estimates),
                               "good_faith_estimates": len(pdfs),
                               "held": len(result.book.held)})
    names = {key: gfe_file_name(key) for key in pdfs}
    for key, data in pdfs.items():
        result.gfe_files.append(write_atomic(out_dir / names[key], data))
    if result.estimates:
        result.file = write_estimates_book(out_dir / f"estimates-{as_of.isoformat()}.xlsx",
                                           result.estimates, names)
    if email and pdfs:
        messages, result.no_email = gfe_messages(pdfs, self_pay, config, as_of, now, practice.root)
        outbox = practice.output_dir("outbox")
        for key, built in messages.items():
            result.emails.append(write_atomic(outbox / f"gfe-{key}.eml", built.as_bytes()))
    return result


def _record(tx: Transaction, run_id: int, estimate: VisitEstimate, as_of: dt.date,
            pdfs: dict[str, bytes]) -> None:
    first = estimate.visit.first
    assert first.patient_id is not None and first.date_of_service is not None  # checked
    key = estimate.visit.encounter_id
    store.add_estimate(
        tx, run_id, appointment_id=key, patient_id=first.patient_id,
        payer_id=first.payer_id, date_of_service=first.date_of_service, as_of=as_of,
        status=estimate.status, charge_cents=to_cents(estimate.charge),
        insurance_cents=_cents(estimate.insurance), patient_cents=_cents(estimate.patient),
        collect_cents=_cents(estimate.collect),
        gfe_file=gfe_file_name(key) if key in pdfs else None)


def _same_as_told(estimate: VisitEstimate, told: Mapping[tuple[str, dt.date], EstimateRow]) -> bool:
    """Whether the ledger's latest estimate for this visit already says exactly this."""
    first = estimate.visit.first
    row = told.get((first.patient_id or "", first.date_of_service or dt.date.min))
    return row is not None and (row.appointment_id, row.status, row.patient_cents,
                                row.collect_cents) == (estimate.visit.encounter_id,
                                                       estimate.status, _cents(estimate.patient),
                                                       _cents(estimate.collect))


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else to_cents(amount)
