"""The statement arithmetic: rows, reasons, the last zero day, aging (pure, no ledger)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from medsheets.config import Statements
from medsheets.invoices.account import age_balance, build_account, last_zero_day
from medsheets.invoices.compose import file_stem, in_cycle, message_for
from medsheets.invoices.cycle import parse_cycle
from medsheets.ledger import Kind, Party
from medsheets.ledger.statements import Posting, ServiceFact, StatementRecord

AS_OF = dt.date(2026, 11, 30)
D = Decimal
SERVICES = {
    1: ServiceFact(1, 10, dt.date(2026, 9, 1), "99213", 1, "BCBS"),
    2: ServiceFact(2, 10, dt.date(2026, 9, 1), "J3301", 4, "BCBS"),
    3: ServiceFact(3, 11, dt.date(2026, 11, 20), "99212", 1, None),
}
_ids = iter(range(1, 10_000))


def p(kind: Kind, party: Party, amount: str, line: int | None, day: dt.date,
      reason: str | None = None, payer: str | None = "BCBS") -> Posting:
    claim = SERVICES[line].claim_id if line else None
    return Posting(next(_ids), claim, line, kind, party, payer if party is Party.PAYER
                   or kind is Kind.TRANSFER else None, D(amount),
                   "PR" if kind is Kind.TRANSFER else None, reason, day)


def account(postings: list[Posting]):
    return build_account("P1", postings, SERVICES, AS_OF, lambda code: f"desc {code}",
                         lambda payer: f"payer {payer}")


PAID_ON = dt.date(2026, 10, 1)
ADJUDICATED = [
    p(Kind.CHARGE, Party.PAYER, "200.00", 1, dt.date(2026, 9, 1)),
    p(Kind.PAYMENT, Party.PATIENT, "25.00", 1, dt.date(2026, 9, 1)),  # copay at the desk
    p(Kind.PAYMENT, Party.PAYER, "95.00", 1, PAID_ON),
    p(Kind.ADJUSTMENT, Party.PAYER, "40.00", 1, PAID_ON),
    p(Kind.TRANSFER, Party.PATIENT, "25.00", 1, PAID_ON, reason="3"),
    p(Kind.TRANSFER, Party.PATIENT, "40.00", 1, PAID_ON, reason="1"),
]


def test_a_row_shows_what_insurance_paid_adjusted_and_left_and_why() -> None:
    result = account(ADJUDICATED)
    assert result.balance == D("40.00") and result.earlier == 0
    (row,) = result.rows
    assert (row.charge, row.insurance_paid, row.adjustments, row.patient_paid, row.balance,
            row.pending) == (D("200.00"), D("95.00"), D("40.00"), D("25.00"), D("40.00"), 0)
    assert row.reasons == (("Copay", D("25.00")), ("Deductible", D("40.00")))
    assert row.description == "desc 99213" and row.payer_name == "payer BCBS"
    assert result.reason_labels == ("Deductible", "Copay")
    assert result.aging.days_31_60 == D("40.00") and result.aging.total == D("40.00")


def test_any_other_patient_responsibility_reason_reads_not_covered() -> None:
    entries = ADJUDICATED[:4] + [
        p(Kind.TRANSFER, Party.PATIENT, "65.00", 1, PAID_ON, reason="96"),
        p(Kind.TRANSFER, Party.PATIENT, "5.00", 1, PAID_ON, reason=None),
    ]
    (row,) = account(entries).rows
    assert row.reasons == (("Not covered by your plan", D("65.00")),
                           ("Not paid by your insurance", D("5.00")))


def test_a_line_still_with_the_payer_is_pending_and_a_prepaid_copay_is_a_credit() -> None:
    result = account(ADJUDICATED[:2] + [
        p(Kind.CHARGE, Party.PAYER, "80.00", 2, dt.date(2026, 9, 1)),
    ])
    assert result.balance == D("-25.00")
    assert sum(row.pending for row in result.rows) == D("280.00")
    assert result.rows[1].description == "desc J3301 (4 units)"


def test_services_before_the_balance_was_last_zero_are_left_off() -> None:
    old = ADJUDICATED + [
        p(Kind.PAYMENT, Party.PATIENT, "40.00", None, dt.date(2026, 10, 15)),  # paid in full
    ]
    new = [p(Kind.CHARGE, Party.PATIENT, "90.00", 3, dt.date(2026, 11, 20), payer=None)]
    result = account(old + new)
    assert result.zero_on == dt.date(2026, 10, 15)
    assert [r.description for r in result.rows] == ["desc 99212"]
    assert result.rows[0].self_pay and result.balance == D("90.00") and result.earlier == 0


def test_what_the_shown_rows_do_not_explain_is_an_earlier_balance() -> None:
    # A payment on account settles line 1; later the payer takes back 10.00 of the deductible.
    entries = ADJUDICATED + [
        p(Kind.PAYMENT, Party.PATIENT, "40.00", None, dt.date(2026, 10, 15)),
        p(Kind.TRANSFER, Party.PATIENT, "-10.00", 1, dt.date(2026, 11, 2), reason="1"),
    ]
    result = account(entries)
    assert result.balance == D("-10.00")
    assert sum(r.balance for r in result.rows) + result.earlier == result.balance
    assert result.earlier == D("-40.00")


def test_aging_settles_the_oldest_amounts_first() -> None:
    entries = [
        p(Kind.CHARGE, Party.PATIENT, "100.00", 3, dt.date(2026, 7, 1), payer=None),  # 152 days
        p(Kind.CHARGE, Party.PATIENT, "50.00", 3, dt.date(2026, 9, 15), payer=None),  # 76 days
        p(Kind.CHARGE, Party.PATIENT, "30.00", 3, dt.date(2026, 11, 10), payer=None),  # 20 days
        p(Kind.PAYMENT, Party.PATIENT, "120.00", None, dt.date(2026, 11, 25)),
    ]
    aging = age_balance(entries, AS_OF)
    assert (aging.current, aging.days_31_60, aging.days_61_90, aging.over_90) == (
        D("30.00"), D("0.00"), D("30.00"), D("0.00"))


def test_a_credit_balance_ages_to_nothing() -> None:
    aging = age_balance([p(Kind.PAYMENT, Party.PATIENT, "20.00", None, AS_OF)], AS_OF)
    assert aging.total == 0


amounts = st.decimals(min_value=D("-500"), max_value=D("500"), places=2)


def _move(move: str, amount: D, day: dt.date) -> Posting:
    if move == "charge":
        return p(Kind.CHARGE, Party.PAYER, str(abs(amount)), 1, day)
    if move == "pay":
        return p(Kind.PAYMENT, Party.PATIENT, str(amount), 1, day)
    if move == "transfer":
        return p(Kind.TRANSFER, Party.PATIENT, str(amount), 2, day, "2")
    if move == "adjust":
        return p(Kind.ADJUSTMENT, Party.PAYER, str(amount), 2, day)
    return p(Kind.PAYMENT, Party.PATIENT, str(amount), None, day)


@given(st.lists(st.tuples(st.sampled_from(["charge", "pay", "transfer", "adjust", "account"]),
                          amounts, st.integers(0, 120)), max_size=25))
def test_rows_and_earlier_always_add_up_to_the_balance(moves: list[tuple[str, D, int]]) -> None:
    entries = [_move(move, amount, AS_OF - dt.timedelta(days=days_ago))
               for move, amount, days_ago in moves]
    result = account(entries)
    assert result.balance == sum((e.patient_share for e in entries), D("0.00"))
    assert sum((r.balance for r in result.rows), D("0.00")) + result.earlier == result.balance
    for row in result.rows:
        assert row.charge - row.insurance_paid - row.adjustments - row.patient_paid == (
            row.balance + row.pending)
    assert result.aging.total == max(result.balance, D("0.00"))
    assert last_zero_day(entries) is None or result.zero_on is not None


def record(day: dt.date) -> StatementRecord:
    return StatementRecord(1, "P1", day, D("40.00"), 1, "x.pdf", dt.datetime(2026, 1, 1))


def test_one_statement_a_cycle_and_the_messages_escalate() -> None:
    settings = Statements(due_days=30, messages=("", "Past due.", "Final notice."))
    history = [record(dt.date(2026, 11, 10))]
    cycle = parse_cycle("", settings.due_days)  # the default: every due_days, per account
    last = in_cycle(history, None, AS_OF)[-1].statement_date
    assert cycle.next_due(last, AS_OF, True) == dt.date(2026, 12, 10)
    assert cycle.next_due(last, dt.date(2026, 12, 10), True) is None
    # Paid down to zero after that statement: a new cycle starts at once.
    assert in_cycle(history, dt.date(2026, 11, 12), AS_OF) == []
    assert cycle.next_due(None, AS_OF, True) is None
    assert [message_for(n, settings) for n in (1, 2, 3, 4)] == [
        "", "Past due.", "Final notice.", "Final notice."]


def test_file_names_carry_the_account_and_date_only_and_stay_inside_the_folder() -> None:
    assert file_stem("001027", AS_OF) == "statement-001027-2026-11-30"
    odd = file_stem("../../etc/passwd", AS_OF)
    assert "/" not in odd and ".." not in odd and odd.startswith("statement-______etc_passwd-")
    assert odd != file_stem("__/__/etc/passwd", AS_OF)
