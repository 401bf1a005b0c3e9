"""The CMS-1500 (02/12) print grid: where each box's data goes, in lines and columns.

The form is designed for a typewriter grid: 10 characters to the inch across, 6 lines to the
inch down, on a letter page. Positions here are (line, column), both 1-based, line 1 at the top
edge of the sheet and column 1 a quarter inch from its left edge. Everything printed on a form,
the data and (on plain paper) the drawn form itself, is placed on this one grid, so the two
variants line up by construction and the alignment page can show the grid as it prints.

`FRAME` is the drawn form: every box as a rectangle of grid cells with its printed caption.
The box numbers and captions follow the NUCC 1500 Reference Instruction Manual (02/12).
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMN_INCH = 0.1  # 10 characters per inch
LINE_INCH = 1 / 6  # 6 lines per inch
LEFT_INCH = 0.25  # column 1's left edge from the sheet's left edge
TOP_INCH = 0.0  # line 1's top edge from the sheet's top edge
COLUMNS = 80
SERVICE_LINES = 6  # item 24 holds six lines; a longer claim continues on another form
FIRST_SERVICE_LINE = 44  # the unshaded data line of the first item-24 line; shaded line above


@dataclass(frozen=True, slots=True)
class Field:
    """One datum on the form: its box (e.g. "24J.2", the second line's 24J), the grid cell
    where it starts, the most characters it may take, and the text; `right` aligns it to the
    field's last column (money)."""

    box: str
    line: int
    column: int
    width: int
    text: str
    right: bool = False

    @property
    def shown(self) -> str:
        """The text as it prints: cut to the width, right-aligned if asked."""
        return shown_text(self.text, self.width, self.right)


def shown_text(text: str, width: int, right: bool) -> str:
    """A field's text as it prints (`Field.shown`): cut to the width, right-aligned if asked."""
    text = text[:width]
    return text.rjust(width) if right else text


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle of the drawn form: first line and column, last line and column (inclusive),
    the caption printed in its top-left corner, and whether it is shaded (item 24's upper
    half-lines)."""

    top: int
    left: int
    bottom: int
    right: int
    caption: str = ""
    shaded: bool = False


def x_inch(column: float) -> float:
    return LEFT_INCH + (column - 1) * COLUMN_INCH


def y_inch(line: float) -> float:
    return TOP_INCH + (line - 1) * LINE_INCH


# (first column, caption) of each item-24 column, and the last column of each.
LINE_COLUMNS = (
    (1, 18, "24. A. DATE(S) OF SERVICE  From MM DD YY   To MM DD YY"),
    (19, 21, "B. PLACE OF SERVICE"),
    (22, 23, "C. EMG"),
    (24, 44, "D. PROCEDURES, SERVICES, OR SUPPLIES  CPT/HCPCS | MODIFIER"),
    (45, 49, "E. DIAGNOSIS POINTER"),
    (50, 58, "F. $ CHARGES"),
    (59, 61, "G. DAYS OR UNITS"),
    (62, 64, "H. EPSDT Family Plan"),
    (65, 66, "I. ID. QUAL."),
    (67, 80, "J. RENDERING PROVIDER ID. #"),
)


def _frame() -> tuple[Box, ...]:
    boxes = [
        Box(7, 1, 8, 49, "1. MEDICARE   MEDICAID   TRICARE   CHAMPVA   GROUP HEALTH PLAN   FECA BLK LUNG   OTHER"),
        Box(7, 50, 8, 80, "1a. INSURED'S I.D. NUMBER (For Program in Item 1)"),
        Box(9, 1, 10, 29, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)"),
        Box(9, 30, 10, 49, "3. PATIENT'S BIRTH DATE MM DD YY    SEX M  F"),
        Box(9, 50, 10, 80, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)"),
        Box(11, 1, 12, 29, "5. PATIENT'S ADDRESS (No., Street)"),
        Box(11, 30, 12, 49, "6. PATIENT RELATIONSHIP TO INSURED  Self Spouse Child Other"),
        Box(11, 50, 12, 80, "7. INSURED'S ADDRESS (No., Street)"),
        Box(13, 1, 14, 24, "CITY"), Box(13, 25, 14, 29, "STATE"),
        Box(13, 30, 16, 49, "8. RESERVED FOR NUCC USE"),
        Box(13, 50, 14, 72, "CITY"), Box(13, 73, 14, 80, "STATE"),
        Box(15, 1, 16, 13, "ZIP CODE"), Box(15, 14, 16, 29, "TELEPHONE (Include Area Code)"),
        Box(15, 50, 16, 63, "ZIP CODE"), Box(15, 64, 16, 80, "TELEPHONE (Include Area Code)"),
        Box(17, 1, 18, 29, "9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)"),
        Box(17, 30, 18, 49, "10. IS PATIENT'S CONDITION RELATED TO:"),
        Box(17, 50, 18, 80, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
        Box(19, 1, 20, 29, "a. OTHER INSURED'S POLICY OR GROUP NUMBER"),
        Box(19, 30, 20, 49, "a. EMPLOYMENT? (Current or Previous)  YES  NO"),
        Box(19, 50, 20, 80, "a. INSURED'S DATE OF BIRTH MM DD YY        SEX M  F"),
        Box(21, 1, 22, 29, "b. RESERVED FOR NUCC USE"),
        Box(21, 30, 22, 49, "b. AUTO ACCIDENT?  YES  NO   PLACE (State)"),
        Box(21, 50, 22, 80, "b. OTHER CLAIM ID (Designated by NUCC)"),
        Box(23, 1, 24, 29, "c. RESERVED FOR NUCC USE"),
        Box(23, 30, 24, 49, "c. OTHER ACCIDENT?  YES  NO"),
        Box(23, 50, 24, 80, "c. INSURANCE PLAN NAME OR PROGRAM NAME"),
        Box(25, 1, 26, 29, "d. INSURANCE PLAN NAME OR PROGRAM NAME"),
        Box(25, 30, 26, 49, "10d. CLAIM CODES (Designated by NUCC)"),
        Box(25, 50, 26, 80, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?  YES  NO  If yes, complete items 9, 9a, and 9d."),
        Box(27, 1, 30, 49, "READ BACK OF FORM BEFORE COMPLETING & SIGNING THIS FORM.  12. PATIENT'S OR "
                           "AUTHORIZED PERSON'S SIGNATURE  I authorize the release of any medical or other "
                           "information necessary to process this claim.      SIGNED / DATE"),
        Box(27, 50, 30, 80, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize payment of "
                            "medical benefits to the undersigned physician or supplier.    SIGNED"),
        Box(31, 1, 32, 29, "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)  QUAL."),
        Box(31, 30, 32, 49, "15. OTHER DATE  QUAL.  MM DD YY"),
        Box(31, 50, 32, 80, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION  FROM  TO"),
        Box(33, 1, 34, 28, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE"),
        Box(33, 29, 33, 49, "17a."), Box(34, 29, 34, 49, "17b. NPI"),
        Box(33, 50, 34, 80, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES  FROM  TO"),
        Box(35, 1, 36, 49, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)"),
        Box(35, 50, 36, 80, "20. OUTSIDE LAB?  YES  NO     $ CHARGES"),
        Box(37, 1, 40, 49, "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)"
                           "      ICD Ind."),
        Box(37, 50, 38, 80, "22. RESUBMISSION CODE      ORIGINAL REF. NO."),
        Box(39, 50, 40, 80, "23. PRIOR AUTHORIZATION NUMBER"),
    ]
    boxes += [Box(41, first, 42, last, caption) for first, last, caption in LINE_COLUMNS]
    for index in range(SERVICE_LINES):
        data = FIRST_SERVICE_LINE + 2 * index
        boxes.append(Box(data - 1, 1, data - 1, 80, "", shaded=True))
        boxes += [Box(data - 1, first, data, last) for first, last, _ in LINE_COLUMNS]
    boxes += [
        Box(55, 1, 56, 21, "25. FEDERAL TAX I.D. NUMBER   SSN EIN"),
        Box(55, 22, 56, 36, "26. PATIENT'S ACCOUNT NO."),
        Box(55, 37, 56, 49, "27. ACCEPT ASSIGNMENT?  YES  NO"),
        Box(55, 50, 56, 61, "28. TOTAL CHARGE  $"),
        Box(55, 62, 56, 70, "29. AMOUNT PAID  $"),
        Box(55, 71, 56, 80, "30. Rsvd for NUCC Use"),
        Box(57, 1, 61, 21, "31. SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS"),
        Box(57, 22, 61, 49, "32. SERVICE FACILITY LOCATION INFORMATION"),
        Box(57, 50, 61, 80, "33. BILLING PROVIDER INFO & PH #"),
        Box(61, 22, 61, 35, "a."), Box(61, 36, 61, 49, "b."),
        Box(61, 50, 61, 62, "a."), Box(61, 63, 61, 80, "b."),
    ]
    return tuple(boxes)


FRAME = _frame()

# Small printed marks of the drawn form: (line, column, text), e.g. the diagnosis letters.
MARKS = tuple(
    [(38 + row, 1 + 13 * col, f"{'ABCDEFGHIJKL'[row * 4 + col]}.") for row in range(3) for col in range(4)]
    + [(index * 2 + FIRST_SERVICE_LINE, 81, str(index + 1)) for index in range(SERVICE_LINES)]
)

# The check boxes of the drawn form: (line, column, the word printed beside it). The data's
# "X" is printed in the same cell (form.py uses these columns).
CHECKS = (
    (8, 1, "MEDICARE"), (8, 8, "MEDICAID"), (8, 15, "TRICARE"), (8, 24, "CHAMPVA"),
    (8, 31, "GROUP HEALTH PLAN"), (8, 39, "FECA BLK LUNG"), (8, 45, "OTHER"),
    (10, 42, "M"), (10, 47, "F"),
    (12, 33, "SELF"), (12, 38, "SPOUSE"), (12, 42, "CHILD"), (12, 47, "OTHER"),
    (20, 35, "YES"), (20, 41, "NO"), (22, 35, "YES"), (22, 41, "NO"), (24, 35, "YES"), (24, 41, "NO"),
    (20, 68, "M"), (20, 75, "F"), (26, 52, "YES"), (26, 57, "NO"), (36, 52, "YES"), (36, 57, "NO"),
    (56, 17, "SSN"), (56, 19, "EIN"), (56, 38, "YES"), (56, 43, "NO"), (37, 46, ""),
)
