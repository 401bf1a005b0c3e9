"""The practice's revenue-cycle measures over the 90 days up to the as-of date (the HFMA MAP
Key definitions where one exists; the aging's KPIs sheet prints each formula beside it).

- days in A/R: what is owed now, divided by the average day's gross charges in the window;
- clean claim rate: of the original claims first sent in the window that were answered, the
  share the clearinghouse or payer accepted without ever rejecting (claims.accepted_at, an
  835 answer, or a 'rejected' event in claim_events);
- denial rate: of the claims a payer adjudicated in the window, the share denied in whole or
  in part, by the payer that answered (a secondary's answers are the secondary's), and the
  reason codes of those denials;
- net collection rate: payments / (charges - contractual (CO) adjustments) in the window;
- A/R over 90 days: the two oldest buckets' share of the total A/R (given by the caller);
- charge lag: days from the date of service to the day the claim was first sent, summed over
  the claims first sent in the window;
- payments per code per payer against the fee schedule: the allowed amount (payer payment +
  patient responsibility) of each line paid in the window compared, as exact integers, with
  the payer's allowed_percent of the practice's fee; lines below it are counted as underpaid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.records import Kind, Party
from medsheets.ledger.reports.buckets import Scope, in_scope
from medsheets.ledger.schema import claim_events, claim_lines, claims, journal
from medsheets.model import Payer, Procedure
from medsheets.money import CENT, to_cents

if TYPE_CHECKING:
    from medsheets.ledger.transaction import Transaction

WINDOW_DAYS = 90
ADJUDICATED = ("paid", "partly_paid", "denied", "line_denied", "forwarded")
DENIED = ("denied", "line_denied")
PPM = 1_000_000  # allowed_percent is compared in millionths, as whole numbers


@dataclass(frozen=True)
class CodePayment:
    """One payer and procedure code: lines paid in the window and how they compare with the fee."""

    payer_id: str
    code: str
    lines: int
    units: int
    charge_cents: int
    paid_cents: int
    patient_cents: int  # patient responsibility (deductible, coinsurance, copay) on these lines
    underpaid_lines: int
    fee: Decimal | None
    allowed_percent: Decimal | None  # a fraction, as codesets.xlsx is read: 0.8 is 80%

    @property
    def allowed_cents(self) -> int:
        return self.paid_cents + self.patient_cents

    @property
    def expected(self) -> Decimal | None:
        """The payer's percentage of the fee for all these units, to the cent."""
        if self.fee is None or self.allowed_percent is None:
            return None
        return (self.fee * self.units * self.allowed_percent).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Kpis:
    """The measures, with the counts behind each so the sheet can show its working."""

    window_start: dt.date  # the first day of the window
    total_ar_cents: int
    charges_cents: int
    payments_cents: int
    contractual_cents: int
    claims_sent: int
    accepted_first_pass: int
    rejected: int
    denials_by_payer: tuple[tuple[str, int, int], ...]  # payer, claims adjudicated, denied
    denials_by_reason: tuple[tuple[str, int], ...]  # reason code, denial answers citing it
    denial_answers: int  # denial events in the window (a claim may be denied more than once)
    code_payments: tuple[CodePayment, ...]
    over_90_cents: int = 0  # A/R in the 91-120 and over-120 buckets
    lag_days: int = 0  # sum over the claims first sent in the window of (sent - service) days
    lag_claims: int = 0

    @property
    def days_in_ar(self) -> Decimal | None:
        if self.charges_cents <= 0:
            return None
        return tenths(Decimal(self.total_ar_cents) * WINDOW_DAYS / self.charges_cents)

    @property
    def clean_claim_rate(self) -> Decimal | None:
        return self.first_pass_rate

    @property
    def denied_claims(self) -> int:
        return sum(d for _, _, d in self.denials_by_payer)

    @property
    def adjudicated_claims(self) -> int:
        return sum(n for _, n, _ in self.denials_by_payer)

    @property
    def denial_rate(self) -> Decimal | None:
        return ratio(self.denied_claims, self.adjudicated_claims)

    @property
    def over_90_rate(self) -> Decimal | None:
        return ratio(self.over_90_cents, self.total_ar_cents)

    @property
    def charge_lag(self) -> Decimal | None:
        """Average days from the date of service to the claim first sent, to a tenth."""
        return tenths(Decimal(self.lag_days) / self.lag_claims) if self.lag_claims else None

    @property
    def first_pass_rate(self) -> Decimal | None:
        return ratio(self.accepted_first_pass, self.accepted_first_pass + self.rejected)

    @property
    def net_collection_rate(self) -> Decimal | None:
        return ratio(self.payments_cents, self.charges_cents - self.contractual_cents)


def tenths(value: Decimal) -> Decimal:
    """To one decimal, halves away from zero (as a spreadsheet's ROUND does)."""
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole to four places (a percentage to two decimals), None when whole is 0."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _window(scope: Scope) -> tuple[dt.date, Any]:
    start = scope.as_of - dt.timedelta(days=WINDOW_DAYS - 1)
    return start, sa.and_(journal.c.effective_date >= start, in_scope(scope))


def _when(condition: Any, value: Any = journal.c.amount_cents) -> Any:
    return sa.func.sum(sa.case((condition, value), else_=0))


def measure(tx: Transaction, scope: Scope, total_ar_cents: int,
            fees: Mapping[str, Procedure], payers: Mapping[str, Payer], *,
            over_90_cents: int = 0) -> Kpis:
    """The measures as of `scope`; `total_ar_cents` and `over_90_cents` (the aging's own
    bucket totals) are what A/R is measured against."""
    conn = tx.conn
    start, in_window = _window(scope)
    money = sa.select(
        _when(journal.c.kind == Kind.CHARGE.value),
        _when(journal.c.kind == Kind.PAYMENT.value),
        _when(sa.and_(journal.c.kind == Kind.ADJUSTMENT.value, journal.c.group_code == "CO")),
    ).where(in_window)
    charges, payments, contractual = (int(v or 0) for v in conn.execute(money).one())
    sent, accepted, rejected = _first_pass(conn, scope, start)
    reasons, answers = _denials_by_reason(conn, scope, start)
    lag_days, lag_claims = _charge_lag(conn, scope, start)
    return Kpis(
        window_start=start, total_ar_cents=total_ar_cents, charges_cents=charges,
        payments_cents=payments, contractual_cents=contractual, claims_sent=sent,
        accepted_first_pass=accepted, rejected=rejected,
        denials_by_payer=_denials_by_payer(conn, scope, start),
        denials_by_reason=reasons, denial_answers=answers,
        code_payments=_code_payments(conn, scope, start, fees, payers),
        over_90_cents=over_90_cents, lag_days=lag_days, lag_claims=lag_claims,
    )


def _charge_lag(conn: sa.Connection, scope: Scope, start: dt.date) -> tuple[int, int]:
    """(days from service to first sent, summed; claims) over the claims first sent in the
    window. Summed here, not in SQL: date arithmetic differs between SQLite and PostgreSQL."""
    end = dt.datetime.combine(scope.as_of + dt.timedelta(days=1), dt.time())
    query = sa.select(claims.c.date_of_service, claims.c.first_billed_at).where(
        claims.c.first_billed_at >= dt.datetime.combine(start, dt.time()),
        claims.c.first_billed_at < end)
    days = count = 0
    for service, sent in conn.execute(query):
        days += (sent.date() - service).days
        count += 1
    return days, count


def _first_pass(conn: sa.Connection, scope: Scope, start: dt.date) -> tuple[int, int, int]:
    """(original claims first sent in the window, accepted first time, ever rejected)."""
    events = (
        sa.select(
            claim_events.c.claim_id,
            sa.func.max(sa.case((claim_events.c.event == "rejected", 1), else_=0)).label("rejected"),
            sa.func.max(sa.case((claim_events.c.event.in_(ADJUDICATED + ("accepted",)), 1),
                                else_=0)).label("answered"),
        )
        .where(claim_events.c.effective_date <= scope.as_of)
        .group_by(claim_events.c.claim_id)
        .subquery("answers")
    )
    end = dt.datetime.combine(scope.as_of + dt.timedelta(days=1), dt.time())
    accepted = sa.or_(claims.c.accepted_at < end, events.c.answered == 1)
    query = (
        sa.select(
            sa.func.count(),
            _when(sa.and_(sa.func.coalesce(events.c.rejected, 0) == 0, accepted), 1),
            _when(events.c.rejected == 1, 1),
        )
        .select_from(claims.outerjoin(events, events.c.claim_id == claims.c.id))
        .where(claims.c.first_billed_at >= dt.datetime.combine(start, dt.time()),
               claims.c.first_billed_at < end)
    )  # every claim is first sent as an original; a later correction (7) stays on its row
    sent, first_time, rejected = conn.execute(query).one()
    return int(sent or 0), int(first_time or 0), int(rejected or 0)


def _adjudication_events(scope: Scope, start: dt.date) -> Any:
    return sa.and_(claim_events.c.effective_date >= start,
                   claim_events.c.effective_date <= scope.as_of)


def _denials_by_payer(conn: sa.Connection, scope: Scope, start: dt.date) -> tuple[tuple[str, int, int], ...]:
    # by the payer that answered (a secondary's answers count for the secondary, not the primary)
    per_claim = (
        sa.select(
            claim_events.c.claim_id, claim_events.c.payer_id,
            sa.func.max(sa.case((claim_events.c.event.in_(DENIED), 1), else_=0)).label("denied"),
        )
        .where(_adjudication_events(scope, start), claim_events.c.event.in_(ADJUDICATED))
        .group_by(claim_events.c.claim_id, claim_events.c.payer_id)
        .subquery("adjudicated")
    )
    payer = sa.func.coalesce(per_claim.c.payer_id, claims.c.payer_id)
    query = (
        sa.select(payer, sa.func.count(), sa.func.sum(per_claim.c.denied))
        .select_from(per_claim.join(claims, claims.c.id == per_claim.c.claim_id))
        .group_by(payer)
        .order_by(payer)
    )
    return tuple((payer or "self-pay", int(n), int(d or 0)) for payer, n, d in conn.execute(query))


def _denials_by_reason(conn: sa.Connection, scope: Scope,
                       start: dt.date) -> tuple[tuple[tuple[str, int], ...], int]:
    query = (
        sa.select(claim_events.c.reason_codes, sa.func.count())
        .where(_adjudication_events(scope, start), claim_events.c.event.in_(DENIED))
        .group_by(claim_events.c.reason_codes)
    )
    counts: dict[str, int] = {}
    answers = 0
    for codes, n in conn.execute(query):
        answers += int(n)
        for code in dict.fromkeys((codes or "unstated").split()):
            counts[code] = counts.get(code, 0) + int(n)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))), answers


def _lookup(mapping: Mapping[str, int], column: Any) -> Any:
    """A value per code or payer id, as a BIGINT (PostgreSQL would overflow INTEGER products)."""
    if not mapping:
        return sa.null()
    return sa.cast(sa.case(mapping, value=column, else_=None), sa.BigInteger)


def _code_payments(conn: sa.Connection, scope: Scope, start: dt.date,
                   fees: Mapping[str, Procedure], payers: Mapping[str, Payer]) -> tuple[CodePayment, ...]:
    payer_payment = sa.and_(journal.c.kind == Kind.PAYMENT.value, journal.c.party == Party.PAYER.value)
    per_line = (
        sa.select(
            journal.c.claim_line_id,
            _when(payer_payment).label("paid"),
            _when(journal.c.kind == Kind.TRANSFER.value).label("patient"),
        )
        .where(journal.c.claim_line_id.is_not(None), in_scope(scope))
        .group_by(journal.c.claim_line_id)
        .having(_when(sa.and_(payer_payment, journal.c.effective_date >= start), 1) > 0)
        .subquery("paid_lines")
    )
    fee_cents = _lookup({code: to_cents(p.fee) for code, p in fees.items()}, claim_lines.c.procedure_code)
    ppm = _lookup({pid: int(p.allowed_percent * PPM) for pid, p in payers.items()
                   if p.allowed_percent is not None}, claims.c.payer_id)
    allowed = per_line.c.paid + per_line.c.patient
    scale = sa.literal(PPM, sa.BigInteger)
    under = sa.case((allowed * scale < fee_cents * claim_lines.c.units * ppm, 1), else_=0)
    query = (
        sa.select(
            claims.c.payer_id, claim_lines.c.procedure_code, sa.func.count(),
            sa.func.sum(claim_lines.c.units), sa.func.sum(claim_lines.c.charge_cents),
            sa.func.sum(per_line.c.paid), sa.func.sum(per_line.c.patient), sa.func.sum(under),
        )
        .select_from(per_line.join(claim_lines, claim_lines.c.id == per_line.c.claim_line_id)
                     .join(claims, claims.c.id == claim_lines.c.claim_id))
        .group_by(claims.c.payer_id, claim_lines.c.procedure_code)
        .order_by(claims.c.payer_id, claim_lines.c.procedure_code)
    )
    found = []
    for payer_id, code, lines, units, charge, paid, patient, underpaid in conn.execute(query):
        fee = fees.get(code)
        payer = payers.get(payer_id)
        found.append(CodePayment(
            payer_id=payer_id, code=code, lines=int(lines), units=int(units or 0),
            charge_cents=int(charge or 0), paid_cents=int(paid or 0),
            patient_cents=int(patient or 0), underpaid_lines=int(underpaid or 0),
            fee=fee.fee if fee else None,
            allowed_percent=payer.allowed_percent if payer else None,
        ))
    return tuple(found)
