"""The 277CA claim acknowledgment (005010X214) as medsheets reads it.

Four hierarchical levels, each with a name loop and a status loop: the information source
(2000A/2100A/2200A, HL*20), the receiver (2000B, HL*21), the billing provider (2000C,
HL*19), and per claim the patient (2000D, HL*PT) whose 2200D carries our patient control
number (TRN02) and the claim's statuses (STC), with service lines in 2220D.
"""

from __future__ import annotations

from medsheets.x12.grammar import segments as s
from medsheets.x12.grammar.schema import HEADER, TransactionDef, loop, starts

VERSION = "005010X214"

_HL = s.HL.use(required=("id", "level_code", "child_code"))
_STC = s.STC.use(required=("status", "status.category", "status.status", "date"))
_TRN = s.TRN.use(required=("type", "reference"), codes={"type": "1 2"}, upto=2)
_QTY = s.QTY.use(required=("qualifier", "quantity"), codes={"qualifier": "90 AA QA QC"})
_AMT = s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "YU YY"}, upto=2)
_DTP = s.DTP.use(required=("qualifier", "format", "value"), codes={"qualifier": "050 009 472",
                                                                  "format": "D8 RD8"})


def _name(entity: str, meaning: str):
    return s.NM1.use(required=("entity", "entity_type"), codes={"entity": entity}, name=meaning)


X277CA = TransactionDef("277", VERSION, "277CA", (
    loop(HEADER, "transaction header", None, None,
         s.BHT.use(required=("structure", "purpose", "reference", "date"),
                   codes={"structure": "0085", "purpose": "08", "transaction_type": "TH"})),
    loop("2000A", "information source level", HEADER, starts("HL", "20", element=3), _HL),
    loop("2100A", "information source", "2000A", starts("NM1", "AY PR"), _name("AY PR", "source name")),
    loop("2200A", "information source dates", "2000A", starts("TRN"), _TRN, _DTP),
    loop("2000B", "information receiver level", "2000A", starts("HL", "21", element=3), _HL),
    loop("2100B", "information receiver", "2000B", starts("NM1", "41"), _name("41", "receiver name")),
    loop("2200B", "receiver status", "2000B", starts("TRN"), _TRN, _STC, _QTY, _AMT),
    loop("2000C", "billing provider level", "2000B", starts("HL", "19", element=3), _HL),
    loop("2100C", "billing provider", "2000C", starts("NM1", "85"), _name("85", "provider name")),
    loop("2200C", "provider status", "2000C", starts("TRN"), _TRN, s.REF.use(upto=2), _STC, _QTY, _AMT),
    loop("2000D", "patient level", "2000C", starts("HL", "PT", element=3), _HL),
    loop("2100D", "patient", "2000D", starts("NM1", "QC"), _name("QC", "patient name")),
    loop("2200D", "claim status", "2000D", starts("TRN"), _TRN, _STC,
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "1K D9 BLT EA"}, upto=2),
         _DTP),
    loop("2220D", "service line status", "2200D", starts("SVC"),
         s.SVC_STATUS.use(required=("procedure", "charge")), _STC,
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "FJ"}, upto=2), _DTP),
))
