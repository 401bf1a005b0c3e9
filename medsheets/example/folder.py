"""Write the example practice folder (docs/files.md): settings, code sets, two days of encounters
and the payers' 835 remittance for them.

`create_practice` is what `medsheets init DIR` does. It never touches a folder that already
holds anything: the whole practice is written into a private temporary folder beside DIR and
renamed into place (an existing empty DIR is filled, its settings file last), so an
interrupted init leaves nothing half-made. Everything is owner-only (0o700 folders, 0o600
files): the example patients are fictional, but the files have the same shape as the real
ones the practice will keep there.

`refresh_example` rewrites the committed examples/practice/ from the same code.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from medsheets.errors import PracticeError
from medsheets.example import fees, xlsx
from medsheets.example.appointments import (
    appointment_file_name,
    write_appointments,
    write_example_271,
)
from medsheets.example.diagnoses import DIAGNOSES
from medsheets.example.payments import write_payments
from medsheets.example.people import PROVIDERS
from medsheets.example.remit import write_example_remit
from medsheets.example.rows import (
    EXAMPLE_ENCOUNTER_COLUMNS,
    EXAMPLE_PATIENT_COLUMNS,
    day_rows,
    patients_sheet_rows,
)
from medsheets.example.settings import PRACTICE_NAME, config_text
from medsheets.files import OWNER_ONLY_DIR, OWNER_ONLY_FILE
from medsheets.practice import CONFIG_NAME
from medsheets.workbook import codesets as cs

COMMITTED_DAYS = (dt.date(2026, 11, 23), dt.date(2026, 11, 24))
EMPTY_FOLDERS = ("remits", "payments", "out")

Days = tuple[dt.date, dt.date]


def recent_weekdays(as_of: dt.date) -> Days:
    """The two most recent weekdays before `today`, oldest first: never a future date, and
    well inside every payer's timely filing limit."""
    found: list[dt.date] = []
    day = as_of
    while len(found) < 2:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            found.append(day)
    return found[1], found[0]


def encounter_file_names(days: Days) -> tuple[str, str]:
    return f"{days[0].isoformat()}.xlsx", f"{days[1].isoformat()}.xlsx"


def write_codesets(path: Path) -> None:
    """codesets.xlsx: Procedures, Diagnoses, Modifiers, Payers, Providers and Edits."""
    book = xlsx.new_workbook()
    xlsx.add_table(book, "Procedures", cs.PROCEDURE_COLUMNS, (f._asdict() for f in fees.PROCEDURES))
    xlsx.add_table(book, "Diagnoses", cs.DIAGNOSIS_COLUMNS,
                   ({"code": c, "description": d} for c, d in DIAGNOSES))
    xlsx.add_table(book, "Modifiers", cs.MODIFIER_COLUMNS,
                   ({"code": c, "description": d} for c, d in fees.MODIFIERS))
    xlsx.add_table(book, "Payers", cs.PAYER_COLUMNS, (p._asdict() for p in fees.PAYERS))
    xlsx.add_table(book, "Providers", cs.PROVIDER_COLUMNS, (p._asdict() for p in PROVIDERS))
    xlsx.add_table(book, "Edits", cs.EDIT_COLUMNS, (e._asdict() for e in fees.EDITS))
    xlsx.save(book, path)


def write_encounters(path: Path, day_index: int, days: Days) -> None:
    """One day's encounter workbook; the second day's also has a Patients sheet."""
    day = days[day_index]
    book = xlsx.new_workbook()
    title = f"{PRACTICE_NAME} — encounters for {day:%A} {day.isoformat()}"
    xlsx.add_table(book, "Encounters", EXAMPLE_ENCOUNTER_COLUMNS, day_rows(day_index, days), title)
    if day_index == 1:
        xlsx.add_table(book, "Patients", EXAMPLE_PATIENT_COLUMNS, patients_sheet_rows(days[0]),
                       "Returning patients: their details for the rows above that leave them blank")
    xlsx.save(book, path)


def write_practice(root: Path, days: Days, *, keep_files: bool = False) -> list[str]:
    """Write the whole practice into the empty folder `root`; the entries made, relative.

    With `keep_files` each empty folder gets a `.gitkeep`, so git keeps it (the committed
    example); a practice made by `init` has no use for them.
    """
    made = [CONFIG_NAME, "codesets.xlsx"]
    (root / CONFIG_NAME).write_text(config_text(), encoding="utf-8")
    write_codesets(root / "codesets.xlsx")
    _private_dir(root / "encounters")
    for index, name in enumerate(encounter_file_names(days)):
        write_encounters(root / "encounters" / name, index, days)
        made.append(f"encounters/{name}")
    made.append(write_payments(root / "payments", days))
    for folder in EMPTY_FOLDERS:
        _private_dir(root / folder)
        if keep_files:
            (root / folder / ".gitkeep").touch()
        made.append(f"{folder}/")
    made.append(f"remits/{write_example_remit(root / 'remits', days)}")
    _private_dir(root / "appointments")
    write_appointments(root / "appointments" / appointment_file_name(days), days)
    made.append(f"appointments/{appointment_file_name(days)}")
    made.append(f"remits/{write_example_271(root / 'remits', days)}")
    _make_private(root)
    return made


def create_practice(target: Path, days: Days) -> list[str]:
    """`medsheets init`: a new practice at `target`, which must be new or an empty folder."""
    _refuse_existing(target)
    place = target.resolve()
    place.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{place.name}.init-", dir=place.parent))
    try:
        made = write_practice(staging, days)
        if place.is_dir():
            _move_contents(staging, place)
        else:
            os.rename(staging, place)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return made


def _move_contents(staging: Path, place: Path) -> None:
    """Fill an existing empty folder (kept, not replaced: a shell may be inside it), the
    settings file last, so that until it lands the folder is not taken for a practice.
    On failure the entries already moved are taken back out."""
    moved: list[Path] = []
    try:
        for entry in sorted(staging.iterdir(), key=lambda p: p.name == CONFIG_NAME):
            os.rename(entry, place / entry.name)
            moved.append(place / entry.name)
        os.chmod(place, OWNER_ONLY_DIR)
    except BaseException:
        for path in moved:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        raise


def refresh_example(target: Path, days: Days = COMMITTED_DAYS) -> list[str]:
    """Rewrite the generated files of an example folder in place, leaving anything else alone
    (a ledger or outputs from trying it out); each file is replaced in one step."""
    _private_dir(target)
    with tempfile.TemporaryDirectory(prefix=".example-", dir=target) as temp:
        made = write_practice(Path(temp), days, keep_files=True)
        for entry in sorted(Path(temp).rglob("*")):
            destination = target / entry.relative_to(temp)
            if entry.is_dir():
                _private_dir(destination)
            else:
                os.replace(entry, destination)
    return made


def _refuse_existing(target: Path) -> None:
    if (target / CONFIG_NAME).exists():
        raise PracticeError(f"{target} already holds a practice ({CONFIG_NAME}); "
                            "init never overwrites one")
    if target.exists() and not target.is_dir():
        raise PracticeError(f"{target} exists and is not a folder; give a new folder name")
    if target.is_dir() and any(target.iterdir()):
        raise PracticeError(f"{target} is not empty; give a new or empty folder")


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR)
    os.chmod(path, OWNER_ONLY_DIR)


def _make_private(root: Path) -> None:
    """Owner-only modes on everything written (the umask may have allowed more)."""
    os.chmod(root, OWNER_ONLY_DIR)
    for path in root.rglob("*"):
        os.chmod(path, OWNER_ONLY_DIR if path.is_dir() else OWNER_ONLY_FILE)
