"""Line edits against the practice's Procedures and Modifiers sheets: code, units, charge, fit.

The Procedures sheet is the practice's fee schedule and its limits: a code must be there and in
force on the date of service, its units within the MUE (max_units), the patient of the sex and
age the code allows. Lines arrive priced (`prepare`): a blank charge already holds fee × units,
so what is checked here is the charge as it will be billed.
"""

from __future__ import annotations

from operator import attrgetter

from medsheets.codes.dxrules import age_in_years
from medsheets.codes.edits import NO_PROBLEMS, EditContext, Found
from medsheets.codes.lookups import procedure_shape_ok
from medsheets.codes.sieve import Sieve
from medsheets.codes.suggest import closest_procedures, described
from medsheets.identifiers import MODIFIER
from medsheets.model import Problem, Procedure, ServiceLine, error, warning
from medsheets.money import ZERO, format_money

SEXES_OF_PROCEDURES = frozenset({"M", "F"})


def _procedure(line: ServiceLine, ctx: EditContext) -> Procedure | None:
    code = line.procedure_code
    return ctx.codesets.procedures.get(code) if code is not None else None


def check_procedure(line: ServiceLine, ctx: EditContext) -> Found:
    """The code is in the Procedures sheet and in force on the date of service."""
    code = line.procedure_code
    if code is None or not procedure_shape_ok(code):
        return NO_PROBLEMS  # blank or malformed: reported by the field edits
    procedure = ctx.codesets.procedures.get(code)
    if procedure is None:
        return [error(line.origin.at("procedure_code"), "MS-PROC-UNKNOWN",
                      unknown_procedure_message(code, ctx))]
    service = line.date_of_service
    if service is not None and not procedure.is_effective(service):
        return [error(line.origin.at("procedure_code"), "MS-PROC-NOT-EFFECTIVE",
                      f"{code} is not in force on {service.isoformat()} ({_validity(procedure)} "
                      "in the Procedures sheet); use the code valid on the date of service")]
    return NO_PROBLEMS


# Each edit judges one line of each combination of the values it reads (see codes/sieve.py).
PROCEDURE_SIEVE = Sieve(alike=attrgetter("procedure_code", "date_of_service"))
MODIFIERS_SIEVE = Sieve(alike=attrgetter("modifiers"))
CHARGE_SIEVE = Sieve(alike=attrgetter("charge", "charge_from_fee_schedule", "procedure_code",
                                      "units"))


def unknown_procedure_message(code: str, ctx: EditContext) -> str:
    """Not in the fee schedule: the likeliest intended codes, never "add it there"."""
    message = (f"{code} is not in the Procedures sheet of codesets.xlsx (the practice's fee "
               "schedule)")
    procedures = ctx.codesets.procedures
    nearest = closest_procedures(code, procedures)
    if nearest:
        choices = described(nearest, (procedures[c].description for c in nearest))
        return f"{message}; did you mean {choices}? Correct the code on the row"
    return (f"{message}; check the code on the row against the visit's documentation for a "
            "typo")


def _validity(procedure: Procedure) -> str:
    parts = []
    if procedure.effective:
        parts.append(f"effective {procedure.effective.isoformat()}")
    if procedure.terminated:
        parts.append(f"terminated {procedure.terminated.isoformat()}")
    return ", ".join(parts)


def check_modifiers(line: ServiceLine, ctx: EditContext) -> Found:
    """Every modifier (well formed) is one the practice lists in the Modifiers sheet."""
    known = ctx.codesets.modifiers
    found: list[Problem] = []
    for index, modifier in enumerate(line.modifiers, start=1):
        if modifier not in known and MODIFIER.match(modifier):
            found.append(error(line.origin.at(f"modifier{index}"), "MS-MOD-UNKNOWN",
                               f"modifier {modifier} is not in the Modifiers sheet of "
                               "codesets.xlsx; fix it, or add it there"))
    return found or NO_PROBLEMS


def check_units(line: ServiceLine, ctx: EditContext) -> Found:
    """A positive whole number, no more than the code's MUE (max_units)."""
    units = line.units
    if units is None:
        return NO_PROBLEMS  # unreadable: reported by the reader
    if units < 1:
        return [error(line.origin.at("units"), "MS-UNITS",
                      f"units {units} must be a positive whole number, such as 1")]
    procedure = _procedure(line, ctx)
    if procedure is not None and procedure.max_units is not None and units > procedure.max_units:
        return [error(line.origin.at("units"), "MS-UNITS-MUE",
                      f"{units} units of {procedure.code} exceed its limit of "
                      f"{procedure.max_units} a day (max_units, the MUE); check the units")]
    return NO_PROBLEMS


def check_charge(line: ServiceLine, ctx: EditContext) -> Found:
    """Above zero; a typed charge that differs from fee × units is flagged, not refused."""
    charge = line.charge
    if charge is None:
        return NO_PROBLEMS  # unknown code and no charge typed: nothing to bill yet
    procedure = _procedure(line, ctx)
    if charge <= ZERO:
        if line.charge_from_fee_schedule and procedure is not None:
            fix = (f"the fee for {procedure.code} in the Procedures sheet is "
                   f"{format_money(procedure.fee)}: set a fee above zero there (0.01 for a "
                   "Category II code), or type the charge")
        else:
            fix = "type the charge for the service"
        return [error(line.origin.at("charge"), "MS-CHARGE-ZERO",
                      f"charge must be above zero; {fix}")]
    if line.charge_from_fee_schedule or procedure is None or not line.units or line.units < 1:
        return NO_PROBLEMS
    expected = procedure.fee * line.units
    if charge != expected:
        return [warning(line.origin.at("charge"), "MS-CHARGE-FEE",
                        f"charge {format_money(charge)} differs from the fee schedule "
                        f"({line.units} × {format_money(procedure.fee)} for {procedure.code}); "
                        "fine if intended, else clear the cell to bill the fee")]
    return NO_PROBLEMS


def check_procedure_fit(line: ServiceLine, ctx: EditContext) -> Found:
    """The patient is of the sex and age the Procedures sheet allows for the code."""
    procedure = _procedure(line, ctx)
    if procedure is None or (procedure.sex is None and procedure.min_age is None
                             and procedure.max_age is None):
        return NO_PROBLEMS
    found: list[Problem] = []
    sex = line.patient.sex
    if procedure.sex in SEXES_OF_PROCEDURES and sex in SEXES_OF_PROCEDURES and sex != procedure.sex:
        found.append(error(line.origin.at("procedure_code"), "MS-PROC-SEX",
                           f"{procedure.code} is for patients of sex {procedure.sex} (Procedures "
                           f"sheet) but patient_sex is {sex}; check the code or the sex"))
    born, service = line.patient.dob, line.date_of_service
    if born is not None and service is not None and born <= service:
        age = age_in_years(born, service)
        low, high = procedure.min_age, procedure.max_age
        if (low is not None and age < low) or (high is not None and age > high):
            found.append(error(line.origin.at("procedure_code"), "MS-PROC-AGE",
                               f"{procedure.code} is for ages {_ages(low, high)} (Procedures "
                               "sheet); the patient's age on the date of service is outside "
                               "that: check the code or patient_dob"))
    return found or NO_PROBLEMS


def _ages(low: int | None, high: int | None) -> str:
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"{low} and over"
    return f"{low}–{high}"
