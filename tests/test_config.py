"""medsheets.toml: every mistake a clear error naming the key; money exact."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from medsheets.config import load_config
from medsheets.errors import ConfigError

GOOD = """
[practice]
name = "Maple Street Family Medicine"
npi = "1234567893"
tax_id = "123456789"
taxonomy = "207Q00000X"
address = "100 Maple St"
city = "Springfield"
state = "IL"
zip = "627011234"
phone = "2175550100"

[submitter]
id = "MAPLE01"
name = "Maple Street Family Medicine"

[receiver]
id = "CLEARHOUSE01"
name = "Example Clearinghouse"

[statements]
minimum_balance = 5.10
messages = ["", "Past due."]

[email]
host = "smtp.example.com"
from = "billing@example.com"

[columns]
"Pt Last" = "patient_last_name"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "medsheets.toml"
    path.write_text(text)
    return path


def test_good_config_loads_with_exact_money_and_aliases(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.practice.npi == "1234567893"
    assert config.statements.minimum_balance == Decimal("5.10")
    assert isinstance(config.statements.minimum_balance, Decimal)
    assert config.email is not None and config.email.from_address == "billing@example.com"
    assert config.columns == {"Pt Last": "patient_last_name"}
    assert config.x12.usage == "T"


@pytest.mark.parametrize("old, new, message", [
    ('npi = "1234567893"', 'npi = "1234567890"', "npi '1234567890' is not a valid NPI"),
    ('tax_id = "123456789"', 'tax_id = "12-3456789"', "tax_id must be the 9-digit EIN"),
    ('zip = "627011234"', 'zip = "62701"', "zip must be the 9-digit ZIP+4"),
    ('state = "IL"', 'state = "XX"', "state 'XX' is not a US state code"),
    ('zip = "627011234"', 'zip = 627011234', "[practice] zip must be text in quotes"),
    ('phone = "2175550100"', 'phone = "2175550100"\nfax = "1"', "unknown key 'fax' in [practice]"),
    ('[columns]', '[colums]', "unknown section [colums]"),
    ('host = "smtp.example.com"', 'host = "smtp.example.com"\nsecurity = "none"',
     "[email] security must be starttls, ssl or plain"),
    ('minimum_balance = 5.10', 'minimum_balance = 5.105', "fraction of a cent"),
])
def test_each_mistake_names_its_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, GOOD.replace(old, new, 1)))
    assert message in str(raised.value)
    assert str(raised.value).startswith("medsheets.toml: ")


def test_missing_section_and_missing_key(tmp_path: Path) -> None:
    without_receiver = GOOD.split("[receiver]")[0] + "[statements]" + GOOD.split("[statements]")[1]
    with pytest.raises(ConfigError, match=r"missing section \[receiver\]"):
        load_config(write(tmp_path, without_receiver))
    with pytest.raises(ConfigError, match="is missing the key 'tax_id'"):
        load_config(write(tmp_path, GOOD.replace('tax_id = "123456789"\n', "")))


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "medsheets.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[practice\n"))
