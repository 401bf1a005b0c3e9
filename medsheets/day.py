"""What `medsheets run` finds to do in a practice folder, sorted into the day's steps.

Every file the practice dropped in is picked up: appointment and encounter workbooks, the
clearinghouse's files in `remits/` sorted by their X12 transaction type (835 remittances, 999
and 277CA acknowledgments, 271 eligibility answers), payment workbooks. Files that cannot be used are listed with the reason, so
one bad file never stops the rest of the day. Each step itself is idempotent: a file already
processed changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from medsheets.errors import BadFileError
from medsheets.practice import Practice
from medsheets.workbook.sniff import check_xlsx
from medsheets.x12.classify import classify_files


@dataclass
class DayInputs:
    """The folder's inputs by step, and the files refused with the reason why."""

    appointments: list[Path] = field(default_factory=list)
    benefits: list[Path] = field(default_factory=list)
    encounters: list[Path] = field(default_factory=list)
    acknowledgments: list[Path] = field(default_factory=list)
    remittances: list[Path] = field(default_factory=list)
    payments: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def find_inputs(practice: Practice) -> DayInputs:
    inputs = DayInputs()
    inputs.appointments = _workbooks(practice.appointments_dir, inputs.refused)
    inputs.encounters = _workbooks(practice.encounters_dir, inputs.refused)
    inputs.payments = _workbooks(practice.payments_dir, inputs.refused)
    by_type, refused = classify_files(_visible_files(practice.remits_dir))
    inputs.refused.extend(refused)
    inputs.remittances = by_type.pop("835", [])
    inputs.acknowledgments = by_type.pop("999", []) + by_type.pop("277", [])
    inputs.benefits = by_type.pop("271", [])
    for kind, paths in by_type.items():
        inputs.refused.extend((path, f"{path.name}: an X12 {kind}, not a file medsheets reads "
                                     "from remits/ (835, 999, 277CA or 271)") for path in paths)
    return inputs


def _visible_files(folder: Path) -> list[Path]:
    """Files a person put there: not hidden (.gitkeep), not Office's lock files (~$name)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith((".", "~$")))


def _workbooks(folder: Path, refused: list[tuple[Path, str]]) -> list[Path]:
    """The folder's workbooks that are sound xlsx files; the others refused with the reason."""
    sound = []
    for path in _visible_files(folder):
        try:
            check_xlsx(path)
        except BadFileError as exc:
            refused.append((path, str(exc)))
            continue
        sound.append(path)
    return sound
