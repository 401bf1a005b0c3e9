"""The envelope segments around every transaction: GS/GE (group), ST/SE (set), IEA.

ISA is fixed-width and written by `x12.envelope.isa` itself; the others are declared here like
any loop, so the envelope writer checks them with the same builder the transactions use.
"""

from __future__ import annotations

from medsheets.x12.grammar import segments as s
from medsheets.x12.grammar.schema import HEADER, TransactionDef, loop

ENVELOPE = TransactionDef("", "00501", "envelope", (
    loop(HEADER, "interchange envelope", None, None,
         s.GS.use(required=("functional_id", "sender", "receiver", "date", "time", "control_number",
                            "agency", "version"),
                  codes={"functional_id": "HC HP FA HB HN HR HS", "agency": "X"}),
         s.ST.use(required=("transaction_type", "control_number"),
                  codes={"transaction_type": "270 271 276 277 835 837 999"}),
         s.SE.use(required=("segment_count", "control_number")),
         s.GE.use(required=("transaction_count", "control_number")),
         s.IEA.use(required=("group_count", "control_number"))),
))
