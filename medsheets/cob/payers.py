"""Whose money an 835 claim payment is: the claim's primary payer, or a further insurance.

The journal and every report go by the payer that paid (SPEC §4: a Medigap's money is not
Medicare's). CLP02 says the rank: 1/19 primary, 2/20 secondary, 3/21 tertiary. A denial,
reversal or pended claim (4, 22, 23, 25) does not, so the 835's own payer is looked for among
the claim's insurances (its N1*PR id or TRN03); not found, it is the primary's. A further payer
the workbook never named (money the primary forwarded to a plan we did not know of) is booked
under the claim's payer, as before secondary insurance was recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from medsheets.ledger import ClaimRow
from medsheets.ledger.cob import CoverageRow

if TYPE_CHECKING:  # remit posting imports this module
    from medsheets.remit.records import ClaimPayment, Remittance

RANK_OF_STATUS = {"1": 1, "19": 1, "2": 2, "20": 2, "3": 3, "21": 3}


def paying_payer(claim: ClaimPayment, remittance: Remittance, ours: ClaimRow,
                 coverages: Mapping[int, CoverageRow]) -> tuple[int, str | None]:
    """(rank, payer_id) of the payer this claim payment is from."""
    rank = RANK_OF_STATUS.get(claim.status)
    if rank is None and claim.payer_claim_number:  # e.g. a reversal of the secondary's payment
        rank = next((r for r, row in sorted(coverages.items())
                     if row.payer_claim_number == claim.payer_claim_number), None)
    if rank is None:
        key = remittance.payer_key  # TRN03: "1" then the payer's id (an EIN by the guide)
        named = {remittance.payer_id, key, key.removeprefix("1")} - {""}
        rank = next((r for r, row in sorted(coverages.items()) if row.coverage.payer_id in named), 1)
    if rank == 1 or rank not in coverages:  # a further payer we were never told of: as before
        return rank, ours.payer_id
    return rank, coverages[rank].coverage.payer_id
