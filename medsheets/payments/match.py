"""Match payments-workbook rows to the ledger: the patient, the claim, the service line.

A payment for an account or a claim the ledger does not have is an error on its cell (posting
it would put money where nobody will find it). An EOB must name a claim billed to the payer it
comes from, or to a further insurance of the claim (a secondary's EOB, once the primary's
adjudication is posted: docs/secondary-insurance.md), and its `line` a line of that claim: a
line number (1, 2, ... as billed), or a procedure code that appears on exactly one line;
blank means the whole claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from medsheets.ledger import ClaimRow, LineRow, Transaction
from medsheets.ledger.cob import coverages
from medsheets.ledger.remittances import primary_posted
from medsheets.model import Problem, error
from medsheets.workbook.payments import EobRow, PatientPaymentRow

MAX_LINE_NUMBER = 99  # an 837P claim has at most 50 lines; a longer value is a procedure code


@dataclass(frozen=True, slots=True)
class MatchedEob:
    """An EOB row with its claim and line (None: the whole claim) and the claim's lines."""

    row: EobRow
    claim: ClaimRow
    line: LineRow | None
    lines: tuple[LineRow, ...]
    rank: int = 1  # of the payer whose EOB it is: 1 the claim's payer, 2 its secondary, ...

    @property
    def payer_id(self) -> str | None:
        """The payer whose money and adjustments these are."""
        return self.row.payer_id if self.rank > 1 else self.claim.payer_id


class LedgerLookup:
    """Patients, claims and lines read once per run (a workbook names the same ones often)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        self.patients = set(tx.known_patients())
        self._claims: dict[str, ClaimRow | None] = {}
        self._lines: dict[int, tuple[LineRow, ...]] = {}

    def claim(self, encounter_id: str) -> ClaimRow | None:
        if encounter_id not in self._claims:
            self._claims[encounter_id] = self.tx.find_claim(encounter_id)
        return self._claims[encounter_id]

    def further_rank(self, claim_id: int, payer_id: str | None) -> int | None:
        """The rank of the claim's further insurance with this payer (None: it has none)."""
        found = coverages(self.tx, [claim_id]).get(claim_id, {})
        return next((rank for rank, row in sorted(found.items())
                     if payer_id and row.coverage.payer_id == payer_id), None)

    def primary_posted(self, claim_id: int) -> bool:
        return claim_id in primary_posted(self.tx, [claim_id])

    def lines(self, claim_id: int) -> tuple[LineRow, ...]:
        if claim_id not in self._lines:
            self._lines[claim_id] = tuple(self.tx.claim_lines(claim_id))
        return self._lines[claim_id]


def match_patient_row(row: PatientPaymentRow, lookup: LedgerLookup) -> tuple[int | None, list[Problem]]:
    """The claim id the payment applies to (None: the patient's account), or the problems."""
    o = row.origin
    if row.patient_id not in lookup.patients:
        return None, [error(o.at("patient_id"), "MS-PAY-PATIENT",
                            f"patient {row.patient_id} is not in the ledger; check the account "
                            "number (patients are added when their visits are billed)")]
    if not row.encounter_id:
        return None, []
    claim = lookup.claim(row.encounter_id)
    if claim is None:
        return None, [error(o.at("encounter_id"), "MS-PAY-CLAIM",
                            f"encounter {row.encounter_id} is not in the ledger; check it, or "
                            "leave it blank to post the payment to the patient's account")]
    if claim.patient_id != row.patient_id:
        return None, [error(o.at("encounter_id"), "MS-PAY-CLAIM-PATIENT",
                            f"encounter {row.encounter_id} is account {claim.patient_id}'s visit, "
                            f"not {row.patient_id}'s; check both cells")]
    return claim.id, []


def match_eob_row(row: EobRow, lookup: LedgerLookup) -> tuple[MatchedEob | None, list[Problem]]:
    """The row's claim and line, or the problems that keep it from being posted."""
    o = row.origin
    claim = lookup.claim(row.encounter_id or "")
    if claim is None:
        return None, [error(o.at("encounter_id"), "MS-EOB-CLAIM",
                            f"encounter {row.encounter_id} is not in the ledger; check the claim "
                            "number on the EOB against the encounter ids billed")]
    if claim.payer_id is None:
        return None, [error(o.at("encounter_id"), "MS-EOB-SELF-PAY",
                            f"encounter {row.encounter_id} is a self-pay visit, billed to no payer; "
                            "post what the patient paid on the Patient Payments sheet")]
    rank = 1 if claim.payer_id == row.payer_id else lookup.further_rank(claim.id, row.payer_id)
    if rank is None:
        return None, [error(o.at("payer_id"), "MS-EOB-PAYER",
                            f"encounter {row.encounter_id} was billed to {claim.payer_id}, not "
                            f"{row.payer_id}; check the payer (only the EOB of the billed payer "
                            "or of the claim's secondary insurance is posted)")]
    if rank > 1 and not lookup.primary_posted(claim.id):
        return None, [error(o.at("payer_id"), "MS-EOB-SECONDARY-FIRST",
                            f"{row.payer_id} is encounter {row.encounter_id}'s secondary insurance, "
                            f"and {claim.payer_id}'s adjudication is not posted yet; post the "
                            "primary's remittance or EOB first")]
    lines = lookup.lines(claim.id)
    if not row.line:
        return MatchedEob(row, claim, None, lines, rank), []
    line, problem = _find_line(row.line, lines, row.encounter_id or "")
    if problem:
        return None, [error(o.at("line"), "MS-EOB-LINE", problem)]
    return MatchedEob(row, claim, line, lines, rank), []


def _find_line(wanted: str, lines: tuple[LineRow, ...], encounter_id: str) -> tuple[LineRow | None, str]:
    """The line named by number or procedure code, or why none can be chosen."""
    if wanted.isdigit() and int(wanted) <= MAX_LINE_NUMBER:
        found = [line for line in lines if line.line_number == int(wanted)]
        if not found:
            return None, (f"claim {encounter_id} has no line {wanted} (it has {len(lines)}); "
                          "give the line number as billed, a procedure code, or leave it blank")
        return found[0], ""
    found = [line for line in lines if line.procedure_code == wanted.upper()]
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, (f"claim {encounter_id} has no line with procedure {wanted}; give the line "
                      "number as billed, or leave it blank for the whole claim")
    numbers = ", ".join(str(line.line_number) for line in found)
    return None, f"procedure {wanted} is on lines {numbers} of claim {encounter_id}; give the line number"
