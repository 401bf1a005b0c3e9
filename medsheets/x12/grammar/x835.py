"""The 835 claim payment/advice (005010X221A1) as medsheets reads it (and the example writes it).

Header: BPR (the payment), TRN (its trace number), CUR, REF, DTM (production date); the payer
(1000A, N1*PR) and the payee (1000B, N1*PE); then per provider group (2000, LX) the claims
(2100, CLP) with their adjustments, names and dates, and each claim's service lines (2110,
SVC); provider-level adjustments (PLB) in the summary after the last claim.
"""

from __future__ import annotations

from medsheets.x12.grammar import segments as s
from medsheets.x12.grammar.schema import HEADER, TransactionDef, loop, starts

VERSION = "005010X221A1"
ADJUSTMENT_GROUPS = "CO OA PI PR"
CLAIM_STATUS = "1 2 3 4 19 20 21 22 23 25"
_CAS = s.CAS.use(required=("group", "reason1", "amount1"), codes={"group": ADJUSTMENT_GROUPS})

X835 = TransactionDef("835", VERSION, "835", (
    loop(HEADER, "payment header", None, None,
         s.BPR.use(required=("handling", "amount", "credit_debit", "method", "date"),
                   codes={"handling": "C D H I P U X", "credit_debit": "C D",
                          "method": "ACH BOP CHK FWT NON"}),
         s.TRN.use(required=("type", "reference", "originator"), codes={"type": "1"}),
         s.CUR.use(required=("entity", "currency"), codes={"entity": "PR"}),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "EV F2"}, upto=2),
         s.DTM.use(required=("qualifier", "date"), codes={"qualifier": "405"}, upto=2)),
    loop("1000A", "payer", HEADER, starts("N1", "PR"),
         s.N1.use(required=("entity", "name"), codes={"entity": "PR", "id_qualifier": "XV"}, upto=4),
         s.N3.use(required=("address1",)), s.N4.use(required=("city",), upto=7),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "2U EO HI NF"}, upto=2),
         s.PER.use(required=("function",), codes={"function": "CX BL IC"})),
    loop("1000B", "payee", HEADER, starts("N1", "PE"),
         s.N1.use(required=("entity", "name", "id_qualifier", "id"),
                  codes={"entity": "PE", "id_qualifier": "FI XV XX"}, upto=4),
         s.N3.use(required=("address1",)), s.N4.use(required=("city",), upto=7),
         s.REF.use(required=("qualifier", "value"), codes={"qualifier": "TJ PQ 0B D3"}, upto=2),
         s.RDM.use(required=("method",))),
    loop("2000", "provider group", HEADER, starts("LX"),
         s.LX.use(required=("number",)), s.TS3.use(), s.TS2.use()),
    loop("2100", "claim payment", "2000", starts("CLP"),
         s.CLP.use(required=("patient_control_number", "status", "total_charge", "paid",
                             "claim_filing"), codes={"status": CLAIM_STATUS}),
         _CAS,
         s.NM1.use(required=("entity", "entity_type"), codes={"entity": "QC IL 74 82 TT PR GB"}),
         s.MIA.use(), s.MOA.use(),
         s.REF.use(required=("qualifier", "value"),
                   codes={"qualifier": "1L 1W 28 6P 9A 9C BB CE EA F8 G1 G3 IG SY 0B 1A 1B 1C 1D 1G 1H 1J D3 G2 LU"},
                   upto=2),
         s.DTM.use(required=("qualifier", "date"), codes={"qualifier": "232 233 036 050"}, upto=2),
         s.PER.use(required=("function",)),
         s.AMT.use(required=("qualifier", "amount"), upto=2),
         s.QTY.use(required=("qualifier", "quantity"))),
    loop("2110", "service payment", "2100", starts("SVC"),
         s.SVC.use(required=("procedure", "procedure.qualifier", "procedure.code", "charge", "paid")),
         s.DTM.use(required=("qualifier", "date"), codes={"qualifier": "150 151 472"}, upto=2),
         _CAS,
         s.REF.use(required=("qualifier", "value"), upto=2),
         s.AMT.use(required=("qualifier", "amount"), codes={"qualifier": "B6 KH T T2 ZK ZL ZM ZN ZO"},
                   upto=2),
         s.QTY.use(required=("qualifier", "quantity")),
         s.LQ.use(required=("code_list", "remark"), codes={"code_list": "HE RX"})),
    loop("SUMMARY", "provider adjustments", HEADER, starts("PLB"),
         s.PLB.use(required=("provider_id", "fiscal_period_end", "reason1", "amount1"))),
))
