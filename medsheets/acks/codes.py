"""Short explanations of the codes in 999 and 277CA acknowledgments, in medsheets' own words.

The official code descriptions belong to X12; these are our plain-language summaries, written
for a biller deciding what to fix. Of the claim status codes (thousands of them, a code list
maintained outside X12) the common ones are explained; the rest are shown as codes.
"""

from __future__ import annotations

# IK304: what is wrong with a segment.
SEGMENT_ERRORS = {
    "1": "a segment name the clearinghouse does not know",
    "2": "a segment where the guide expects none",
    "3": "a segment the guide requires is missing",
    "4": "a loop repeats more often than allowed",
    "5": "a segment repeats more often than allowed",
    "6": "a segment that does not belong in this kind of transaction",
    "7": "segments out of order",
    "8": "an element of this segment is wrong (see the element note)",
    "I4": "a segment the guide says never to send",
    "I6": "a segment needed in this situation is missing",
    "I7": "a loop appears fewer times than required",
    "I8": "a segment appears fewer times than required",
    "I9": "a segment sent where this situation says to leave it out",
}

# IK403: what is wrong with an element.
ELEMENT_ERRORS = {
    "1": "a required value is empty",
    "2": "a value needed because of another value is empty",
    "3": "more elements than the segment has",
    "4": "the value is too short",
    "5": "the value is too long",
    "6": "the value holds a character that is not allowed",
    "7": "the code is not one of the allowed values",
    "8": "the date is not a valid date",
    "9": "the time is not a valid time",
    "10": "two values were sent that may not go together",
    "12": "the value repeats too often",
    "13": "the value has too many parts",
    "I6": "the code exists in X12 but this guide does not allow it",
    "I9": "a value needed in this situation is empty",
    "I10": "a value the guide says never to send",
    "I11": "the value repeats too few times",
    "I12": "the value does not have the required format",
    "I13": "a value sent where this situation says to leave it out",
}

# IK501 / AK901: the verdict on a transaction set or group.
VERDICTS = {
    "A": "accepted",
    "E": "accepted, with errors noted",
    "P": "partly accepted (see each transaction set)",
    "R": "rejected",
    "M": "rejected (message authentication failed)",
    "W": "rejected (failed the clearinghouse's validity checks)",
    "X": "rejected (could not be read after decryption)",
}

# IK502..IK506: what is wrong with a whole transaction set.
SET_ERRORS = {
    "1": "this kind of transaction is not supported",
    "2": "the SE trailer is missing",
    "3": "ST02 and SE02 differ",
    "4": "SE01 does not count the segments sent",
    "5": "one or more segments are wrong",
    "6": "the transaction type is missing or wrong",
    "7": "the control number is missing or wrong",
    "18": "the transaction is not inside a functional group",
    "19": "the implementation guide named in ST03 is wrong",
    "23": "the control number is used twice in the group",
    "I5": "one or more segments break the implementation guide",
    "I6": "the implementation guide is not supported",
}

# AK905..AK909: what is wrong with the whole functional group.
GROUP_ERRORS = {
    "1": "this kind of functional group is not supported",
    "2": "this X12 version is not supported",
    "3": "the GE trailer is missing",
    "4": "GS06 and GE02 differ",
    "5": "GE01 does not count the transaction sets sent",
    "6": "the group control number is missing or wrong",
}

# 277CA STC01-1: what happened to a claim.
CATEGORIES = {
    "A0": "passed on to another entity",
    "A1": "received",
    "A2": "accepted for adjudication",
    "A3": "returned: could not be processed",
    "A4": "not found",
    "A5": "split into more than one claim",
    "A6": "rejected: information is missing",
    "A7": "rejected: information is not valid",
    "A8": "rejected: two pieces of information do not agree",
    # 277 claim-status responses (005010X212) add the payer's own categories:
    "D0": "the payer cannot tell: the data search was unsuccessful",
    "E0": "the payer's system could not answer: ask again later",
    "E1": "the payer's system could not answer: ask again later",
    "E2": "the payer could not answer: information in the request is missing or invalid",
    "E3": "the payer's system could not answer: ask again later",
    "E4": "the payer could not answer: information in the request is missing or invalid",
    "F0": "finalized: the claim has been decided",
    "F1": "finalized: paid",
    "F2": "finalized: denied",
    "F3": "finalized: returned to the provider, with the reason",
    "F3F": "finalized: forwarded to another payer",
    "F3N": "finalized: the payer will not process the claim further",
    "F4": "finalized: adjudication is complete, no payment forthcoming",
    "P0": "pending: in process at the payer",
    "P1": "pending: in process at the payer",
    "P2": "pending: under review at the payer",
    "P3": "pending: the payer is waiting for information it asked for",
    "P4": "pending: the payer is waiting for information from the patient or another party",
    "P5": "pending: held for a payer administrative or system reason",
    "R0": "the payer wants more information about the claim",
    "R1": "the payer wants more information about the entity named",
    "R3": "the payer wants more information about the claim or lines",
    "R4": "the payer wants documentation",
    "R5": "the payer wants more information about specific lines",
}

# STC01-2 claim status codes (an external code list of more than a thousand codes): the ones a
# small practice meets most often, in our own words. A practice may add or override any of
# them (and the categories) on the optional StatusCodes sheet of codesets.xlsx.
STATUS_CODES = {
    "0": "no more status can be given electronically: call the payer",
    "1": "see the remittance advice for the details",
    "2": "the payer will send a letter with the details",
    "3": "decided and waiting for the payer's next payment cycle",
    "15": "a procedure code was changed by the payer",
    "16": "sent on to another entity",
    "17": "sent on by a third party to another entity",
    "19": "the entity acknowledges receiving the claim",
    "20": "accepted for processing",
    "21": "information is missing or invalid",
    "23": "returned to the entity named",
    "24": "the entity is not approved to send claims electronically",
    "25": "the entity is not approved",
    "26": "the entity was not found",
    "27": "the policy was cancelled",
    "29": "the subscriber and the policy or contract number do not match",
    "30": "the subscriber and the member id do not match",
    "31": "the subscriber and the policyholder name do not match",
    "32": "the subscriber and the policy or contract number were not found",
    "33": "the subscriber and the member id were not found",
    "35": "the payer has no record of this claim",
    "41": "special handling is needed at the payer",
    "42": "the payer cannot answer right now: ask again later",
    "65": "the claim or line has been paid",
    "88": "the entity is not eligible for benefits on these dates of service",
    "97": "the payer finds no eligibility for the patient",
    "101": "processed as an adjustment to an earlier claim",
    "107": "processed according to the contract or plan",
    "116": "sent to the wrong payer",
    "128": "the entity's tax id",
    "145": "the entity's specialty or taxonomy code",
    "153": "the entity's id number",
    "164": "the entity's contract or member number",
    "178": "the submitted charges",
    "187": "the dates of service",
    "247": "the line information",
    "454": "the procedure code",
    "458": "the diagnosis code",
    "562": "the entity's National Provider Identifier (NPI)",
}

# STC01-3: whom a status is about (the common ones).
ENTITIES = {
    "03": "dependent", "40": "receiver", "41": "submitter", "77": "service location",
    "82": "rendering provider", "85": "billing provider", "DN": "referring provider",
    "IL": "subscriber", "PR": "payer", "QC": "patient", "1P": "provider",
}


def explain(table: dict[str, str], code: str) -> str:
    """The explanation of `code`, or a pointer to the clearinghouse's documentation."""
    return table.get(code, f"code {code} (see the clearinghouse's code list)")


def status_words(category: str, code: str, entity: str = "",
                 overrides: dict[str, str] | None = None) -> str:
    """A 277CA/277 status in words: "A7-562-85 rejected: information is not valid: the
    entity's National Provider Identifier (NPI) (about the billing provider)". `overrides`
    (the practice's StatusCodes sheet) wins over the built-in words, by category or code."""
    own = overrides or {}
    token = "-".join(part for part in (category, code, entity) if part)
    words = own.get(category) or explain(CATEGORIES, category)
    detail = own.get(code) or STATUS_CODES.get(code)
    if detail:
        words += f": {detail}"
    if entity in ENTITIES:
        words += f" (about the {ENTITIES[entity]})"
    return f"{token} {words}"
