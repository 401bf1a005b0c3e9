"""Money written to xlsx reads back exactly, however Excel or a person stored it.

A cell holds money as a binary double (a number cell) or as text ("$1,234.50"); either way the
reader must produce the same Decimal the writer meant, to the cent, with no float in between.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_factory import ExcelDouble, patch_sheet_xml, write_sheets

from medsheets.money import MoneyError, parse_money
from medsheets.workbook.cells import CellProblem, to_money
from medsheets.workbook.table import Column, Workbook

# 15 significant digits: every such decimal survives a trip through a binary double.
AMOUNTS = st.decimals(
    min_value=Decimal("-99999999999.99"),
    max_value=Decimal("9999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
COLUMNS = (Column("amount", "money", required=True),)


def dollars(amount: Decimal) -> str:
    """As a person or an accounting format shows it: $1,234.50, negatives in parentheses."""
    text = f"${abs(amount):,.2f}"
    return f"({text})" if amount < 0 else text


def as_cells(amount: Decimal) -> list[object]:
    # The test plays Excel, which stores a number cell as a double (float is fine in tests/).
    return [
        ExcelDouble(amount),
        float(amount),
        amount,
        str(amount),
        dollars(amount),
        f"{amount:,.2f}",
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amounts=st.lists(AMOUNTS, min_size=1, max_size=8))
def test_two_decimal_amounts_read_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, amounts: list[Decimal]
) -> None:
    cells = [cell for amount in amounts for cell in as_cells(amount)]
    path = write_sheets(
        tmp_path_factory.mktemp("money") / "m.xlsx",
        {"S": [["amount"], *([cell] for cell in cells)]},
    )
    table = Workbook(path).read_table("S", COLUMNS)
    assert table.problems == []
    read = [values["amount"] for _, values in table.rows]
    expected = [amount for amount in amounts for _ in as_cells(amount)]
    assert read == expected
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in read)


@given(
    st.decimals(places=3, min_value=Decimal(-1000), max_value=Decimal(1000)).filter(
        lambda d: d != d.quantize(Decimal("0.01"))
    )
)
def test_fraction_of_a_cent_is_refused_never_rounded(amount: Decimal) -> None:
    for cell in (str(amount), float(amount), amount):
        with pytest.raises(CellProblem) as raised:
            to_money(cell)
        assert raised.value.code == "MS-CELL-MONEY" and "fraction of a cent" in raised.value.message


@pytest.mark.parametrize(
    "text",
    [
        "12,50",
        "1,2345.00",
        ",100",
        "1.234,56",
        "$",
        "",
        "--",
        "()",
        "(5",
        "5)",
        "1 000,00",
        "nan",
        "inf",
        "0x10",
        "1_000",
    ],
)
def test_text_that_is_not_us_money_is_refused(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_money(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234", "1234.00"),
        ("1,234,567.8", "1234567.80"),
        ("-$5", "-5.00"),
        ("$-5", "-5.00"),
        (".5", "0.50"),
        ("7.", "7.00"),
        ("($1,000.00)", "-1000.00"),
        ("1 234.50", "1234.50"),
    ],
)
def test_us_money_text_forms(text: str, amount: str) -> None:
    assert parse_money(text) == Decimal(amount)


def test_float_artifacts_are_not_money(tmp_path: Path) -> None:
    """0.1 + 0.2 computed by a program and stored as 0.30000000000000004 is refused, not rounded."""
    plain = write_sheets(tmp_path / "f.xlsx", {"S": [["amount"], [0.3], [1e300]]})
    # openpyxl writes 15 significant digits; Excel writes the double's full 17.
    path = patch_sheet_xml(
        plain, tmp_path / "excel.xlsx", {b"<v>0.3</v>": b"<v>0.30000000000000004</v>"}
    )
    table = Workbook(path).read_table("S", COLUMNS)
    assert [p.code for p in table.problems] == ["MS-CELL-MONEY", "MS-CELL-MONEY"]
    assert [p.source.cell for p in table.problems] == ["A2", "A3"]
