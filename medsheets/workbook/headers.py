"""The header spellings a front desk types, known without a `[columns]` alias.

Front desks name their columns the way their last system did: `DOS`, `CPT`, `Acct #`,
`Visit ID`, `Mod 1`, `Copay`. Each spelling below means one medsheets column of the encounter
and appointment workbooks (and the Patients sheet), the secondary insurance's too. Headers are compared as `header_key` does
(case, spaces, underscores and hyphens ignored), and a practice's own `[columns]` aliases win
over these. docs/workbook-headers.md lists the same table for users; a test keeps the two equal.
"""

from __future__ import annotations

from types import MappingProxyType

_SPELLINGS: dict[str, tuple[str, ...]] = {
    "encounter_id": ("Visit ID", "Visit #", "Visit No", "Encounter", "Encounter #", "Enc ID",
                     "Claim #"),
    "appointment_id": ("Appt ID", "Appt #", "Appointment", "Appointment #"),
    "date_of_service": ("DOS", "Service Date", "Date of Visit", "Visit Date", "Svc Date"),
    "patient_id": ("Acct #", "Acct", "Account", "Account #", "Account No", "Patient #", "MRN",
                   "Chart #"),
    "patient_last_name": ("Last Name", "Pt Last", "Patient Last"),
    "patient_first_name": ("First Name", "Pt First", "Patient First"),
    "patient_dob": ("DOB", "Birth Date", "Date of Birth", "Pt DOB"),
    "patient_sex": ("Sex", "Gender"),
    "patient_address": ("Address", "Street", "Address 1"),
    "patient_city": ("City",),
    "patient_state": ("State", "ST"),
    "patient_zip": ("ZIP", "Zip Code", "Postal Code"),
    "patient_email": ("Email",),
    "patient_phone": ("Phone", "Phone #", "Telephone"),
    "payer_id": ("Payer", "Insurance", "Ins ID", "Carrier"),
    "member_id": ("Member ID", "Member #", "Subscriber ID", "Policy #", "Insurance ID"),
    "group_number": ("Group #", "Group", "Group No"),
    "subscriber_relationship": ("Relationship", "Rel to Insured"),
    "procedure_code": ("CPT", "CPT Code", "HCPCS", "Proc Code", "Procedure", "CPT/HCPCS"),
    "modifier1": ("Mod 1", "Modifier", "Mod"),
    "modifier2": ("Mod 2",),
    "modifier3": ("Mod 3",),
    "modifier4": ("Mod 4",),
    "units": ("Qty", "Units of Service", "Days or Units"),
    "charge": ("Charges", "Fee", "Amount", "Charge Amount"),
    "dx1": ("Dx 1", "Diagnosis 1", "ICD 1", "ICD-10 1", "Dx", "Diagnosis", "Primary Dx"),
    "dx2": ("Dx 2", "Diagnosis 2", "ICD 2", "ICD-10 2"),
    "dx3": ("Dx 3", "Diagnosis 3", "ICD 3", "ICD-10 3"),
    "dx4": ("Dx 4", "Diagnosis 4", "ICD 4", "ICD-10 4"),
    "place_of_service": ("POS",),
    "rendering_npi": ("Rendering NPI", "Provider NPI", "Doctor NPI"),
    "referring_npi": ("Referring NPI", "Ref NPI"),
    "referring_name": ("Referring Provider", "Referring Doctor", "Referred By"),
    "prior_auth": ("Prior Auth", "Auth #", "Authorization", "Auth"),
    "copay_collected": ("Copay", "Copay Paid", "Collected"),
    "secondary_payer_id": ("Secondary Payer", "Secondary Insurance", "Sec Ins", "Ins 2",
                           "2nd Insurance", "Secondary Carrier"),
    "secondary_member_id": ("Secondary Member ID", "Sec Member ID", "Sec Ins ID", "Ins 2 ID",
                            "Secondary Policy #"),
    "secondary_group_number": ("Secondary Group #", "Secondary Group", "Sec Group #"),
    "secondary_subscriber_relationship": ("Secondary Relationship", "Sec Rel to Insured"),
    "secondary_subscriber_last_name": ("Secondary Insured Last", "Sec Subscriber Last"),
    "secondary_subscriber_first_name": ("Secondary Insured First", "Sec Subscriber First"),
    "secondary_subscriber_dob": ("Secondary Insured DOB", "Sec Subscriber DOB"),
    "secondary_subscriber_sex": ("Secondary Insured Sex", "Sec Subscriber Sex"),
}

# A spelling -> the medsheets column it names.
FRONT_DESK_HEADERS = MappingProxyType({spelling: column for column, spellings in _SPELLINGS.items()
                                       for spelling in spellings})
