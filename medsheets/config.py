"""medsheets.toml: the practice's configuration, read and checked once.

Every key is known: an unknown key (a typo) is an error naming it, never silently ignored.
Identifiers a clearinghouse would reject (NPI check digit, 9-digit EIN, 9-digit billing ZIP)
are caught here, before any claim is written.
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from medsheets import identifiers as ids
from medsheets.errors import ConfigError
from medsheets.invoices.cycle import parse_cycle
from medsheets.money import MoneyError, parse_money


@dataclass(frozen=True)
class PracticeInfo:
    """The billing provider (837 loop 2010AA)."""

    name: str
    npi: str
    tax_id: str
    address: str
    city: str
    state: str
    zip: str
    taxonomy: str = ""
    phone: str = ""
    default_place_of_service: str = "11"
    default_rendering_npi: str = ""  # the clinician of a line that names none (Providers sheet)


@dataclass(frozen=True)
class Submitter:
    """Who sends the claim file (loop 1000A, ISA06/GS02)."""

    id: str
    name: str
    contact: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Receiver:
    """The clearinghouse (loop 1000B, ISA08/GS03)."""

    id: str
    name: str


@dataclass(frozen=True)
class X12Settings:
    usage: str = "T"  # ISA15: T test, P production


@dataclass(frozen=True)
class Statements:
    due_days: int = 30
    minimum_balance: Decimal = Decimal("5.00")
    messages: tuple[str, ...] = ("",)
    collections_after_days: int = 120
    collections_after_statements: int = 3
    cycle: str = ""  # "monthly:DAY" or "every:DAYS"; blank: every due_days (invoices/cycle.py)
    collections_minimum: Decimal = Decimal("0.00")  # least balance placed (and never below minimum_balance)


@dataclass(frozen=True)
class EmailSettings:
    host: str
    port: int = 587
    security: str = "starttls"  # starttls | ssl | plain (loopback hosts only)
    username: str = ""
    password_env: str = "MEDSHEETS_SMTP_PASSWORD"
    from_address: str = ""
    ca_file: str = ""  # a certificate authority the practice trusts besides the system's


@dataclass(frozen=True)
class CodesSettings:
    """[codes]: a CMS ICD-10-CM order file for a newer fiscal year (path relative to the
    practice folder), used for dates of service from that year's October 1."""

    icd10cm_order_file: str = ""


@dataclass(frozen=True)
class KpiTargets:
    """[kpis]: the practice's own targets for the aging's KPIs sheet; rates in percent
    (95 is 95%), days in days. The defaults are the benchmarks docs/kpis.md cites."""

    clean_claim_rate: Decimal = Decimal(95)  # at least
    denial_rate: Decimal = Decimal(5)  # at most
    days_in_ar: Decimal = Decimal(40)  # at most
    net_collection_rate: Decimal = Decimal(95)  # at least
    ar_over_90: Decimal = Decimal(15)  # at most
    charge_lag_days: Decimal = Decimal(3)  # at most


@dataclass(frozen=True)
class BillingParty:
    """Who bills on an 837 and who sends it: all the claim writer reads of medsheets.toml (the
    billing provider with its address, tax id and phone; the submitter and its EDI contact; the
    receiver; ISA15's test or production flag)."""

    practice: PracticeInfo
    submitter: Submitter
    receiver: Receiver
    usage: str = "T"


@dataclass(frozen=True)
class Config:
    practice: PracticeInfo
    submitter: Submitter
    receiver: Receiver
    x12: X12Settings = X12Settings()
    statements: Statements = Statements()
    email: EmailSettings | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    codes: CodesSettings = CodesSettings()
    kpis: KpiTargets = KpiTargets()

    @property
    def billing_party(self) -> BillingParty:
        return BillingParty(self.practice, self.submitter, self.receiver, self.x12.usage)


_REQUIRED_SECTIONS = ("practice", "submitter", "receiver")
_TOML_NAMES = {"from": "from_address"}  # TOML key -> field name where Python needs another


def load_config(path: Path) -> Config:
    """Read and check medsheets.toml; raise ConfigError naming the key for anything wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found; create a practice with 'medsheets init DIR'") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(raw, path)


def parse_config(raw: Mapping[str, Any], path: Path | None = None) -> Config:
    name = path.name if path else "medsheets.toml"
    known = {"practice", "submitter", "receiver", "x12", "statements", "email", "columns",
             "codes", "kpis"}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{name}: unknown section [{key}]; known: {', '.join(sorted(known))}")
    for section in _REQUIRED_SECTIONS:
        if section not in raw:
            raise ConfigError(f"{name}: missing section [{section}]")

    practice = _section(name, "practice", raw["practice"], PracticeInfo)
    _check_practice(name, practice)
    submitter = _section(name, "submitter", raw["submitter"], Submitter)
    receiver = _section(name, "receiver", raw["receiver"], Receiver)
    x12 = _section(name, "x12", raw.get("x12", {}), X12Settings)
    if x12.usage not in ("T", "P"):
        raise ConfigError(f"{name}: [x12] usage must be \"T\" (test) or \"P\" (production)")
    statements = _section(name, "statements", raw.get("statements", {}), Statements)
    try:
        parse_cycle(statements.cycle, statements.due_days)
    except ValueError as exc:
        raise ConfigError(f"{name}: [statements] {exc}") from None
    email = _section(name, "email", raw["email"], EmailSettings) if "email" in raw else None
    if email and email.security not in ("starttls", "ssl", "plain"):
        raise ConfigError(f"{name}: [email] security must be starttls, ssl or plain")
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ConfigError(f"{name}: [columns] maps a workbook header to a medsheets column name")
    codes = _section(name, "codes", raw.get("codes", {}), CodesSettings)
    kpis = _section(name, "kpis", raw.get("kpis", {}), KpiTargets)
    return Config(practice, submitter, receiver, x12, statements, email, dict(columns), path,
                  codes, kpis)


def _section(name: str, section: str, values: Any, cls: type) -> Any:
    """Build one section's dataclass, checking key names and value types."""
    if not isinstance(values, dict):
        raise ConfigError(f"{name}: [{section}] must be a table of keys")
    by_field = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        attr = _TOML_NAMES.get(key, key)
        if attr not in by_field:
            valid = ", ".join(sorted(k for k in (_toml_key(f) for f in by_field)))
            raise ConfigError(f"{name}: unknown key '{key}' in [{section}]; valid keys: {valid}")
        kwargs[attr] = _convert(name, section, key, value, by_field[attr].default)
    missing = [
        _toml_key(f.name)
        for f in fields(cls)
        if f.name not in kwargs and f.default is MISSING and f.default_factory is MISSING
    ]
    if missing:
        raise ConfigError(f"{name}: [{section}] is missing the key '{missing[0]}'")
    return cls(**kwargs)


def _toml_key(attr: str) -> str:
    reverse = {v: k for k, v in _TOML_NAMES.items()}
    return reverse.get(attr, attr)


def _convert(name: str, section: str, key: str, value: Any, default: Any) -> Any:
    where = f"{name}: [{section}] {key}"
    if isinstance(default, Decimal):
        try:
            return parse_money(value)
        except MoneyError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{where} must be a whole number")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a list of texts")
        return tuple(value)
    if isinstance(value, int) and not isinstance(value, bool):
        raise ConfigError(f"{where} must be text in quotes (\"{value}\"), so leading zeros are kept")
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be text in quotes")
    return value.strip()


def _check_practice(name: str, practice: PracticeInfo) -> None:
    if not ids.npi_is_valid(practice.npi):
        raise ConfigError(
            f"{name}: [practice] npi '{practice.npi}' is not a valid NPI (10 digits with a check "
            "digit); copy it from the NPPES registry"
        )
    if not ids.EIN.match(practice.tax_id):
        raise ConfigError(
            f"{name}: [practice] tax_id must be the 9-digit EIN without a dash, not '{practice.tax_id}'"
        )
    if not (len(practice.zip) == 9 and practice.zip.isdigit()):
        raise ConfigError(
            f"{name}: [practice] zip must be the 9-digit ZIP+4 without a dash (837 billing provider), "
            f"not '{practice.zip}'"
        )
    if practice.default_rendering_npi and not ids.npi_is_valid(practice.default_rendering_npi):
        raise ConfigError(
            f"{name}: [practice] default_rendering_npi '{practice.default_rendering_npi}' is not a "
            "valid NPI (10 digits with a check digit); copy it from the NPPES registry"
        )
    if practice.state not in ids.US_STATES:
        raise ConfigError(f"{name}: [practice] state '{practice.state}' is not a US state code")
    if not ids.PLACE_OF_SERVICE.match(practice.default_place_of_service):
        raise ConfigError(f"{name}: [practice] default_place_of_service must be 2 digits")
