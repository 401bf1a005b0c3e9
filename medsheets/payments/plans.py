"""The `Plans` sheet of a payments workbook: payment plans agreed with patients.

One row per plan: patient_id, start (the first installment's due date), installment (the
amount due each period) and frequency (monthly, weekly, biweekly or every:N days). A plan is
recorded once per patient and start; the same row again changes nothing, a changed amount or
frequency for the same start is an error at its cell (a new plan gets a new start). While a
plan is kept (ledger/plans.py), its account gets no dunning message and is not sent to
collections; a missed installment is flagged on the statement run and the aging workbook.
"""

from __future__ import annotations

from medsheets.ledger import Transaction
from medsheets.ledger.plans import PaymentPlan, frequency_days, record_plan
from medsheets.model import Problem, error
from medsheets.money import ZERO, to_cents
from medsheets.payments.match import LedgerLookup
from medsheets.workbook.payments import PlanRow


def check_plan_row(row: PlanRow, lookup: LedgerLookup) -> list[Problem]:
    """Problems with one Plans row, at their cells."""
    o = row.origin
    problems = [
        error(o.at(name), "MS-PAY-BLANK", f"{name} is empty; {what}")
        for name, what, value in (
            ("patient_id", "give the patient's account number", row.patient_id),
            ("start", "give the day the first installment is due", row.start),
            ("installment", "give the amount due each period", row.installment),
            ("frequency", "give monthly, weekly, biweekly or every:DAYS", row.frequency),
        ) if value is None
    ]
    if row.patient_id and row.patient_id not in lookup.patients:
        problems.append(error(o.at("patient_id"), "MS-PAY-PATIENT",
                              f"patient {row.patient_id} is not in the ledger; check the account number"))
    if row.installment is not None and row.installment <= ZERO:
        problems.append(error(o.at("installment"), "MS-PLAN-INSTALLMENT",
                              f"{row.installment} is not an installment; give the amount due each "
                              "period, more than 0.00"))
    if row.frequency is not None and frequency_days(row.frequency) is None:
        problems.append(error(o.at("frequency"), "MS-PLAN-FREQUENCY",
                              f"'{row.frequency}' is not a frequency; use monthly, weekly, biweekly "
                              "or every:DAYS (e.g. every:30)"))
    return problems


def record_plans(tx: Transaction, run_id: int, rows: list[PlanRow], lookup: LedgerLookup,
                 file: str) -> tuple[int, list[Problem]]:
    """Record the sheet's clean plans (one may start later: it is in force from its start);
    (how many were new, the problems)."""
    new, problems = 0, []
    for row in rows:
        found = check_plan_row(row, lookup)
        if found:
            problems += found
            continue
        assert row.patient_id and row.start and row.installment is not None and row.frequency
        plan = PaymentPlan(row.patient_id, row.start, to_cents(row.installment),
                           row.frequency.strip().lower())
        outcome = record_plan(tx, run_id, plan, file)
        if outcome == "changed":
            problems.append(error(
                row.origin.at("installment"), "MS-PLAN-CHANGED",
                f"account {row.patient_id} already has a plan starting {row.start.isoformat()} with "
                "another installment or frequency; give a changed plan its own start date"))
        new += outcome == "new"
    return new, problems
