"""Short explanations of the codes in 999 and 277CA acknowledgments, in medsheets' own words.

The official code descriptions belong to X12; these are our plain-language summaries, written
for a biller deciding what to fix. The 277CA/277 claim statuses are explained in
medsheets.codes.claim_status (the denial and follow-up worklists show them too).
"""

from __future__ import annotations

from medsheets.codes.claim_status import CATEGORIES, ENTITIES, STATUS_CODES, status_words

__all__ = ["CATEGORIES", "ENTITIES", "STATUS_CODES", "status_words"]

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


def explain(table: dict[str, str], code: str) -> str:
    """The explanation of `code`, or a pointer to the clearinghouse's documentation."""
    return table.get(code, f"code {code} (see the clearinghouse's code list)")
