"""The 999 implementation acknowledgment (005010X231A1) as medsheets reads it.

AK1 names the functional group answered; per transaction set an AK2 loop (2000) with the
segments at fault (2100, IK3, with their CTX) and their elements (2110, IK4), closed by IK5;
AK9 answers for the group as a whole.
"""

from __future__ import annotations

from medsheets.x12.grammar import segments as s
from medsheets.x12.grammar.schema import HEADER, TransactionDef, loop, starts

VERSION = "005010X231A1"
ACK_CODES = "A E M P R W X"

X999 = TransactionDef("999", VERSION, "999", (
    loop(HEADER, "group response", None, None,
         s.AK1.use(required=("functional_id", "group_control_number", "version")),
         s.AK9.use(required=("code", "included", "received", "accepted"), codes={"code": ACK_CODES})),
    loop("2000", "transaction set response", HEADER, starts("AK2"),
         s.AK2.use(required=("transaction_type", "control_number")),
         s.IK5.use(required=("code",), codes={"code": ACK_CODES})),
    loop("2100", "segment error", "2000", starts("IK3"),
         s.IK3.use(required=("segment_id", "position", "error_code")),
         s.CTX.use(required=("context",))),
    loop("2110", "element error", "2100", starts("IK4"),
         s.IK4.use(required=("position", "error_code")),
         s.CTX.use(required=("context",))),
))
