"""ICD-10-CM by date of service: the release in force on each line's date.

A fiscal year's code set takes effect on October 1 (FY2027 from 2026-10-01). medsheets ships
one release (`icd10.shipped()`); a practice adds a newer year by naming CMS's order file in
medsheets.toml (`[codes] icd10cm_order_file`). A line is checked against the release of its
date's fiscal year; a date past the newest release loaded is checked against the newest, and a
warning says which file to download and where to put it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from medsheets.codes import icd10
from medsheets.codes.icd10index import Icd10Index
from medsheets.codes.orderfile import fiscal_year_of_file, load_order_file
from medsheets.errors import ConfigError

CMS_PAGE = "https://www.cms.gov/medicare/coding-billing/icd-10-codes"


def fiscal_year(day: dt.date) -> int:
    """The federal fiscal year of a day: October 1 starts the next year's."""
    return day.year + 1 if day.month >= 10 else day.year


@dataclass(frozen=True)
class Releases:
    """The shipped release plus the order files of newer years (path -> fiscal year)."""

    order_files: tuple[tuple[int, Path], ...] = ()
    config_hint: str = field(default="medsheets.toml")

    @cached_property
    def shipped_year(self) -> int:
        return icd10.shipped().fiscal_year

    @property
    def years(self) -> list[int]:
        return sorted({self.shipped_year, *(year for year, _ in self.order_files)})

    @property
    def newest_year(self) -> int:
        return self.years[-1]

    def for_year(self, year: int) -> Icd10Index:
        """The release of a fiscal year; the newest at or before it (the oldest before all)."""
        usable = [y for y in self.years if y <= year] or self.years[:1]
        chosen = usable[-1]
        for order_year, path in self.order_files:
            if order_year == chosen:
                return _order_index(path)
        return icd10.shipped()

    def for_date(self, day: dt.date | None) -> Icd10Index:
        return icd10.shipped() if day is None else self.for_year(fiscal_year(day))


SHIPPED_ONLY = Releases()

_loaded: dict[Path, Icd10Index] = {}


def _order_index(path: Path) -> Icd10Index:
    if path not in _loaded:
        _loaded[path] = load_order_file(path)
    return _loaded[path]


def releases_for(root: Path, order_file: str) -> Releases:
    """The releases a practice checks with: its `[codes] icd10cm_order_file`, if any."""
    if not order_file:
        return SHIPPED_ONLY
    path = (root / order_file).resolve()
    if not path.is_file():
        raise ConfigError(f"medsheets.toml: [codes] icd10cm_order_file {order_file}: no such "
                          f"file in {root.name}/; download it from CMS ({CMS_PAGE}) or remove "
                          "the key")
    return Releases(((fiscal_year_of_file(path), path),))


def release_gaps(days: Iterable[dt.date | None], releases: Releases) -> list[str]:
    """A warning for each fiscal year of the dates past the newest release loaded: what it
    means and which CMS file to put where. About the installation, not a cell: printed once."""
    newest = releases.newest_year
    # a day's lines share a few dates: each distinct one judged once (100,000 lines, a few days)
    years = {fiscal_year(d) for d in set(days) if d is not None}
    missing = sorted(year for year in years if year > newest)
    return [f"dates of service from {year - 1}-10-01 are in ICD-10-CM fiscal year {year}, but "
            f"the newest release loaded is FY{newest}, so their diagnoses were checked against "
            f"FY{newest}: new codes may be refused and deleted ones let through. Download the "
            f"FY{year} \"Code Descriptions in Tabular Order\" zip from CMS ({CMS_PAGE}), put "
            f"icd10cm_order_{year}.txt in the practice folder (e.g. codes/) and set [codes] "
            f"icd10cm_order_file = \"codes/icd10cm_order_{year}.txt\" in medsheets.toml"
            for year in missing]
