"""Plain explanations of the reason codes payers use: adjustment groups, reasons, remarks, PLBs.

They sit beside the other code sets because every feature reads them: the remittance report
and posting (835), the denial worklist's explanation column, the aging workbook's KPIs.

The official descriptions of the claim adjustment reason codes (CARC), remittance advice remark
codes (RARC) and PLB reasons are X12's and CMS's text and are not reproduced here: what
follows is our own short wording of what each common code means for a small practice, and
what to do about it. A practice adds or overrides explanations in the optional `ReasonCodes`
sheet of codesets.xlsx (columns `code`, `explanation`). A key there may be:

- `CO-45`: that reason under that group only (the same reason can mean different things to do
  under CO and PR);
- `45`: that reason under any group (also how RARCs such as `N290` are keyed);
- `PLB-L6` or `L6`: a provider-level (PLB) reason; the prefix tells PLB 50 (a late charge)
  from CARC 50.

The practice's sheet wins over the built-in text, the group-specific key over the plain one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

GROUPS = {
    "CO": "contractual: written off, never billed to the patient",
    "PR": "the patient's responsibility: moved to the patient's balance",
    "OA": "other adjustment: written off, recorded with its reason",
    "PI": "payer-initiated: written off, recorded with its reason",
}

# Claim adjustment reason codes (CARC), in our words.
REASONS = {
    "1": "Deductible: the patient has not yet met the plan's yearly deductible.",
    "2": "Coinsurance: the patient's percentage share of the allowed amount.",
    "3": "Copay: the patient's fixed share for the visit.",
    "4": "The modifier is missing or does not fit the procedure; correct it and resubmit.",
    "5": "The place of service does not fit the procedure; check it and resubmit.",
    "6": "The procedure does not fit the patient's age; check the code and the birth date.",
    "7": "The procedure does not fit the patient's sex; check the code and the sex.",
    "8": "The procedure does not fit the provider's type or specialty.",
    "9": "The diagnosis does not fit the patient's age.",
    "10": "The diagnosis does not fit the patient's sex.",
    "11": "The diagnosis does not support the procedure; check the codes and the pointers.",
    "15": "The authorization number is missing, wrong, or does not cover this service.",
    "16": "Information is missing or wrong on the claim; the remark codes say what. Fix it "
          "and send a corrected claim.",
    "18": "Duplicate: the payer already processed this claim or line.",
    "19": "A work injury: bill the workers' compensation carrier.",
    "22": "Another payer may be primary; bill that payer first (coordination of benefits).",
    "23": "What an earlier payer already paid or adjusted on this claim.",
    "24": "Covered by a capitation or managed-care agreement, not paid per service.",
    "26": "The service was before the patient's coverage started; check the insurance.",
    "27": "The service was after the patient's coverage ended; check the insurance.",
    "29": "Sent after the payer's time limit for filing; usually cannot be billed to anyone.",
    "31": "The payer cannot find the patient as its member; check the member ID and name.",
    "32": "The payer does not show the patient as an eligible dependent.",
    "39": "Denied when authorization was requested.",
    "42": "The charge is above the payer's maximum fee; the difference is written off.",
    "45": "The charge is above the contracted or allowed amount; the difference is written "
          "off under the contract.",
    "49": "A routine or preventive service the plan does not cover with this diagnosis.",
    "50": "The payer judges the service not medically necessary; appeal with records or "
          "bill the patient only if they signed a waiver.",
    "55": "The payer considers the service experimental.",
    "58": "The place of service is not one the payer pays for this service.",
    "59": "Reduced under the payer's multiple-procedure or same-day rules.",
    "94": "Processed for more than the charge; this evens it out.",
    "96": "Not covered by the patient's plan.",
    "97": "Paid as part of another service on the claim (bundled); not paid separately.",
    "109": "This payer does not cover the claim; send it to the right payer.",
    "119": "The plan's benefit maximum for the period has been reached.",
    "129": "Information from an earlier processing was wrong.",
    "140": "The member ID and the patient's name do not match the payer's records.",
    "146": "The diagnosis code is not valid for the date of service.",
    "147": "The payer has no contracted rate on file for the provider.",
    "150": "The documentation does not support this level of service.",
    "151": "The documentation does not support this many services.",
    "167": "The diagnosis is not covered.",
    "176": "The prescription or order on file is not current.",
    "181": "The procedure code was not valid on the date of service.",
    "182": "The modifier was not valid on the date of service.",
    "185": "The rendering provider is not eligible for this service.",
    "197": "Prior authorization or notification was required and is missing; get it or appeal.",
    "198": "The service goes beyond what was authorized.",
    "204": "Not covered under the patient's current benefit plan.",
    "226": "Information the payer asked the practice for was not sent or was not enough.",
    "227": "Information the payer asked the patient for was not sent.",
    "234": "This procedure is not paid separately.",
    "236": "This code or modifier pair is not allowed with another service that day (NCCI).",
    "242": "Not provided by a network or primary care provider.",
    "253": "Sequestration: the federal payment reduction.",
    "A1": "Denied; the remark codes say why.",
    "A2": "A contractual adjustment under the payer agreement.",
    "B7": "The provider was not certified or eligible for this service on this date.",
    "B9": "The patient is enrolled in hospice.",
    "B13": "Already paid as part of an earlier payment.",
    "B15": "Needs a qualifying service or procedure first.",
}

# Remittance advice remark codes (RARC), in our words.
REMARKS = {
    "M15": "Billed separately but counted as part of the same procedure (bundled).",
    "M20": "The HCPCS code is missing or invalid.",
    "M51": "A procedure code is missing, incomplete or invalid.",
    "M76": "The diagnosis is missing, incomplete or invalid.",
    "M80": "Not covered when done in the same session as another covered service.",
    "M86": "Already paid for the same or a similar service within the allowed period.",
    "MA01": "You may appeal this decision; follow the payer's appeal instructions.",
    "MA02": "You may appeal this decision; follow the payer's appeal instructions.",
    "MA04": "A secondary payment needs the primary payer's payment details.",
    "MA18": "The claim was also sent on to the patient's supplemental insurer.",
    "MA130": "The claim has missing or invalid information and cannot be appealed; send a "
             "new, corrected claim.",
    "N4": "The prior payer's explanation of benefits is missing or invalid.",
    "N20": "Not paid together with another service on the same date.",
    "N54": "The claim does not match the services that were authorized.",
    "N56": "The procedure code is not correct for the service or the date.",
    "N89": "Payment information was sent to more than one other payer.",
    "N130": "Check the plan's benefit documents for its limits.",
    "N286": "The referring provider's identifier is missing or invalid.",
    "N290": "The rendering provider's identifier is missing or invalid.",
    "N362": "More days or units than the payer accepts.",
    "N381": "Check the contract with this payer for its rules.",
    "N479": "The other payer's explanation of benefits is missing.",
    "N657": "Bill these services with the code that fits them.",
}

# PLB provider-level adjustment reasons, in our words (positive amounts are taken, negative added).
PROVIDER_REASONS = {
    "L6": "Interest the payer adds for paying late.",
    "WO": "Recovery of an earlier overpayment (recoupment).",
    "FB": "A balance carried forward from or to another remittance.",
    "CS": "An adjustment; the reference says what it is about.",
    "CT": "A capitation payment.",
    "CV": "A capital pass-through amount.",
    "72": "A return of money the provider sent back.",
    "90": "A discount for early payment.",
    "BD": "A bad-debt adjustment.",
    "C5": "A temporary allowance.",
    "IR": "Tax withheld for the IRS.",
    "J1": "An amount the payer does not reimburse.",
    "L3": "A penalty.",
    "LE": "A levy (money withheld by legal order).",
    "WU": "Recovery of an overpayment the payer has not itemized.",
    "50": "A late charge.",
    "51": "An interest penalty charge.",
}

GROUP_CODES = frozenset({"CO", "PR", "OA", "PI", "CR"})
_CODE = re.compile(r"^(?:(?P<group>[A-Z]{2})[-: ]?)?(?P<code>[A-Z]?[0-9]{1,4}[A-Z]?)$")

UNKNOWN = "no explanation on file; add one in codesets.xlsx, sheet ReasonCodes"


def explain_adjustment(group: str, reason: str, overrides: Mapping[str, str]) -> str:
    """What a CAS reason means, from the practice's sheet first, then our built-in words."""
    for table in (overrides, REASONS):
        for key in (f"{group}-{reason}", reason):
            if key in table:
                return table[key]
    return UNKNOWN


def explain_group(group: str) -> str:
    return GROUPS.get(group, "unknown group")


def explain_remark(code: str, overrides: Mapping[str, str]) -> str:
    return overrides.get(code) or REMARKS.get(code) or UNKNOWN


class Explanations:
    """`explain_adjustment` and `explain_remark` for one practice's overrides, each code worked
    out once: a remittance of thousands of claims repeats a handful of codes, and its report
    explains every CAS reason of every line (the same words as the functions give)."""

    def __init__(self, overrides: Mapping[str, str]) -> None:
        self.overrides = overrides
        self._adjustments: dict[tuple[str, str], str] = {}
        self._remarks: dict[str, str] = {}

    def adjustment(self, group: str, reason: str) -> str:
        key = (group, reason)
        text = self._adjustments.get(key)
        if text is None:
            text = self._adjustments[key] = explain_adjustment(group, reason, self.overrides)
        return text

    def remark(self, code: str) -> str:
        text = self._remarks.get(code)
        if text is None:
            text = self._remarks[code] = explain_remark(code, self.overrides)
        return text


def explain_provider(reason: str, overrides: Mapping[str, str]) -> str:
    return (overrides.get(f"PLB-{reason}") or overrides.get(reason)
            or PROVIDER_REASONS.get(reason) or UNKNOWN)


@dataclass(frozen=True, slots=True)
class ReasonCode:
    """One code of a denial: CAS group (CO, PR, OA, PI; '' for a remark or a 277CA code)."""

    group: str
    code: str

    def __str__(self) -> str:
        return f"{self.group}-{self.code}" if self.group else self.code


def parse_reason_codes(text: str | None) -> tuple[ReasonCode, ...]:
    """'CO-16 N290' -> (CO-16, N290). Unrecognised words are kept as codes without a group."""
    codes = []
    for word in (text or "").replace(",", " ").split():
        match = _CODE.match(word.upper())
        if match and (match["group"] or "") in GROUP_CODES | {""}:
            codes.append(ReasonCode(match["group"] or "", match["code"]))
        else:
            codes.append(ReasonCode("", word))
    return tuple(codes)


def explain(codes: tuple[ReasonCode, ...], overrides: Mapping[str, str]) -> str:
    """'CO-16: what it means; N290: what it means; A7:562' (codes without words stand alone).

    A code nobody explained (a 277CA status code, a rare remark) is shown alone: the biller
    looks it up once and may add it to the ReasonCodes sheet.
    """
    parts = []
    for code in codes:
        if code.group:
            text = explain_adjustment(code.group, code.code, overrides)
        else:
            text = explain_remark(code.code, overrides)
        parts.append(f"{code}: {text.rstrip('.')}" if text != UNKNOWN else str(code))
    return "; ".join(parts)
