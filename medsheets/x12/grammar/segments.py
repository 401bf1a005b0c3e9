"""The X12 5010 segment dictionary: every segment medsheets writes or reads, element by element.

Each segment lists its elements in order with the name readers use, the X12 type and the
length bounds of the 005010 dictionary. Nothing here is specific to one transaction: the loops
of each guide (`x837p.py`, `x835.py`, ...) narrow these with `SegmentDef.use` to say what is
required and which codes are allowed where. Names are medsheets' own words for the elements;
where an element means different things in different loops (NM103 is a last name or an
organization), the name says the common case and the loop's declaration says the rest.
"""

from __future__ import annotations

from medsheets.x12.grammar.schema import ElementDef, SegmentDef

_Part = tuple[str, str, int, int] | tuple[str, tuple[tuple[str, str, int, int], ...]]


def e(name: str, kind: str, low: int, high: int) -> tuple[str, str, int, int]:
    """A simple element: name, X12 type, minimum and maximum length."""
    return (name, kind, low, high)


def c(name: str, *parts: tuple[str, str, int, int]) -> tuple[str, tuple[tuple[str, str, int, int], ...]]:
    """A composite element and its components, in order."""
    return (name, parts)


def seg(segment_id: str, name: str, *parts: _Part) -> SegmentDef:
    """A SegmentDef with element references (NM101, SV101-2...) numbered from the order."""
    elements = []
    for number, part in enumerate(parts, start=1):
        ref = f"{segment_id}{number:02d}"
        if isinstance(part[1], tuple):
            components = tuple(ElementDef(f"{ref}-{n}", sub[0], sub[1], sub[2], sub[3])
                               for n, sub in enumerate(part[1], start=1))
            elements.append(ElementDef(ref, part[0], "C", 0, 0, components=components))
        else:
            name_, kind, low, high = part  # type: ignore[misc]
            elements.append(ElementDef(ref, name_, kind, low, high))
    return SegmentDef(segment_id, name, tuple(elements))


# Composites shared by several segments.
_PROCEDURE = ("qualifier", "ID", 2, 2), ("code", "AN", 1, 48), ("modifier1", "AN", 2, 2), \
    ("modifier2", "AN", 2, 2), ("modifier3", "AN", 2, 2), ("modifier4", "AN", 2, 2), \
    ("description", "AN", 1, 80), ("product_id", "AN", 1, 48)
_DIAGNOSIS = ("qualifier", "ID", 1, 3), ("code", "AN", 1, 30), ("date_format", "ID", 2, 3), \
    ("date", "AN", 1, 35), ("amount", "R", 1, 18), ("quantity", "R", 1, 15), \
    ("version", "AN", 1, 30), ("code_end", "AN", 1, 30), ("present_on_admission", "ID", 1, 1)
_STATUS = ("category", "AN", 1, 30), ("status", "AN", 1, 30), ("entity", "ID", 2, 3), \
    ("code_list", "ID", 1, 3)
_REF_ID = ("qualifier", "ID", 2, 3), ("value", "AN", 1, 50), ("qualifier2", "ID", 2, 3), \
    ("value2", "AN", 1, 50), ("qualifier3", "ID", 2, 3), ("value3", "AN", 1, 50)

# --- envelope (ISA is fixed-width and written by envelope.isa) --------------------------------
GS = seg("GS", "functional group header",
         e("functional_id", "ID", 2, 2), e("sender", "AN", 2, 15), e("receiver", "AN", 2, 15),
         e("date", "DT", 8, 8), e("time", "TM", 4, 8), e("control_number", "N0", 1, 9),
         e("agency", "ID", 1, 2), e("version", "AN", 1, 12))
ST = seg("ST", "transaction set header",
         e("transaction_type", "ID", 3, 3), e("control_number", "AN", 4, 9),
         e("version", "AN", 1, 35))
SE = seg("SE", "transaction set trailer", e("segment_count", "N0", 1, 10),
         e("control_number", "AN", 4, 9))
GE = seg("GE", "functional group trailer", e("transaction_count", "N0", 1, 6),
         e("control_number", "N0", 1, 9))
IEA = seg("IEA", "interchange trailer", e("group_count", "N0", 1, 5),
          e("control_number", "N0", 9, 9))

# --- shared by most health care transactions --------------------------------------------------
BHT = seg("BHT", "beginning of hierarchical transaction",
          e("structure", "ID", 4, 4), e("purpose", "ID", 2, 2), e("reference", "AN", 1, 50),
          e("date", "DT", 8, 8), e("time", "TM", 4, 8), e("transaction_type", "ID", 2, 2))
HL = seg("HL", "hierarchical level",
         e("id", "AN", 1, 12), e("parent_id", "AN", 1, 12), e("level_code", "ID", 1, 2),
         e("child_code", "ID", 1, 1))
NM1 = seg("NM1", "individual or organizational name",
          e("entity", "ID", 2, 3), e("entity_type", "ID", 1, 1), e("last_name", "AN", 1, 60),
          e("first_name", "AN", 1, 35), e("middle_name", "AN", 1, 25), e("prefix", "AN", 1, 10),
          e("suffix", "AN", 1, 10), e("id_qualifier", "ID", 1, 2), e("id", "AN", 2, 80),
          e("relationship", "ID", 2, 2), e("entity2", "ID", 2, 3), e("last_name2", "AN", 1, 60))
N1 = seg("N1", "party identification",
         e("entity", "ID", 2, 3), e("name", "AN", 1, 60), e("id_qualifier", "ID", 1, 2),
         e("id", "AN", 2, 80), e("relationship", "ID", 2, 2), e("entity2", "ID", 2, 3))
N3 = seg("N3", "address", e("address1", "AN", 1, 55), e("address2", "AN", 1, 55))
N4 = seg("N4", "city, state, ZIP",
         e("city", "AN", 2, 30), e("state", "ID", 2, 2), e("zip", "ID", 3, 15),
         e("country", "ID", 2, 3), e("location_qualifier", "ID", 1, 2),
         e("location", "AN", 1, 30), e("subdivision", "ID", 1, 3))
PER = seg("PER", "contact",
          e("function", "ID", 2, 2), e("name", "AN", 1, 60), e("qualifier1", "ID", 2, 2),
          e("number1", "AN", 1, 256), e("qualifier2", "ID", 2, 2), e("number2", "AN", 1, 256),
          e("qualifier3", "ID", 2, 2), e("number3", "AN", 1, 256))
REF = seg("REF", "reference identification",
          e("qualifier", "ID", 2, 3), e("value", "AN", 1, 50), e("description", "AN", 1, 80),
          c("reference", *_REF_ID))
DTP = seg("DTP", "date or time period",
          e("qualifier", "ID", 3, 3), e("format", "ID", 2, 3), e("value", "AN", 1, 35))
DTM = seg("DTM", "date/time",
          e("qualifier", "ID", 3, 3), e("date", "DT", 8, 8), e("time", "TM", 4, 8),
          e("time_code", "ID", 2, 2), e("format", "ID", 2, 3), e("period", "AN", 1, 35))
DMG = seg("DMG", "demographics",
          e("format", "ID", 2, 3), e("birth_date", "AN", 1, 35), e("sex", "ID", 1, 1),
          e("marital_status", "ID", 1, 1), e("race", "AN", 0, 0), e("citizenship", "ID", 1, 2),
          e("country", "ID", 2, 3), e("basis", "ID", 1, 2), e("quantity", "R", 1, 15),
          e("code_list", "ID", 1, 3), e("industry_code", "AN", 1, 30))
AMT = seg("AMT", "monetary amount", e("qualifier", "ID", 1, 3), e("amount", "R", 1, 18),
          e("credit_debit", "ID", 1, 1))
TRN = seg("TRN", "trace", e("type", "ID", 1, 2), e("reference", "AN", 1, 50),
          e("originator", "AN", 10, 10), e("reference2", "AN", 1, 50))
PRV = seg("PRV", "provider information", e("code", "ID", 1, 3), e("qualifier", "ID", 2, 3),
          e("taxonomy", "AN", 1, 50))
LX = seg("LX", "line number", e("number", "N0", 1, 6))
QTY = seg("QTY", "quantity", e("qualifier", "ID", 2, 2), e("quantity", "R", 1, 15))

# --- 837P --------------------------------------------------------------------------------------
SBR = seg("SBR", "subscriber information",
          e("payer_responsibility", "ID", 1, 1), e("relationship", "ID", 2, 2),
          e("group_number", "AN", 1, 50), e("group_name", "AN", 1, 60),
          e("insurance_type", "ID", 1, 3), e("coordination", "ID", 1, 1),
          e("yes_no", "ID", 1, 1), e("employment", "ID", 2, 2), e("claim_filing", "ID", 1, 2))
PAT = seg("PAT", "patient information",
          e("relationship", "ID", 2, 2), e("location", "ID", 1, 1), e("employment", "ID", 2, 2),
          e("student", "ID", 1, 1), e("date_format", "ID", 2, 3), e("death_date", "AN", 1, 35),
          e("weight_unit", "ID", 2, 2), e("weight", "R", 1, 10), e("pregnant", "ID", 1, 1))
CLM = seg("CLM", "claim information",
          e("claim_id", "AN", 1, 38), e("total_charge", "R", 1, 18), e("claim_filing", "ID", 1, 2),
          e("non_institutional_type", "ID", 1, 2),
          c("facility", ("place_of_service", "AN", 1, 2), ("qualifier", "ID", 1, 2),
            ("frequency", "ID", 1, 1)),
          e("provider_signature", "ID", 1, 1), e("assignment", "ID", 1, 1),
          e("benefits_assigned", "ID", 1, 1), e("release_of_information", "ID", 1, 1),
          e("patient_signature_source", "ID", 1, 1),
          c("related_causes", ("cause1", "ID", 2, 3), ("cause2", "ID", 2, 3),
            ("cause3", "ID", 2, 3), ("state", "ID", 2, 2), ("country", "ID", 2, 3)),
          e("special_program", "ID", 2, 3), e("yes_no", "ID", 1, 1), e("level_of_service", "ID", 1, 3),
          e("yes_no2", "ID", 1, 1), e("provider_agreement", "ID", 1, 1),
          e("claim_status", "ID", 1, 2), e("yes_no3", "ID", 1, 1), e("submission_reason", "ID", 2, 2),
          e("delay_reason", "ID", 1, 2))
HI = seg("HI", "health care diagnosis codes",
         *(c(f"diagnosis{n}", *_DIAGNOSIS) for n in range(1, 13)))
SV1 = seg("SV1", "professional service",
          c("procedure", *_PROCEDURE), e("charge", "R", 1, 18), e("unit_basis", "ID", 2, 2),
          e("units", "R", 1, 15), e("place_of_service", "AN", 1, 2), e("service_type", "ID", 1, 2),
          c("pointers", ("pointer1", "N0", 1, 2), ("pointer2", "N0", 1, 2),
            ("pointer3", "N0", 1, 2), ("pointer4", "N0", 1, 2)),
          e("monetary", "R", 1, 18), e("emergency", "ID", 1, 1), e("multiple_procedure", "ID", 1, 1),
          e("epsdt", "ID", 1, 1), e("family_planning", "ID", 1, 1))
CAS = seg("CAS", "claims adjustment",
          e("group", "ID", 1, 2),
          *(part for n in range(1, 7) for part in (
              e(f"reason{n}", "ID", 1, 5), e(f"amount{n}", "R", 1, 18), e(f"quantity{n}", "R", 1, 15))))
OI = seg("OI", "other insurance coverage",
         e("claim_filing", "ID", 1, 2), e("claim_submit_reason", "ID", 2, 2),
         e("benefits_assigned", "ID", 1, 1), e("patient_signature_source", "ID", 1, 1),
         e("provider_agreement", "ID", 1, 1), e("release_of_information", "ID", 1, 1))
MOA = seg("MOA", "outpatient adjudication information",
          e("reimbursement_rate", "R", 1, 10), e("hcpcs_payable", "R", 1, 18),
          *(e(f"remark{n}", "AN", 1, 50) for n in range(1, 6)),
          e("esrd_payment", "R", 1, 18), e("nonpayable_professional", "R", 1, 18))
SVD = seg("SVD", "line adjudication information",
          e("payer_id", "AN", 2, 80), e("paid", "R", 1, 18), c("procedure", *_PROCEDURE),
          e("revenue_code", "AN", 1, 48), e("units", "R", 1, 15), e("bundled_line", "N0", 1, 6))

# --- 835 -----------------------------------------------------------------------------------------
BPR = seg("BPR", "financial information",
          e("handling", "ID", 1, 2), e("amount", "R", 1, 18), e("credit_debit", "ID", 1, 1),
          e("method", "ID", 3, 3), e("format", "ID", 1, 10), e("sender_dfi_qualifier", "ID", 2, 2),
          e("sender_dfi", "AN", 3, 12), e("sender_account_qualifier", "ID", 1, 3),
          e("sender_account", "AN", 1, 35), e("originator", "AN", 10, 10),
          e("originator_supplemental", "AN", 9, 9), e("receiver_dfi_qualifier", "ID", 2, 2),
          e("receiver_dfi", "AN", 3, 12), e("receiver_account_qualifier", "ID", 1, 3),
          e("receiver_account", "AN", 1, 35), e("date", "DT", 8, 8))
CUR = seg("CUR", "currency", e("entity", "ID", 2, 3), e("currency", "ID", 3, 3))
TS3 = seg("TS3", "provider summary information",
          e("provider_id", "AN", 1, 50), e("facility_code", "AN", 1, 2), e("fiscal_period_end", "DT", 8, 8),
          e("claim_count", "R", 1, 15), e("total_charge", "R", 1, 18))
TS2 = seg("TS2", "provider supplemental summary", e("total_drg", "R", 1, 18))
CLP = seg("CLP", "claim payment information",
          e("patient_control_number", "AN", 1, 38), e("status", "ID", 1, 2),
          e("total_charge", "R", 1, 18), e("paid", "R", 1, 18),
          e("patient_responsibility", "R", 1, 18), e("claim_filing", "ID", 1, 2),
          e("payer_claim_number", "AN", 1, 50), e("facility_type", "AN", 1, 2),
          e("frequency", "ID", 1, 1), e("patient_status", "ID", 1, 2), e("drg", "ID", 1, 4),
          e("drg_weight", "R", 1, 15), e("discharge_fraction", "R", 1, 10), e("yes_no", "ID", 1, 1))
MIA = seg("MIA", "inpatient adjudication information",
          e("covered_days", "R", 1, 15), e("pps_operating_outlier", "R", 1, 18),
          e("lifetime_psychiatric_days", "R", 1, 15), e("drg_amount", "R", 1, 18),
          e("remark1", "AN", 1, 50),
          *(e(f"amount{n}", "R", 1, 18) for n in range(6, 20)),
          *(e(f"remark{n}", "AN", 1, 50) for n in range(2, 6)),
          e("capital_exception", "R", 1, 18))
SVC = seg("SVC", "service payment information",
          c("procedure", *_PROCEDURE), e("charge", "R", 1, 18), e("paid", "R", 1, 18),
          e("revenue_code", "AN", 1, 48), e("units", "R", 1, 15), c("original_procedure", *_PROCEDURE),
          e("original_units", "R", 1, 15))
LQ = seg("LQ", "health care remark codes", e("code_list", "ID", 1, 3), e("remark", "AN", 1, 30))
RDM = seg("RDM", "remittance delivery method", e("method", "ID", 1, 2), e("name", "AN", 1, 60),
          e("communication_number", "AN", 1, 256))
PLB = seg("PLB", "provider level adjustment",
          e("provider_id", "AN", 1, 50), e("fiscal_period_end", "DT", 8, 8),
          *(part for n in range(1, 7) for part in (
              c(f"reason{n}", ("code", "ID", 2, 2), ("reference", "AN", 1, 50)),
              e(f"amount{n}", "R", 1, 18))))

# --- 999 -----------------------------------------------------------------------------------------
AK1 = seg("AK1", "functional group response header", e("functional_id", "ID", 2, 2),
          e("group_control_number", "N0", 1, 9), e("version", "AN", 1, 12))
AK2 = seg("AK2", "transaction set response header", e("transaction_type", "ID", 3, 3),
          e("control_number", "AN", 4, 9), e("version", "AN", 1, 35))
IK3 = seg("IK3", "error identification", e("segment_id", "ID", 2, 3), e("position", "N0", 1, 10),
          e("loop", "AN", 1, 4), e("error_code", "ID", 1, 3))
CTX = seg("CTX", "context",
          c("context", ("name", "AN", 1, 35), ("reference", "AN", 1, 35)),
          e("segment_id", "ID", 2, 3), e("position", "N0", 1, 10), e("loop", "AN", 1, 4),
          c("element_position", ("element", "N0", 1, 2), ("component", "N0", 1, 2),
            ("repetition", "N0", 1, 4)),
          c("reference", ("element_reference", "N0", 1, 4), ("element_reference2", "N0", 1, 4)))
IK4 = seg("IK4", "implementation data element note",
          c("position", ("element", "N0", 1, 2), ("component", "N0", 1, 2), ("repetition", "N0", 1, 4)),
          e("reference", "N0", 1, 4), e("error_code", "ID", 1, 3), e("bad_value", "AN", 1, 99))
IK5 = seg("IK5", "transaction set response trailer", e("code", "ID", 1, 1),
          *(e(f"error{n}", "ID", 1, 3) for n in range(1, 6)))
AK9 = seg("AK9", "functional group response trailer", e("code", "ID", 1, 1),
          e("included", "N0", 1, 6), e("received", "N0", 1, 6), e("accepted", "N0", 1, 6),
          *(e(f"error{n}", "ID", 1, 3) for n in range(1, 6)))

# --- 276 / 277 / 277CA ---------------------------------------------------------------------------
STC = seg("STC", "status information",
          c("status", *_STATUS), e("date", "DT", 8, 8), e("action", "ID", 1, 2),
          e("charge", "R", 1, 18), e("paid", "R", 1, 18), e("payment_date", "DT", 8, 8),
          e("payment_method", "ID", 3, 3), e("check_date", "DT", 8, 8),
          e("check_number", "AN", 1, 16), c("status2", *_STATUS), c("status3", *_STATUS),
          e("message", "AN", 1, 264))
SVC_STATUS = seg("SVC", "service line information",
                 c("procedure", *_PROCEDURE), e("charge", "R", 1, 18), e("paid", "R", 1, 18),
                 e("revenue_code", "AN", 1, 48), e("units", "R", 1, 15),
                 c("original_procedure", *_PROCEDURE), e("original_units", "R", 1, 15))

# --- 270 / 271 -----------------------------------------------------------------------------------
INS = seg("INS", "subscriber relationship",
          e("subscriber", "ID", 1, 1), e("relationship", "ID", 2, 2), e("maintenance_type", "ID", 3, 3),
          e("maintenance_reason", "ID", 2, 3), e("benefit_status", "ID", 1, 1),
          e("medicare_plan", "AN", 0, 0), e("cobra", "ID", 1, 2), e("employment", "ID", 2, 2),
          e("student", "ID", 1, 1), e("handicap", "ID", 1, 1), e("date_format", "ID", 2, 3),
          e("death_date", "AN", 1, 35), e("confidentiality", "ID", 1, 1), e("city", "AN", 2, 30),
          e("state", "ID", 2, 2), e("country", "ID", 2, 3), e("birth_sequence", "N0", 1, 9))
EQ = seg("EQ", "eligibility or benefit inquiry",
         e("service_type", "ID", 1, 2), c("procedure", *_PROCEDURE), e("coverage_level", "ID", 3, 3),
         e("insurance_type", "ID", 1, 3),
         c("diagnosis_pointers", ("pointer1", "N0", 1, 2), ("pointer2", "N0", 1, 2),
           ("pointer3", "N0", 1, 2), ("pointer4", "N0", 1, 2)))
EB = seg("EB", "eligibility or benefit information",
         e("information", "ID", 1, 2), e("coverage_level", "ID", 3, 3), e("service_type", "ID", 1, 2),
         e("insurance_type", "ID", 1, 3), e("plan_description", "AN", 1, 50),
         e("time_period", "ID", 1, 2), e("amount", "R", 1, 18), e("percent", "R", 1, 10),
         e("quantity_qualifier", "ID", 2, 2), e("quantity", "R", 1, 15),
         e("authorization_required", "ID", 1, 1), e("in_network", "ID", 1, 1),
         c("procedure", *_PROCEDURE),
         c("diagnosis_pointers", ("pointer1", "N0", 1, 2), ("pointer2", "N0", 1, 2),
           ("pointer3", "N0", 1, 2), ("pointer4", "N0", 1, 2)))
HSD = seg("HSD", "health care services delivery",
          e("quantity_qualifier", "ID", 2, 2), e("quantity", "R", 1, 15), e("unit", "ID", 2, 2),
          e("sample_size", "R", 1, 15), e("time_period", "ID", 1, 2), e("periods", "N0", 1, 3),
          e("delivery_frequency", "ID", 1, 2), e("delivery_pattern_time", "ID", 1, 1))
AAA = seg("AAA", "request validation", e("valid", "ID", 1, 1), e("agency", "ID", 1, 2),
          e("reject_reason", "ID", 2, 2), e("follow_up", "ID", 1, 1))
MSG = seg("MSG", "message text", e("text", "AN", 1, 264))
III = seg("III", "information", e("qualifier", "ID", 1, 3), e("code", "AN", 1, 30),
          e("category", "ID", 2, 2), e("text", "AN", 1, 264))
LS = seg("LS", "loop header", e("loop", "AN", 1, 4))
LE = seg("LE", "loop trailer", e("loop", "AN", 1, 4))
