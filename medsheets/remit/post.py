"""Post one 835 transaction into the ledger, inside the run's ledger transaction.

In order: refuse it if it does not balance; recognise it if its payer and trace number were
posted before (same content: nothing to do; other content: an error, nothing posted); refuse
it if it says what cannot be true (sanity.py: another payee, a line twice, a negative payment
outside a reversal, a line paid above its charge); record
the remittance; post each claim payment (claim_post.py) against a snapshot of the ledger read
once for the whole remittance; record the provider-level adjustments (PLB), which are reported
and never spread onto patients.
"""

from __future__ import annotations

from typing import Any

from medsheets.ledger import Transaction, remittances
from medsheets.model import error, warning
from medsheets.remit.balance import balance_problems
from medsheets.remit.claim_post import Context, post_claim
from medsheets.remit.files import ReadTransaction
from medsheets.remit.records import Remittance
from medsheets.remit.results import ALREADY_POSTED, POSTED, REFUSED, RemittanceOutcome
from medsheets.remit.sanity import impossible_problems
from medsheets.remit.snapshot import Snapshot
from medsheets.remit.values import segment_source

__all__ = ["Context", "post_transaction"]


def post_transaction(tx: Transaction, ctx: Context, read: ReadTransaction) -> RemittanceOutcome:
    """Post (or refuse, or recognise as posted) one 835 transaction read from a file."""
    remittance = read.remittance
    if remittance is None:
        return RemittanceOutcome(read, REFUSED, None, problems=list(read.problems))
    unbalanced = balance_problems(remittance)
    if unbalanced:
        return RemittanceOutcome(read, REFUSED, remittance, problems=unbalanced)
    earlier = remittances.find_remittance(tx, remittance.payer_key, remittance.trace_number)
    if earlier is not None:
        return _seen_before(read, remittance, earlier)
    snapshot = Snapshot.load(tx, remittance)
    impossible = impossible_problems(remittance, ctx.practice_npi, snapshot)
    if impossible:
        return RemittanceOutcome(read, REFUSED, remittance, problems=impossible)
    where = segment_source(remittance.file, remittance.position)
    notes = [warning(where, "MS-REMIT-NOTE", f"{note}; posted anyway")
             for note in remittance.warnings]
    remittance_id = remittances.add_remittance(tx, ctx.run_id, remittance, {
        "transaction_control_number": read.control_number, "handling": remittance.handling,
        "payee_npi": remittance.payee_npi, "claims": len(remittance.claims),
        "warnings": list(remittance.warnings)})
    outcome = RemittanceOutcome(read, POSTED, remittance, problems=notes)
    for claim in remittance.claims:
        outcome.claims.append(post_claim(tx, ctx, remittance, remittance_id, claim, snapshot,
                                         outcome.problems))
    snapshot.pending.flush(tx)
    remittances.add_provider_adjustments(tx, remittance_id, remittance)
    return outcome


def _seen_before(read: ReadTransaction, remittance: Remittance, earlier: Any) -> RemittanceOutcome:
    """The payer and trace number were posted before: the same remittance, or a conflict."""
    when = remittances.posted_on(earlier)
    if earlier.content_sha256 == remittance.content_sha256:
        return RemittanceOutcome(read, ALREADY_POSTED, remittance, earlier=when)
    problem = error(segment_source(remittance.file, remittance.position), "MS-REMIT-TRACE-REUSED",
                    f"trace number {remittance.trace_number} from {remittance.payer_key} was "
                    f"posted on {when} from {earlier.file_name} with different content; nothing "
                    "of this one was posted. Ask the payer which is right; a correction comes "
                    "as a new remittance with its own trace number")
    return RemittanceOutcome(read, REFUSED, remittance, problems=[problem])
