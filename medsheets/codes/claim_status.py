"""277CA and 277 claim statuses (STC01: category, status code, entity) in medsheets' own words.

Shared by the features that show a claim's status: acks (the terminal and its report), the
denial worklist and the follow-up worklist. The official descriptions belong to X12 and the
code list's maintainers; these are plain-language summaries for a biller deciding what to do.
Of the claim status codes (more than a thousand) the common ones are explained; the rest are
shown as codes. A practice may add or override any of them on the StatusCodes sheet.
"""

from __future__ import annotations

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


def status_words(category: str, code: str, entity: str = "",
                 overrides: dict[str, str] | None = None) -> str:
    """A 277CA/277 status in words: "A7-562-85 rejected: information is not valid: the
    entity's National Provider Identifier (NPI) (about the billing provider)". `overrides`
    (the practice's StatusCodes sheet) wins over the built-in words, by category or code."""
    own = overrides or {}
    token = "-".join(part for part in (category, code, entity) if part)
    words = own.get(category) or CATEGORIES.get(
        category, f"code {category} (see the clearinghouse's code list)")
    detail = own.get(code) or STATUS_CODES.get(code)
    if detail:
        words += f": {detail}"
    if entity in ENTITIES:
        words += f" (about the {ENTITIES[entity]})"
    return f"{token} {words}"
