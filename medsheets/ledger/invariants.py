"""What must hold of the journal, checked before every commit and by `medsheets verify`.

As in beancount's ops/validation.py, the rules are a list of plain check functions, each one
SQL aggregate that returns the breaches it finds. `Ledger.transaction()` runs them over the
claims and patients the transaction's runs touched before it commits (a breach rolls the
whole run back); `medsheets verify` runs them over the whole ledger.

The rules (docs/ledger.md):

- a reversal nets to zero with its original: the same entry, the amount negated;
- every entry agrees with its claim: its line is on its claim, its patient is the claim's
  patient, and a payer entry or transfer names the claim's payer (or a payer it was billed to
  before it was rebilled to another: the `rebilled` claim event names that payer);
- a claim's charge entries are the charge of its lines (nothing, once the claim is void), so
  its payments + adjustments + patient share + payer share add up to its charge;
- no payment is posted twice: the same amount, from the same party, under the same reference
  (an 835's trace number, a check number, a receipt), on the same line or account, with
  neither reversed;
- the patient's and the payers' shares add up to what is owed, per claim and per account;
- no line owes less than nothing. This one `verify` reports but a run may do: the ledger
  records what a payer actually paid, an overpayment included, and the run's report lists
  the credit for the office to refund. So it is not checked before a commit.

A breach names the rule, the entry (or claim or line) by id, and amounts: never a patient's
name, birth date or address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from medsheets.ledger.balances import OWED, PATIENT_SHARE, PAYER_SHARE
from medsheets.ledger.errors import LedgerError
from medsheets.ledger.events import REBILLED
from medsheets.ledger.records import ClaimStatus, Kind, Party
from medsheets.ledger.schema import claim_coverages, claim_events, claim_lines, claims, journal
from medsheets.money import format_money, from_cents

if TYPE_CHECKING:
    from medsheets.ledger.store import Ledger


@dataclass(frozen=True, slots=True)
class Breach:
    """One place where a rule does not hold: the rule, what it is about (by id), the detail."""

    rule: str
    about: str  # "entry 41", "claim 7 line 12", ...
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.about}: {self.detail}"


class InvariantError(LedgerError):
    """A run would leave the ledger breaking one of its rules; nothing of it was committed."""


# A scope limits a check to the claims and accounts that entries of some runs touch
# (None: the whole ledger).
Scope = Iterable[int] | None


def _runs(scope: Scope) -> list[int] | None:
    return None if scope is None else sorted(set(scope))


def _claims_in(runs: list[int] | None, column: Any) -> Any:
    """`column` restricted to the claims the runs' entries are on (always true without runs)."""
    if runs is None:
        return sa.true()
    touched = sa.select(journal.c.claim_id).where(journal.c.run_id.in_(runs))
    return column.in_(touched.scalar_subquery())


def _money(cents: Any) -> str:
    return format_money(from_cents(int(cents or 0)))


def reversals_net_to_zero(conn: sa.Connection, scope: Scope) -> list[Breach]:
    """A reversal is its original with the amount negated: same kind, party, claim, line,
    patient and payer; and an entry reversed is not itself a reversal."""
    runs = _runs(scope)
    original = journal.alias("original")
    j, o = journal.c, original.c
    same = sa.and_(
        j.amount_cents + o.amount_cents == 0, j.kind == o.kind, j.party == o.party,
        j.patient_id == o.patient_id, o.reverses_id.is_(None),
        sa.or_(j.claim_id == o.claim_id, sa.and_(j.claim_id.is_(None), o.claim_id.is_(None))),
        sa.or_(j.claim_line_id == o.claim_line_id,
               sa.and_(j.claim_line_id.is_(None), o.claim_line_id.is_(None))),
        sa.or_(j.payer_id == o.payer_id, sa.and_(j.payer_id.is_(None), o.payer_id.is_(None))),
    )
    query = (sa.select(j.id, j.reverses_id, j.amount_cents, o.amount_cents.label("original"))
             .select_from(journal.join(original, o.id == j.reverses_id))
             .where(~same).order_by(j.id))
    if runs is not None:
        query = query.where(j.run_id.in_(runs))
    return [Breach("reversal", f"entry {row.id}",
                   f"reverses entry {row.reverses_id} ({_money(row.original)}) with "
                   f"{_money(row.amount_cents)}, not its exact negation")
            for row in conn.execute(query)]


def entries_agree_with_their_claim(conn: sa.Connection, scope: Scope) -> list[Breach]:
    """Every entry's line is on its claim, its patient is the claim's, its payer the claim's
    (or one of the claim's further insurances: a secondary's payment)."""
    runs = _runs(scope)
    j, c, line = journal.c, claims.c, claim_lines.c
    owed_by_payer = sa.or_(j.party == Party.PAYER.value, j.kind == Kind.TRANSFER.value)
    billed_before = sa.exists().where(  # a payer the claim was rebilled away from
        claim_events.c.claim_id == j.claim_id, claim_events.c.event == REBILLED,
        claim_events.c.payer_id == j.payer_id)
    further = sa.exists().where(claim_coverages.c.claim_id == j.claim_id,
                                claim_coverages.c.payer_id == j.payer_id)  # a secondary's entry
    other_payer = sa.and_(sa.or_(c.payer_id.is_(None), j.payer_id != c.payer_id), ~billed_before,
                          ~further)
    query = (
        sa.select(j.id, j.claim_id, j.claim_line_id, line.claim_id.label("line_claim"),
                  (j.patient_id != c.patient_id).label("other_patient"),
                  sa.and_(owed_by_payer, other_payer).label("other_payer"))
        .select_from(journal.outerjoin(claims, c.id == j.claim_id)
                     .outerjoin(claim_lines, line.id == j.claim_line_id))
        .where(sa.or_(
            sa.and_(j.claim_line_id.is_not(None), sa.or_(j.claim_id.is_(None), line.claim_id != j.claim_id)),
            sa.and_(j.claim_id.is_not(None), j.patient_id != c.patient_id),
            sa.and_(j.claim_id.is_not(None), owed_by_payer, other_payer),
        ))
        .order_by(j.id)
    )
    if runs is not None:
        query = query.where(j.run_id.in_(runs))
    found = []
    for row in conn.execute(query):
        if row.claim_line_id is not None and row.line_claim != row.claim_id:
            detail = f"is on line {row.claim_line_id} of claim {row.line_claim}, but names claim {row.claim_id}"
        elif row.other_patient:
            detail = f"names another patient than claim {row.claim_id}'s"
        else:
            detail = f"names another payer than claim {row.claim_id}'s"
        found.append(Breach("entry", f"entry {row.id}", detail))
    return found


def claims_add_up_to_their_charge(conn: sa.Connection, scope: Scope) -> list[Breach]:
    """A claim's payments + adjustments + patient share + payer share = its lines' charge
    (nothing once void); checked line by line, where the charge entries are."""
    runs = _runs(scope)
    j, c, line = journal.c, claims.c, claim_lines.c
    charged = sa.func.coalesce(sa.func.sum(
        sa.case((j.kind == Kind.CHARGE.value, j.amount_cents), else_=0)), 0)
    expected = sa.case((c.status == ClaimStatus.VOID.value, 0), else_=line.charge_cents)
    query = (
        sa.select(line.claim_id, line.id, expected.label("expected"), charged.label("charged"))
        .select_from(claim_lines.join(claims, c.id == line.claim_id)
                     .outerjoin(journal, j.claim_line_id == line.id))
        .where(_claims_in(runs, line.claim_id))
        .group_by(line.claim_id, line.id, c.status, line.charge_cents)
        .having(charged != expected)
        .order_by(line.claim_id, line.id)
    )
    return [Breach("charge", f"claim {row.claim_id} line {row.id}",
                   f"charged {_money(row.charged)} in the journal, but the line's charge is "
                   f"{_money(row.expected)}")
            for row in conn.execute(query)]


def no_line_below_zero(conn: sa.Connection, scope: Scope) -> list[Breach]:
    """No line owes less than nothing."""
    runs = _runs(scope)
    owed = sa.func.sum(OWED)
    query = (
        sa.select(journal.c.claim_id, journal.c.claim_line_id, owed.label("owed"),
                  sa.func.max(journal.c.id).label("latest"))
        .where(journal.c.claim_line_id.is_not(None), _claims_in(runs, journal.c.claim_id))
        .group_by(journal.c.claim_id, journal.c.claim_line_id)
        .having(owed < 0)
        .order_by(journal.c.claim_id, journal.c.claim_line_id)
    )
    return [Breach("below zero", f"claim {row.claim_id} line {row.claim_line_id}",
                   f"owes {_money(row.owed)} after entry {row.latest}: more was paid or "
                   "adjusted than charged (a payment posted twice?)")
            for row in conn.execute(query)]


def no_payment_posted_twice(conn: sa.Connection, scope: Scope) -> list[Breach]:
    """The same payment (amount, party, payer, reference, line or account) at most once
    among the entries that stand (neither a reversal nor reversed)."""
    runs = _runs(scope)
    j = journal.c
    later = journal.alias("later")
    standing = sa.and_(j.kind == Kind.PAYMENT.value, j.reverses_id.is_(None),
                       ~sa.exists().where(later.c.reverses_id == j.id))
    keys = (j.patient_id, j.claim_id, j.claim_line_id, j.party, j.payer_id, j.amount_cents,
            j.reference)
    query = (sa.select(*keys, sa.func.min(j.id).label("first"), sa.func.max(j.id).label("again"))
             .where(standing).group_by(*keys).having(sa.func.count() > 1)
             .order_by(sa.func.min(j.id)))
    if runs is not None:
        touched = sa.select(journal.c.patient_id).where(journal.c.run_id.in_(runs))
        query = query.where(j.patient_id.in_(touched.scalar_subquery()))
    return [Breach("posted twice", f"entry {row.again}",
                   f"repeats payment entry {row.first} ({_money(row.amount_cents)}, same "
                   "reference, same line); reverse one of them")
            for row in conn.execute(query)]


def shares_add_up_to_what_is_owed(conn: sa.Connection, scope: Scope) -> list[Breach]:
    """Patient share + payer shares = what is owed, per claim and per account."""
    runs = _runs(scope)
    total = sa.func.sum(PATIENT_SHARE) + sa.func.sum(PAYER_SHARE) - sa.func.sum(OWED)
    query = (sa.select(journal.c.patient_id, journal.c.claim_id, total.label("gap"),
                       sa.func.max(journal.c.id).label("latest"))
             .group_by(journal.c.patient_id, journal.c.claim_id).having(total != 0))
    if runs is not None:
        touched = sa.select(journal.c.patient_id).where(journal.c.run_id.in_(runs))
        query = query.where(journal.c.patient_id.in_(touched.scalar_subquery()))
    return [Breach("shares", f"claim {row.claim_id}" if row.claim_id else f"entry {row.latest}",
                   f"the patient's and payers' shares differ from what is owed by {_money(row.gap)}")
            for row in conn.execute(query)]


Check = Callable[[sa.Connection, Scope], list[Breach]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule in words, the check that finds its breaches, and whether a run must keep it."""

    words: str
    check: Check
    before_commit: bool = True


RULES: tuple[Rule, ...] = (
    Rule("every reversal nets to zero with its original", reversals_net_to_zero),
    Rule("every entry agrees with its claim, line, patient and payer", entries_agree_with_their_claim),
    Rule("every claim's payments, adjustments and shares add up to its charge",
         claims_add_up_to_their_charge),
    Rule("no payment is posted twice", no_payment_posted_twice),
    Rule("patient and payer shares add up to what is owed", shares_add_up_to_what_is_owed),
    Rule("no line owes less than nothing", no_line_below_zero, before_commit=False),
)


def verify(conn: sa.Connection, scope: Scope = None,
           rules: Iterable[Rule] = RULES) -> list[tuple[str, list[Breach]]]:
    """Each rule in words with the breaches found (an empty list: it holds), in RULES order."""
    return [(rule.words, rule.check(conn, scope)) for rule in rules]


def require(conn: sa.Connection, runs: Iterable[int]) -> None:
    """Raise InvariantError naming every breach the entries of `runs` would commit."""
    runs = list(runs)
    if not runs:
        return
    kept = [rule for rule in RULES if rule.before_commit]
    breaches = [breach for _, found in verify(conn, runs, kept) for breach in found]
    if breaches:
        shown = "; ".join(str(b) for b in breaches[:5])
        more = f" (and {len(breaches) - 5} more)" if len(breaches) > 5 else ""
        raise InvariantError(f"the run would break the ledger's rules, nothing was saved: {shown}{more}")


def verify_ledger(ledger: Ledger) -> list[tuple[str, list[Breach]]]:
    """Every rule over the whole ledger, in one consistent read (no write lock taken)."""
    with ledger.reading() as tx:
        return verify(tx.conn)
