"""The layering rules the code must keep, checked on its imports (AST, not grep).

- the ledger is the only package that speaks SQL: nothing outside medsheets/ledger/ imports
  SQLAlchemy or the ledger's schema;
- medsheets/identifiers.py is a leaf: identifiers and the X12 character set depend on nothing;
- features do not borrow from each other: what several need lives in a shared layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "medsheets"
LEDGER = PACKAGE / "ledger"
SQL_MODULES = ("sqlalchemy", "alembic", "medsheets.ledger.schema", "medsheets.ledger.sql")
FEATURES = ("acks", "aging", "denials", "invoices", "payments", "remit")


def imports(path: Path) -> set[str]:
    """Every module `path` imports, as dotted names (from-imports also as module.name)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def speaks_sql(path: Path) -> bool:
    return any(name == prefix or name.startswith((prefix + ".", prefix + "_"))
               for name in imports(path) for prefix in SQL_MODULES)


def modules_outside_ledger() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if LEDGER not in p.parents]


def test_only_the_ledger_speaks_sql() -> None:
    offenders = [str(p.relative_to(PACKAGE)) for p in modules_outside_ledger() if speaks_sql(p)]
    assert offenders == [], "put these queries in a ledger subject module (medsheets/ledger/)"


def test_the_check_sees_a_module_that_speaks_sql(tmp_path: Path) -> None:
    module = tmp_path / "feature.py"
    module.write_text("import sqlalchemy as sa\nfrom medsheets.ledger.schema import claims\n")
    assert speaks_sql(module)
    module.write_text("from medsheets.ledger import claims\nfrom medsheets.ledger.records import Kind\n")
    assert not speaks_sql(module)


def test_identifiers_are_a_leaf() -> None:
    own = {name for name in imports(PACKAGE / "identifiers.py") if name.startswith("medsheets")}
    assert own == set()


@pytest.mark.parametrize("feature", FEATURES)
def test_features_do_not_borrow_from_each_other(feature: str) -> None:
    others = {f"medsheets.{name}" for name in FEATURES if name != feature} | {
        "medsheets.claims", "medsheets.check"}
    borrowed = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted((PACKAGE / feature).rglob("*.py"))
        for name in imports(path)
        if any(name == other or name.startswith(other + ".") for other in others)
    }
    assert borrowed == set()
