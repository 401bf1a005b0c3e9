"""The example practice's Diagnoses sheet: the ICD-10-CM codes its front desk uses most.

Every code is a billable (leaf) code of the release medsheets ships with, and every diagnosis
on the example encounters comes from this list, so a test can hold both to that. The titles
are ICD-10-CM's (public domain, from CDC/NCHS), shortened where long.
"""

from __future__ import annotations

DIAGNOSES: tuple[tuple[str, str], ...] = (
    ("D51.0", "Vitamin B12 deficiency anemia due to intrinsic factor deficiency"),
    ("E03.9", "Hypothyroidism, unspecified"),
    ("E11.65", "Type 2 diabetes mellitus with hyperglycemia"),
    ("E11.9", "Type 2 diabetes mellitus without complications"),
    ("E78.5", "Hyperlipidemia, unspecified"),
    ("H66.91", "Otitis media, unspecified, right ear"),
    ("I10", "Essential (primary) hypertension"),
    ("I48.91", "Unspecified atrial fibrillation"),
    ("I50.32", "Chronic diastolic (congestive) heart failure"),
    ("J01.90", "Acute sinusitis, unspecified"),
    ("J02.0", "Streptococcal pharyngitis"),
    ("J02.9", "Acute pharyngitis, unspecified"),
    ("J06.9", "Acute upper respiratory infection, unspecified"),
    ("J44.1", "Chronic obstructive pulmonary disease with (acute) exacerbation"),
    ("J45.41", "Moderate persistent asthma with (acute) exacerbation"),
    ("L03.115", "Cellulitis of right lower limb"),
    ("L70.0", "Acne vulgaris"),
    ("M17.11", "Unilateral primary osteoarthritis, right knee"),
    ("M17.12", "Unilateral primary osteoarthritis, left knee"),
    ("M54.50", "Low back pain, unspecified"),
    ("N39.0", "Urinary tract infection, site not specified"),
    ("R07.9", "Chest pain, unspecified"),
    ("R51.9", "Headache, unspecified"),
    ("Z00.00", "General adult medical examination without abnormal findings"),
    ("Z00.129", "Routine child health examination without abnormal findings"),
    ("Z01.419", "Gynecological examination (routine) without abnormal findings"),
    ("Z11.51", "Encounter for screening for human papillomavirus (HPV)"),
    ("Z12.4", "Encounter for screening for malignant neoplasm of cervix"),
    ("Z12.5", "Encounter for screening for malignant neoplasm of prostate"),
    ("Z13.220", "Encounter for screening for lipoid disorders"),
    ("Z23", "Encounter for immunization"),
    ("Z32.01", "Encounter for pregnancy test, result positive"),
    ("Z32.02", "Encounter for pregnancy test, result negative"),
    ("Z51.81", "Encounter for therapeutic drug level monitoring"),
    ("Z79.01", "Long term (current) use of anticoagulants"),
    ("Z79.4", "Long term (current) use of insulin"),
    ("Z79.84", "Long term (current) use of oral hypoglycemic drugs"),
)
