"""The 270 eligibility inquiry and 271 response (005010X279A1) as medsheets writes and reads them.

Both have the same four levels: the information source, the payer (2000A/2100A, HL*20); the
information receiver, the practice (2000B/2100B, HL*21); the subscriber (2000C/2100C, HL*22)
with the trace number (TRN) the response echoes; a dependent (2000D/2100D, HL*23) when the
patient is not the subscriber. The inquiry asks with EQ (2110C/2110D: service types); the
response answers with EB (2110C/2110D: coverage, copays, deductibles...), messages and related
entities (2120C/2120D inside LS/LE), or with AAA when it could not answer.

Service type codes (EQ01, EB03: about 200 of them) are not listed here: the writer takes them
from its own table, and any code a payer answers with is read.
"""

from __future__ import annotations

from medsheets.x12.grammar import segments as s
from medsheets.x12.grammar.schema import HEADER, SegmentDef, TransactionDef, loop, starts

VERSION = "005010X279A1"
PAYER_ENTITIES = "2B 36 GP P5 PR"
PAYER_IDS = "24 46 FI NI PI XV XX"
PROVIDER_ENTITIES = "1P 2B 36 80 FA GP P5 PR"
PROVIDER_IDS = "24 34 46 FI PI SV XV XX"
RELATIONSHIPS = "01 18 19 20 21 39 40 53 G8"
DATE_QUALIFIERS_270 = "102 291 307 435 472"
DATE_QUALIFIERS_271 = ("096 102 152 193 194 198 290 291 292 295 304 307 318 346 347 348 349 "
                       "356 357 360 435 472 636 771")
AAA = s.AAA.use(required=("valid",), codes={"valid": "N Y", "follow_up": "C N R S W X Y"})


def _hl(level: str, children: str, parent: bool = True) -> SegmentDef:
    required = ("id", "parent_id", "level_code", "child_code") if parent else ("id", "level_code", "child_code")
    return s.HL.use(required=required, codes={"level_code": level, "child_code": children},
                    unused=() if parent else ("parent_id",))


def _name(entity: str, types: str, ids: str | None, meaning: str) -> SegmentDef:
    required = ["entity", "entity_type"] + (["id_qualifier", "id"] if ids else [])
    codes = {"entity": entity, "entity_type": types}
    if ids:
        codes["id_qualifier"] = ids
    return s.NM1.use(required=required, codes=codes, upto=9, name=meaning)


_TRN = s.TRN.use(required=("type", "reference", "originator"), codes={"type": "1 2"})
_PRV = s.PRV.use(required=("code", "qualifier", "taxonomy"), codes={"qualifier": "PXC"})
_DMG = s.DMG.use(required=("format", "birth_date"), codes={"format": "D8", "sex": "F M U"}, upto=3)
_ADDRESS = (s.N3.use(required=("address1",)), s.N4.use(required=("city",), upto=7))
_REF = s.REF.use(required=("qualifier", "value"), upto=3)
_HI = s.HI.use(required=("diagnosis1", "diagnosis1.qualifier", "diagnosis1.code"), upto=8,
               codes={"diagnosis1.qualifier": "ABK BK",
                      **{f"diagnosis{n}.qualifier": "ABF BF" for n in range(2, 9)}})
_EQ = s.EQ.use(codes={"coverage_level": "CHD DEP ECH EMP ESP FAM IND SPC SPO"}, unused=("insurance_type",))
_III = s.III.use(required=("qualifier", "code"), codes={"qualifier": "ZZ"}, upto=2)


def _inquiry_levels(dates: str) -> tuple:
    """2000C/2100C/2110C (subscriber) and 2000D/2100D/2110D (dependent) of the 270."""
    def person(letter: str, level: str, entity: str, relationships: str):
        return (
            loop(f"2000{letter}", f"{entity} level", "2000B" if letter == "C" else "2000C",
                 starts("HL", level, element=3), _hl(level, "0 1" if letter == "C" else "0"), _TRN),
            loop(f"2100{letter}", entity, f"2000{letter}",
                 starts("NM1", "IL" if letter == "C" else "03"),
                 _name("IL" if letter == "C" else "03", "1", "II MI" if letter == "C" else None, f"{entity} name"),
                 _REF, *_ADDRESS, _PRV, _DMG,
                 s.INS.use(required=("subscriber", "relationship"),
                           codes={"subscriber": "Y" if letter == "C" else "N", "relationship": relationships},
                           upto=17),
                 _HI,
                 s.DTP.use(required=("qualifier", "format", "value"),
                           codes={"qualifier": dates, "format": "D8 RD8"})),
            loop(f"2110{letter}", f"{entity} eligibility inquiry", f"2100{letter}", starts("EQ"),
                 _EQ, s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "R PB"}, upto=2),
                 _III, _REF,
                 s.DTP.use(required=("qualifier", "format", "value"),
                           codes={"qualifier": "291", "format": "D8 RD8"})),
        )
    return (*person("C", "22", "subscriber", "18"), *person("D", "23", "dependent", RELATIONSHIPS))


X270 = TransactionDef("270", VERSION, "270", (
    loop(HEADER, "transaction header", None, None,
         s.BHT.use(required=("structure", "purpose", "reference", "date", "time"),
                   codes={"structure": "0022", "purpose": "01 13", "transaction_type": "RT"})),
    loop("2000A", "information source level", HEADER, starts("HL", "20", element=3), _hl("20", "1", parent=False)),
    loop("2100A", "information source", "2000A", starts("NM1"), _name(PAYER_ENTITIES, "1 2", PAYER_IDS, "payer name")),
    loop("2000B", "information receiver level", "2000A", starts("HL", "21", element=3), _hl("21", "1")),
    loop("2100B", "information receiver", "2000B", starts("NM1"),
         _name(PROVIDER_ENTITIES, "1 2", PROVIDER_IDS, "provider name"), _REF, *_ADDRESS, _PRV),
    *_inquiry_levels(DATE_QUALIFIERS_270),
))


def _response_levels() -> tuple:
    """2000C..2120C (subscriber) and 2000D..2120D (dependent) of the 271."""
    def person(letter: str, level: str, entity: str):
        return (
            loop(f"2000{letter}", f"{entity} level", "2000B" if letter == "C" else "2000C",
                 starts("HL", level, element=3), _hl(level, "0 1" if letter == "C" else "0"), _TRN),
            loop(f"2100{letter}", entity, f"2000{letter}",
                 starts("NM1", "IL" if letter == "C" else "03"),
                 _name("IL" if letter == "C" else "03", "1 2", None, f"{entity} name"),
                 _REF, *_ADDRESS, AAA, _PRV, _DMG,
                 s.INS.use(required=("subscriber", "relationship"), upto=17),
                 _HI,
                 s.DTP.use(required=("qualifier", "format", "value"),
                           codes={"qualifier": DATE_QUALIFIERS_271, "format": "D8 RD8"})),
            loop(f"2110{letter}", f"{entity} eligibility or benefit", f"2100{letter}", starts("EB"),
                 s.EB.use(required=("information",)), s.HSD.use(), _REF,
                 s.DTP.use(required=("qualifier", "format", "value"),
                           codes={"qualifier": DATE_QUALIFIERS_271, "format": "D8 RD8"}),
                 AAA, s.MSG.use(required=("text",), upto=1), _III,
                 s.LS.use(required=("loop",), codes={"loop": "2120"}),
                 s.LE.use(required=("loop",), codes={"loop": "2120"})),
            loop(f"2120{letter}", f"{entity} benefit related entity", f"2110{letter}", starts("NM1"),
                 s.NM1.use(required=("entity", "entity_type")), *_ADDRESS,
                 s.PER.use(required=("function",), codes={"function": "IC"}), _PRV),
        )
    return (*person("C", "22", "subscriber"), *person("D", "23", "dependent"))


X271 = TransactionDef("271", VERSION, "271", (
    loop(HEADER, "transaction header", None, None,
         s.BHT.use(required=("structure", "purpose", "reference", "date"),
                   codes={"structure": "0022", "purpose": "06 11"})),
    loop("2000A", "information source level", HEADER, starts("HL", "20", element=3),
         _hl("20", "0 1", parent=False), AAA),
    loop("2100A", "information source", "2000A", starts("NM1"),
         _name(PAYER_ENTITIES, "1 2", PAYER_IDS, "payer name"),
         s.PER.use(required=("function",), codes={"function": "IC"}), AAA),
    loop("2000B", "information receiver level", "2000A", starts("HL", "21", element=3), _hl("21", "0 1")),
    loop("2100B", "information receiver", "2000B", starts("NM1"),
         _name(PROVIDER_ENTITIES, "1 2", PROVIDER_IDS, "provider name"), _REF, AAA, _PRV),
    *_response_levels(),
))
