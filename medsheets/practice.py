"""The practice folder (docs/files.md): where each input lives and where each output goes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from medsheets.config import Config, load_config
from medsheets.errors import PracticeError

CONFIG_NAME = "medsheets.toml"
LEDGER_NAME = "medsheets.db"  # the ledger's file in the folder, unless a database URL is given


@dataclass(frozen=True)
class Practice:
    """A practice folder and its configuration. Paths are derived, never stored twice."""

    root: Path
    db_url_override: str | None = None

    @cached_property
    def config(self) -> Config:
        return load_config(self.root / CONFIG_NAME)

    @property
    def codesets_path(self) -> Path:
        return self.root / "codesets.xlsx"

    @property
    def encounters_dir(self) -> Path:
        return self.root / "encounters"

    @property
    def appointments_dir(self) -> Path:
        return self.root / "appointments"

    @property
    def remits_dir(self) -> Path:
        return self.root / "remits"

    @property
    def payments_dir(self) -> Path:
        return self.root / "payments"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    def output_dir(self, kind: str) -> Path:
        """out/claims, out/invoices, out/aging, out/reports or out/outbox, created owner-only."""
        path = self.out_dir / kind
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    @property
    def ledger_file(self) -> Path | None:
        """The ledger's file where medsheets chose it (medsheets.db in the folder); None when
        a database URL was given (the ledger then knows what, if any, file is behind it)."""
        return None if self.db_url_override else self.root / LEDGER_NAME

    @property
    def db_url(self) -> str:
        return self.db_url_override or f"sqlite:///{(self.root / LEDGER_NAME).resolve()}"


def open_practice(root: Path | str | None = None, db_url: str | None = None) -> Practice:
    """The practice at `root` (default: $MEDSHEETS_PRACTICE, else the current directory)."""
    folder = Path(root or os.environ.get("MEDSHEETS_PRACTICE") or ".")
    if not folder.is_dir():
        raise PracticeError(f"{folder}: no such practice folder; create one with 'medsheets init {folder}'")
    if not (folder / CONFIG_NAME).is_file():
        raise PracticeError(
            f"{folder}: not a practice folder (no {CONFIG_NAME}); give --practice DIR or create one "
            f"with 'medsheets init DIR'"
        )
    return Practice(folder, db_url)
