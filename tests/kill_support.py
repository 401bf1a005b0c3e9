"""What tests/test_hostile_kill.py compares: a practice's whole ledger and its out/ folder.

The ledger is read table by table from the schema's metadata, so a table added later is compared
without anyone remembering to list it. Left out are what differs between two honest runs of the
same work: surrogate ids (and the columns pointing at them, run ids among them), wall-clock
instants, the folder's id and the log of invocations (runs). The outputs are compared by name,
whole, and byte for byte where the bytes depend only on the work (an xlsx's zip carries the
moment it was saved: its cells are compared instead; an email its Date: header).
"""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from medsheets.ledger import Ledger
from medsheets.ledger.schema import metadata
from medsheets.practice import open_practice

State = dict[str, list[str]]
# The log of invocations: a re-run that finds the work done is a run of its own, rightly logged.
RUN_LOG = ("runs", "run_inputs")


def run_to_end(words: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "medsheets", *words], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    return done


def kill_after(words: list[str], delay: float) -> None:
    child = subprocess.Popen([sys.executable, "-m", "medsheets", *words],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    child.kill()  # SIGKILL; a child already finished is left as it ended
    child.wait(timeout=60)


def _surrogate(column: sa.Column) -> bool:  # type: ignore[type-arg]
    """An integer key the database made up, or a column pointing at one."""
    if column.primary_key and isinstance(column.type, sa.Integer) and not column.foreign_keys:
        return len(column.table.primary_key.columns) == 1
    return any(_surrogate(fk.column) for fk in column.foreign_keys) or column.name == "run_id"


def _compared(table: sa.Table) -> list[sa.Column]:  # type: ignore[type-arg]
    """The columns two honest runs agree on: not surrogate ids, not wall-clock instants, not
    the folder's id (a copied folder is a folder of its own, ledger/identity.py)."""
    return [c for c in table.columns if not _surrogate(c) and not isinstance(c.type, sa.DateTime)
            and c.name != "folder_id"]


def ledger_state(practice: Path) -> State:
    """Every table's rows (sorted, as text), without surrogate ids and wall-clock instants."""
    ledger = Ledger.open(open_practice(practice).db_url)
    try:
        with ledger.reading() as tx:
            return {table.name: sorted(repr(tuple(row)) for row in
                                       tx.conn.execute(sa.select(*_compared(table))))
                    for table in metadata.sorted_tables
                    if _compared(table) and table.name not in RUN_LOG}
    finally:
        ledger.close()


def outputs(practice: Path) -> dict[str, object]:
    """out/'s files by relative name: bytes (an email's without its Date:), or an xlsx's cell
    values sheet by sheet."""
    out = practice / "out"
    return {str(p.relative_to(out)): _content(p) for p in sorted(out.rglob("*")) if p.is_file()}


def _content(path: Path) -> object:
    if path.suffix == ".eml":  # the Date: header is the moment the message was made
        return [line for line in path.read_bytes().splitlines() if not line.startswith(b"Date: ")]
    if path.suffix != ".xlsx":
        return path.read_bytes()
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def assert_whole_outputs(practice: Path) -> None:
    """No `.part` left, and no file half-written: each kind ends as a whole one ends."""
    out = practice / "out"
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    for path in (p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert data, path
        if path.suffix in (".837", ".270", ".276"):
            assert data.rstrip().endswith(b"~") and b"IEA*" in data, path
        elif path.suffix == ".xlsx":
            assert zipfile.ZipFile(path).testzip() is None, path
        elif path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF"), path
