"""The 276 claim status request and 277 response (005010X212) as medsheets writes and reads them.

Levels: the payer asked (2000A/2100A, HL*20), the practice asking (2000B/2100B, HL*21), the
billing provider (2000C/2100C, HL*19), the subscriber (2000D/2100D, HL*22) and, when the
patient is not the subscriber, the dependent (2000E/2100E, HL*23). Each claim asked about is a
2200D/2200E (TRN: our trace, REF: the payer's claim number, AMT: the charge, DTP: the service
dates), with service lines in 2210D/2210E. The 277 answers in the same shape, each claim with
its statuses (STC) and the lines in 2220D/2220E.
"""

from __future__ import annotations

from medsheets.x12.grammar import segments as s
from medsheets.x12.grammar.schema import HEADER, SegmentDef, TransactionDef, loop, starts

VERSION = "005010X212"
CLAIM_REFERENCES = "1K BLT EA EJ XZ VV D9"


def _hl(level: str, children: str, parent: bool = True) -> SegmentDef:
    required = ("id", "parent_id", "level_code", "child_code") if parent else ("id", "level_code", "child_code")
    return s.HL.use(required=required, codes={"level_code": level, "child_code": children},
                    unused=() if parent else ("parent_id",))


def _name(entity: str, types: str, ids: str, meaning: str) -> SegmentDef:
    return s.NM1.use(required=("entity", "entity_type", "last_name", "id_qualifier", "id"),
                     codes={"entity": entity, "entity_type": types, "id_qualifier": ids},
                     upto=9, name=meaning)


_TRN = s.TRN.use(required=("type", "reference"), codes={"type": "1 2"}, upto=2)
_DMG = s.DMG.use(required=("format", "birth_date"), codes={"format": "D8", "sex": "F M U"}, upto=3)
_DTP = s.DTP.use(required=("qualifier", "format", "value"), codes={"qualifier": "472", "format": "D8 RD8"})
_STC = s.STC.use(required=("status", "status.category", "status.status", "date"))
_SVC = s.SVC_STATUS.use(required=("procedure", "procedure.qualifier", "procedure.code", "charge"),
                        codes={"procedure.qualifier": "AD ER HC HP IV N4 NU WK"})
_LINE_REF = s.REF.use(required=("qualifier", "value"), codes={"qualifier": "FJ"}, upto=2)
_CLAIM_REF = s.REF.use(required=("qualifier", "value"), codes={"qualifier": CLAIM_REFERENCES}, upto=2)


def _upper_levels(with_contact: bool) -> tuple:
    return (
        loop("2000A", "information source level", HEADER, starts("HL", "20", element=3), _hl("20", "1", parent=False)),
        loop("2100A", "payer", "2000A", starts("NM1", "PR"), _name("PR", "2", "24 46 FI NI PI XV XX", "payer name"),
             *((s.PER.use(required=("function",), codes={"function": "IC"}),) if with_contact else ())),
        loop("2000B", "information receiver level", "2000A", starts("HL", "21", element=3), _hl("21", "1")),
        loop("2100B", "information receiver", "2000B", starts("NM1", "41"),
             _name("41", "1 2", "46 FI XX", "information receiver name")),
        loop("2000C", "service provider level", "2000B", starts("HL", "19", element=3), _hl("19", "1")),
        loop("2100C", "service provider", "2000C", starts("NM1", "1P"),
             _name("1P", "1 2", "FI SV XX", "provider name")),
    )


def _request_person(letter: str, level: str, entity: str, name_entity: str, ids: str) -> tuple:
    parent = "2000C" if letter == "D" else "2000D"
    return (
        loop(f"2000{letter}", f"{entity} level", parent, starts("HL", level, element=3),
             _hl(level, "0 1" if letter == "D" else "0"), _DMG),
        loop(f"2100{letter}", entity, f"2000{letter}", starts("NM1", name_entity),
             s.NM1.use(required=("entity", "entity_type", "last_name") + (("id_qualifier", "id") if ids else ()),
                       codes={"entity": name_entity, "entity_type": "1 2",
                              **({"id_qualifier": ids} if ids else {})}, upto=9 if ids else 7)),
        loop(f"2200{letter}", "claim status tracking", f"2000{letter}", starts("TRN"), _TRN, _CLAIM_REF,
             s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "T3"}, upto=2), _DTP),
        loop(f"2210{letter}", "service line", f"2200{letter}", starts("SVC"), _SVC, _LINE_REF, _DTP),
    )


X276 = TransactionDef("276", VERSION, "276", (
    loop(HEADER, "transaction header", None, None,
         s.BHT.use(required=("structure", "purpose", "reference", "date", "time"),
                   codes={"structure": "0010", "purpose": "13"}, upto=5)),
    *_upper_levels(False),
    *_request_person("D", "22", "subscriber", "IL", "24 II MI"),
    *_request_person("E", "23", "dependent", "QC", ""),
))


def _response_person(letter: str, level: str, entity: str, name_entity: str) -> tuple:
    parent = "2000C" if letter == "D" else "2000D"
    return (
        loop(f"2000{letter}", f"{entity} level", parent, starts("HL", level, element=3),
             s.HL.use(required=("id", "parent_id", "level_code"), codes={"level_code": level})),
        loop(f"2100{letter}", entity, f"2000{letter}", starts("NM1", name_entity),
             s.NM1.use(required=("entity", "entity_type"), codes={"entity": name_entity})),
        loop(f"2200{letter}", "claim status tracking", f"2000{letter}", starts("TRN"), _TRN, _STC,
             _CLAIM_REF, s.DTP.use(required=("qualifier", "format", "value"),
                                   codes={"qualifier": "472", "format": "D8 RD8"})),
        loop(f"2220{letter}", "service line status", f"2200{letter}", starts("SVC"),
             s.SVC_STATUS.use(required=("procedure", "charge")), _STC, _LINE_REF, _DTP),
    )


X277 = TransactionDef("277", VERSION, "277", (
    loop(HEADER, "transaction header", None, None,
         s.BHT.use(required=("structure", "purpose", "reference", "date"),
                   codes={"structure": "0010", "purpose": "08", "transaction_type": "DG"})),
    *_upper_levels(True),
    *_response_person("D", "22", "subscriber", "IL"),
    *_response_person("E", "23", "dependent", "QC"),
))
