"""The 837P professional claim (005010X222A1) as medsheets writes and reads it.

Loops in the guide's order: submitter (1000A), receiver (1000B), billing provider (2000A,
2010AA), subscriber (2000B, 2010BA) and payer (2010BB), patient (2000C, 2010CA), the claim
(2300) with its referring (2310A), rendering (2310B) and facility (2310C) providers, the
coordination-of-benefits loops (2320 other subscriber, 2330A/2330B other subscriber and
payer), the service line (2400), its rendering provider (2420A) and its prior payer's
adjudication (2430). Only the segments medsheets can send are declared; a writer that reaches
for another one is told so by the builder.
"""

from __future__ import annotations

from medsheets.x12.grammar import segments as s
from medsheets.x12.grammar.schema import HEADER, TransactionDef, loop, starts

VERSION = "005010X222A1"
# SBR09 / SBR01 and the adjustment groups, shared by 2000B and 2320.
CLAIM_FILING = "11 12 13 14 15 16 17 AM BL CH CI DS FI HM LM MA MB MC OF TV VA WC ZZ"
PAYER_RESPONSIBILITY = "A B C D E F G H P S T U"
ADJUSTMENT_GROUPS = "CO CR OA PI PR"
_CAS = s.CAS.use(required=("group", "reason1", "amount1"), codes={"group": ADJUSTMENT_GROUPS})
_ADDRESS = (s.N3.use(required=("address1",)), s.N4.use(required=("city",), upto=7))
_PERSON_OR_ORG = "1 2"
_NPI = "XX"


def _name(entity: str, types: str, qualifiers: str | None, meaning: str, upto: int = 9):
    """An NM1 naming `entity` in one loop: entity and type required, the ID when it has one."""
    required = ["entity", "entity_type", "last_name"]
    codes = {"entity": entity, "entity_type": types}
    if qualifiers:
        required += ["id_qualifier", "id"]
        codes["id_qualifier"] = qualifiers
    return s.NM1.use(required=required, codes=codes, upto=upto, unused=("relationship",),
                     name=meaning)


def _hl(level: str, children: str, parent: bool = True):
    required = ("id", "parent_id", "level_code", "child_code") if parent else ("id", "level_code", "child_code")
    return s.HL.use(required=required, codes={"level_code": level, "child_code": children},
                    unused=() if parent else ("parent_id",))


X837P = TransactionDef("837", VERSION, "837P", (
    loop(HEADER, "transaction header", None, None,
         s.BHT.use(required=("structure", "purpose", "reference", "date", "time", "transaction_type"),
                   codes={"structure": "0019", "purpose": "00 18", "transaction_type": "CH RP 31"})),
    loop("1000A", "submitter", HEADER, starts("NM1", "41"),
         _name("41", _PERSON_OR_ORG, "46", "submitter name"),
         s.PER.use(required=("function", "qualifier1", "number1"),
                   codes={"function": "IC", "qualifier1": "EM FX TE", "qualifier2": "EM EX FX TE",
                          "qualifier3": "EM EX FX TE"}, name="submitter EDI contact")),
    loop("1000B", "receiver", HEADER, starts("NM1", "40"), _name("40", "2", "46", "receiver name")),
    loop("2000A", "billing provider level", HEADER, starts("HL", "20", element=3),
         _hl("20", "1", parent=False),
         s.PRV.use(required=("code", "qualifier", "taxonomy"), codes={"code": "BI", "qualifier": "PXC"}),
         s.CUR.use(required=("entity", "currency"), codes={"entity": "85"})),
    loop("2010AA", "billing provider", "2000A", starts("NM1", "85"),
         _name("85", _PERSON_OR_ORG, _NPI, "billing provider name"), *_ADDRESS,
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "EI SY"}, upto=2,
                   name="billing provider tax identification"),
         s.PER.use(required=("function", "qualifier1", "number1"), codes={"function": "IC"})),
    loop("2010AB", "pay-to address", "2000A", starts("NM1", "87"),
         _name("87", "2", None, "pay-to address name", upto=2), *_ADDRESS),
    loop("2000B", "subscriber level", "2000A", starts("HL", "22", element=3),
         _hl("22", "0 1"),
         s.SBR.use(required=("payer_responsibility", "claim_filing"),
                   codes={"payer_responsibility": PAYER_RESPONSIBILITY, "relationship": "18",
                          "claim_filing": CLAIM_FILING},
                   unused=("coordination", "yes_no", "employment"))),
    loop("2010BA", "subscriber", "2000B", starts("NM1", "IL"),
         _name("IL", _PERSON_OR_ORG, "II MI", "subscriber name"), *_ADDRESS,
         s.DMG.use(required=("format", "birth_date", "sex"),
                   codes={"format": "D8", "sex": "F M U"}, upto=3),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "SY Y4"}, upto=2)),
    loop("2010BB", "payer", "2000B", starts("NM1", "PR"),
         _name("PR", "2", "PI XV", "payer name"), *_ADDRESS,
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "2U EI FY NF G2 LU"}, upto=2)),
    loop("2000C", "patient level", "2000B", starts("HL", "23", element=3),
         _hl("23", "0"),
         s.PAT.use(required=("relationship",),
                   codes={"relationship": "01 19 20 21 39 40 53 G8"}, unused=("location", "employment", "student"))),
    loop("2010CA", "patient", "2000C", starts("NM1", "QC"),
         _name("QC", "1", None, "patient name", upto=7), *_ADDRESS,
         s.DMG.use(required=("format", "birth_date", "sex"),
                   codes={"format": "D8", "sex": "F M U"}, upto=3),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "Y4 1W SY"}, upto=2)),
    loop("2300", "claim", "2000B", starts("CLM"),
         s.CLM.use(required=("claim_id", "total_charge", "facility", "facility.place_of_service",
                             "facility.qualifier", "facility.frequency", "provider_signature",
                             "assignment", "benefits_assigned", "release_of_information"),
                   codes={"facility.qualifier": "B", "facility.frequency": "1 7 8",
                          "provider_signature": "N Y", "assignment": "A B C",
                          "benefits_assigned": "N W Y", "release_of_information": "I Y"},
                   unused=("claim_filing", "non_institutional_type")),
         s.DTP.use(required=("qualifier", "format", "value"),
                   codes={"qualifier": "431 454 304 453 439 484 455 471 314 360 361 297 296 435 "
                                       "096 090 091 444 050",
                          "format": "D8 RD8"}),
         s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "F5"}, upto=2),
         s.REF.use(required=("qualifier", "value"),
                   codes={"qualifier": "4N F5 EW 9F G1 F8 X4 9A 9C LX D9 EA P4 1J"}, upto=2),
         s.HI.use(required=("diagnosis1", "diagnosis1.qualifier", "diagnosis1.code"),
                  codes={"diagnosis1.qualifier": "ABK BK",
                         **{f"diagnosis{n}.qualifier": "ABF BF" for n in range(2, 13)}})),
    loop("2310A", "referring provider", "2300", starts("NM1", "DN P3"),
         _name("DN P3", "1", _NPI, "referring provider name"),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "0B 1G G2"}, upto=2)),
    loop("2310B", "rendering provider", "2300", starts("NM1", "82"),
         _name("82", _PERSON_OR_ORG, _NPI, "rendering provider name"),
         s.PRV.use(required=("code", "qualifier", "taxonomy"), codes={"code": "PE", "qualifier": "PXC"}),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "0B 1G G2 LU"}, upto=2)),
    loop("2310C", "service facility", "2300", starts("NM1", "77"),
         _name("77", "2", _NPI, "service facility location name"), *_ADDRESS),
    loop("2320", "other subscriber information", "2300", starts("SBR"),
         s.SBR.use(required=("payer_responsibility", "relationship", "claim_filing"),
                   codes={"payer_responsibility": PAYER_RESPONSIBILITY,
                          "relationship": "01 18 19 20 21 39 40 53 G8", "claim_filing": CLAIM_FILING},
                   unused=("coordination", "yes_no", "employment")),
         _CAS,
         s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "D A8 EAF"}, upto=2),
         s.OI.use(required=("benefits_assigned", "release_of_information"),
                  codes={"benefits_assigned": "N W Y", "patient_signature_source": "P",
                         "release_of_information": "I Y"},
                  unused=("claim_filing", "claim_submit_reason", "provider_agreement")),
         s.MOA.use()),
    loop("2330A", "other subscriber", "2320", starts("NM1", "IL"),
         _name("IL", _PERSON_OR_ORG, "II MI", "other subscriber name"), *_ADDRESS,
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "SY"}, upto=2)),
    loop("2330B", "other payer", "2320", starts("NM1", "PR"),
         _name("PR", "2", "PI XV", "other payer name"), *_ADDRESS,
         s.DTP.use(required=("qualifier", "format", "value"), codes={"qualifier": "573", "format": "D8"}),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "2U EI FY NF G1 9F T4 F8"}, upto=2)),
    loop("2400", "service line", "2300", starts("LX"),
         s.LX.use(required=("number",)),
         s.SV1.use(required=("procedure", "procedure.qualifier", "procedure.code", "charge",
                             "unit_basis", "units", "pointers", "pointers.pointer1"),
                   codes={"procedure.qualifier": "ER HC IV WK", "unit_basis": "MJ UN",
                          "emergency": "Y", "epsdt": "Y", "family_planning": "Y"},
                   unused=("service_type", "monetary", "multiple_procedure")),
         s.DTP.use(required=("qualifier", "format", "value"),
                   codes={"qualifier": "472 471 607 463 461 304 738 739 011 455 454 441 296 "
                                       "297 050 090 091",
                          "format": "D8 RD8"}),
         s.REF.use(required=("qualifier", "value"),
                   codes={"qualifier": "6R 9B 9D G1 9F X4 F4 BT EW XZ VY TP OZ"}, upto=2),
         s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "T GT"}, upto=2)),
    loop("2420A", "line rendering provider", "2400", starts("NM1", "82"),
         _name("82", _PERSON_OR_ORG, _NPI, "rendering provider name"),
         s.PRV.use(required=("code", "qualifier", "taxonomy"), codes={"code": "PE", "qualifier": "PXC"}),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "0B 1G G2 LU"}, upto=2)),
    loop("2430", "line adjudication", "2400", starts("SVD"),
         s.SVD.use(required=("payer_id", "paid", "procedure", "procedure.qualifier", "procedure.code",
                             "units"),
                   codes={"procedure.qualifier": "ER HC IV WK"}, unused=("revenue_code",)),
         _CAS,
         s.DTP.use(required=("qualifier", "format", "value"), codes={"qualifier": "573", "format": "D8"}),
         s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "EAF"}, upto=2)),
))
