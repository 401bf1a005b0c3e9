"""Working denials: the worklist of rejected and denied claims, and acting on it.

`medsheets denials` writes the worklist (worklist.py); `medsheets resubmit` reads it back and
sends corrected and void claims, writes off balances or moves them to the patient
(resubmit.py). Which claims are open comes from the claim events (events.py); what the
ledger records for each action is in medsheets/ledger/denials.py.
"""
