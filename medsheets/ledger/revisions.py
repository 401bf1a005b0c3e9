"""Which schema revision this medsheets expects, read from the migration files themselves.

Apart from migrate.py so that a reader of the ledger that needs no SQLAlchemy (check's
plain path, `ledger/plain/`) can compare a ledger's revision with the newest one without
importing it, nor Alembic.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import Any

MIGRATIONS = Path(__file__).parent / "migrations"
ASSIGNED = re.compile(r"^(revision|down_revision)\b[^=\n]*=.*$", re.MULTILINE)


def _declared(path: Path) -> tuple[str, tuple[str, ...]]:
    """(revision, the revisions it follows) as a migration file assigns them, read as alembic
    reads them (the module's `revision` and `down_revision`) but without running the file.

    Only the assignments' own lines are parsed (parsing ten whole files was most of what
    knowing the head cost a command); the whole file when one of them does not parse alone
    (an assignment over several lines) or none is found."""
    text = path.read_text(encoding="utf-8")
    try:
        found = _assigned([node for match in ASSIGNED.finditer(text)
                           for node in ast.parse(match.group(0)).body])
    except SyntaxError:
        found = {}
    if "revision" not in found:
        found = _assigned(ast.parse(text).body)
    down = found.get("down_revision")
    return found["revision"], (() if down is None else (down,) if isinstance(down, str) else tuple(down))


def _assigned(body: list[ast.stmt]) -> dict[str, Any]:
    """The values these statements assign to `revision` and `down_revision` (the last wins)."""
    found: dict[str, Any] = {}
    for node in body:
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                found[target.id] = None if value is None else ast.literal_eval(value)
    return found


@functools.cache
def head_revision() -> str:
    """The newest schema revision this medsheets knows: the one no other revision follows."""
    revisions = dict(_declared(path) for path in sorted((MIGRATIONS / "versions").glob("*.py")))
    heads = set(revisions) - {down for downs in revisions.values() for down in downs}
    assert len(heads) == 1, f"the ledger's migrations must have one head, not {sorted(heads)}"
    return heads.pop()
