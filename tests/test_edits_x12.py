"""Edits for what an 837 can carry: IDs as typed, names and addresses once cleaned."""

from __future__ import annotations

from edits_factory import assert_problem, line, problems

from medsheets.model import Person


def test_an_id_holding_a_delimiter_is_an_error_on_its_cell() -> None:
    for value in ("AB*123", "AB~1", "A:B", "AB^C"):
        assert_problem(problems([line(member_id=value)]), "MS-X12-ID", "member_id")
    assert_problem(problems([line(prior_auth="PA 1~2")]), "MS-X12-ID", "prior_auth")


def test_a_sendable_id_is_clean_even_in_lower_case() -> None:
    assert problems([line(member_id="abc123-9", group_number="G-100")]) == []


def test_a_one_character_member_id_is_refused() -> None:
    assert_problem(problems([line(member_id="7")]), "MS-X12-ID", "member_id")


def test_a_name_with_nothing_sendable_left_is_an_error_but_accents_are_fine() -> None:
    base = line()
    chinese = Person("王", base.patient.first_name, base.patient.dob, base.patient.sex,
                     base.patient.address, base.patient.city, base.patient.state, base.patient.zip)
    assert_problem(problems([line(patient=chinese)]), "MS-X12-TEXT", "patient_last_name")
    accented = Person("Peña", "José", base.patient.dob, base.patient.sex, "1 O'Hara *St*",
                      base.patient.city, base.patient.state, base.patient.zip)
    assert problems([line(patient=accented)]) == []


def test_a_one_letter_city_cannot_fill_n401() -> None:
    base = line()
    short = Person(base.patient.last_name, base.patient.first_name, base.patient.dob,
                   base.patient.sex, base.patient.address, "X", base.patient.state, base.patient.zip)
    assert_problem(problems([line(patient=short)]), "MS-X12-TEXT", "patient_city")


def test_referring_npi_needs_a_name_when_the_providers_sheet_lacks_it() -> None:
    unlisted = "1245319599"
    assert_problem(problems([line(referring_npi=unlisted)]), "MS-REFERRING-NAME", "referring_name")
    assert problems([line(referring_npi=unlisted, referring_name="Lee, Ann")]) == []


def test_self_pay_lines_are_not_checked_for_claim_text() -> None:
    assert problems([line(payer_id=None, member_id="A*B")]) == []
