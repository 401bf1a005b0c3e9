"""The ledger's subject module for the work before a visit: 270 files and inquiries, the
271 answers (benefits), and the estimates patients were given.

Plain functions over a `Transaction`; the features (`eligibility`, `benefits`, `estimate`, the
claim check and the statements) call these and never write SQL of their own. Money in a
benefits `detail` is integer cents, as everywhere in the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from medsheets.ledger.plain.rows import BenefitsRow, latest_answers
from medsheets.ledger.schema import (
    benefit_responses,
    eligibility_files,
    eligibility_inquiries,
    estimates,
)
from medsheets.ledger.sql import insert_id, utc_now
from medsheets.ledger.transaction import Transaction


@dataclass(frozen=True, slots=True)
class InquiryRow:
    """A question asked in a 270: its trace and who, which payer, which day."""

    id: int
    trace: str
    appointment_id: str
    patient_id: str
    payer_id: str
    member_id: str
    date_of_service: dt.date


@dataclass(frozen=True, slots=True)
class EstimateRow:
    """What a patient was told a visit would cost them."""

    appointment_id: str
    patient_id: str
    payer_id: str | None
    date_of_service: dt.date
    status: str
    patient_cents: int | None
    collect_cents: int | None


def add_eligibility_file(tx: Transaction, run_id: int, file_name: str, interchange: int,
                         content: str) -> int:
    return insert_id(tx.conn, eligibility_files.insert().values(
        run_id=run_id, file_name=file_name, interchange_control=interchange, content=content,
        created_at=utc_now()))


def add_inquiry(tx: Transaction, file_id: int, *, trace: str, appointment_id: str,
                patient_id: str, payer_id: str, member_id: str, date_of_service: dt.date,
                service_types: Iterable[str]) -> int:
    return insert_id(tx.conn, eligibility_inquiries.insert().values(
        file_id=file_id, trace=trace, appointment_id=appointment_id, patient_id=patient_id,
        payer_id=payer_id, member_id=member_id, date_of_service=date_of_service,
        service_types=" ".join(service_types)))


def eligibility_files_missing(tx: Transaction, out_dir: Path) -> list[tuple[str, str]]:
    """(file name, 270 text) of every recorded 270 whose file is not in `out_dir`."""
    rows = tx.conn.execute(sa.select(eligibility_files.c.id, eligibility_files.c.file_name)
                           .order_by(eligibility_files.c.id))
    missing = [file_id for file_id, name in rows if not (out_dir / name).exists()]
    if not missing:
        return []
    found = tx.conn.execute(sa.select(eligibility_files.c.file_name, eligibility_files.c.content)
                            .where(eligibility_files.c.id.in_(missing))
                            .order_by(eligibility_files.c.id))
    return [(name, content) for name, content in found]


def _inquiry(row: Any) -> InquiryRow:
    return InquiryRow(row.id, row.trace, row.appointment_id, row.patient_id, row.payer_id,
                      row.member_id, row.date_of_service)


def inquiries_by_trace(tx: Transaction, traces: Iterable[str]) -> dict[str, InquiryRow]:
    wanted = sorted(set(traces))
    if not wanted:
        return {}
    rows = tx.conn.execute(sa.select(eligibility_inquiries)
                           .where(eligibility_inquiries.c.trace.in_(wanted)))
    return {row.trace: _inquiry(row) for row in rows}


def latest_inquiry_for_member(tx: Transaction, payer_id: str | None,
                              member_id: str | None) -> InquiryRow | None:
    """The newest inquiry to this payer about this member id (for a 271 without our trace)."""
    if not member_id:
        return None
    query = sa.select(eligibility_inquiries).where(eligibility_inquiries.c.member_id == member_id)
    if payer_id:
        query = query.where(eligibility_inquiries.c.payer_id == payer_id)
    row = tx.conn.execute(query.order_by(eligibility_inquiries.c.id.desc()).limit(1)).first()
    return _inquiry(row) if row is not None else None


def benefits_file_seen(tx: Transaction, content_sha256: str) -> bool:
    query = sa.select(benefit_responses.c.id).where(
        benefit_responses.c.content_sha256 == content_sha256).limit(1)
    return tx.conn.execute(query).first() is not None


def add_benefits(tx: Transaction, run_id: int, *, file_name: str, content_sha256: str,
                 position: int, inquiry_id: int | None, trace: str | None,
                 patient_id: str | None, payer_id: str | None, member_id: str | None,
                 status: str, plan_begin: dt.date | None, plan_end: dt.date | None,
                 date_of_service: dt.date | None, received_on: dt.date,
                 detail: Mapping[str, Any]) -> int:
    return insert_id(tx.conn, benefit_responses.insert().values(
        run_id=run_id, file_name=file_name, content_sha256=content_sha256, position=position,
        inquiry_id=inquiry_id, trace=trace, patient_id=patient_id, payer_id=payer_id,
        member_id=member_id, status=status, plan_begin=plan_begin, plan_end=plan_end,
        date_of_service=date_of_service, received_on=received_on, detail=dict(detail),
        created_at=utc_now()))


def latest_benefits(tx: Transaction, *, as_of: dt.date,
                    patient_ids: Iterable[str] | None = None) -> dict[tuple[str, str], BenefitsRow]:
    """The newest answer received on or before `as_of` per (patient_id, payer_id)."""
    query = latest_benefits_statement()
    params: dict[str, Any] = {"as_of": as_of}
    if patient_ids is not None:
        query = query.where(benefit_responses.c.patient_id.in_(sa.bindparam("patient_ids", expanding=True)))
        params["patient_ids"] = sorted(set(patient_ids))
    return latest_answers(tx.conn.execute(query, params))


def latest_benefits_statement() -> sa.Select[Any]:
    """Every answer about a patient and payer received on or before `as_of` (a bound date),
    in the order recorded: the newest last."""
    c = benefit_responses.c
    return (sa.select(benefit_responses)
            .where(c.received_on <= sa.bindparam("as_of", type_=sa.Date), c.patient_id.is_not(None),
                   c.payer_id.is_not(None))
            .order_by(c.id))


def add_estimate(tx: Transaction, run_id: int, *, appointment_id: str, patient_id: str,
                 payer_id: str | None, date_of_service: dt.date, as_of: dt.date, status: str,
                 charge_cents: int, insurance_cents: int | None, patient_cents: int | None,
                 collect_cents: int | None, gfe_file: str | None) -> int:
    return insert_id(tx.conn, estimates.insert().values(
        run_id=run_id, appointment_id=appointment_id, patient_id=patient_id, payer_id=payer_id,
        date_of_service=date_of_service, as_of=as_of, status=status, charge_cents=charge_cents,
        insurance_cents=insurance_cents, patient_cents=patient_cents,
        collect_cents=collect_cents, gfe_file=gfe_file, created_at=utc_now()))


def latest_estimates(tx: Transaction, patient_ids: Iterable[str], *,
                     before: dt.datetime | None = None) -> dict[tuple[str, dt.date], EstimateRow]:
    """The newest estimate per (patient_id, date of service) for these patients (made at or
    before `before`, when given)."""
    wanted = sorted(set(patient_ids))
    if not wanted:
        return {}
    c = estimates.c
    query = sa.select(estimates).where(c.patient_id.in_(wanted))
    if before is not None:
        query = query.where(c.created_at <= before)
    found: dict[tuple[str, dt.date], EstimateRow] = {}
    for row in tx.conn.execute(query.order_by(c.id)):
        found[(row.patient_id, row.date_of_service)] = EstimateRow(
            row.appointment_id, row.patient_id, row.payer_id, row.date_of_service, row.status,
            row.patient_cents, row.collect_cents)
    return found


def asked_before(tx: Transaction, keys: Iterable[tuple[str, str, str, dt.date]],
                 ) -> set[tuple[str, str, str, dt.date]]:
    """Which (patient_id, payer_id, member_id, date of service) were already asked about."""
    wanted = set(keys)
    if not wanted:
        return set()
    c = eligibility_inquiries.c
    rows = tx.conn.execute(sa.select(c.patient_id, c.payer_id, c.member_id, c.date_of_service)
                           .where(c.patient_id.in_(sorted({k[0] for k in wanted}))))
    return {tuple(row) for row in rows} & wanted  # type: ignore[misc]
