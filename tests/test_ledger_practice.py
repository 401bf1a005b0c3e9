"""A ledger keeps one practice's books: it records the billing NPI and tax id at its first run,
and a folder whose medsheets.toml names another practice is refused, on SQLite and PostgreSQL,
even with no history of its own; `init-ledger --adopt` records a practice's changed ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from medsheets.ledger import Ledger
from medsheets.ledger.schema import claims, ledger_practice

EXAMPLE_IDS = ("1982045761", "364821907")  # examples/practice/medsheets.toml
OTHER_NPI, OTHER_TAX_ID = "1234567802", "987654321"  # a valid NPI and an EIN of another practice


def books(folder: Path) -> list[Path]:
    return sorted((folder / "encounters").glob("*.xlsx"))


def another_practice(practice_dir: Path, tmp_path: Path, *, npi: str = OTHER_NPI,
                     tax_id: str = OTHER_TAX_ID) -> Path:
    """A folder of its own, never run, whose medsheets.toml names another billing practice."""
    folder = tmp_path / "another-practice"
    shutil.copytree(practice_dir, folder, ignore=shutil.ignore_patterns(
        "medsheets.db*", ".medsheets*", "out"))
    rename_practice(folder, npi=npi, tax_id=tax_id)
    return folder


def rename_practice(folder: Path, *, npi: str, tax_id: str) -> None:
    toml = folder / "medsheets.toml"
    text = toml.read_text()
    assert all(value in text for value in EXAMPLE_IDS)
    toml.write_text(text.replace(EXAMPLE_IDS[0], npi).replace(EXAMPLE_IDS[1], tax_id))


def recorded(url: str) -> list[tuple[str, str]]:
    with Ledger.open(url) as ledger, ledger.reading() as tx:
        return [tuple(row) for row in tx.conn.execute(
            sa.select(ledger_practice.c.npi, ledger_practice.c.tax_id))]


def claim_count(url: str) -> int:
    with Ledger.open(url) as ledger, ledger.reading() as tx:
        return int(tx.conn.execute(sa.select(sa.func.count()).select_from(claims)).scalar_one())


def refused(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    return line


def second_practice_is_refused(practice_dir: Path, tmp_path: Path, url: str, invoke) -> None:  # type: ignore[no-untyped-def]
    assert invoke("claims", "--practice", practice_dir, "--db", url,
                  *books(practice_dir)).exit_code == 0
    assert recorded(url) == [EXAMPLE_IDS]
    billed = claim_count(url)
    other = another_practice(practice_dir, tmp_path)
    line = refused(invoke("claims", "--practice", other, "--db", url, *books(other)))
    assert "keeps the books of another practice (NPI 1982045761, tax id ending 1907)" in line
    assert "names NPI 1234567802, tax id ending 4321" in line
    assert "a ledger of its own" in line and "init-ledger --adopt" in line
    assert claim_count(url) == billed
    assert not list((other / "out" / "claims").glob("*.837"))
    assert recorded(url) == [EXAMPLE_IDS]


def test_a_second_practice_on_a_shared_sqlite_ledger_is_refused(practice_dir: Path, tmp_path: Path,
                                                                invoke) -> None:
    second_practice_is_refused(practice_dir, tmp_path, f"sqlite:///{tmp_path / 'shared.db'}",
                               invoke)


def test_a_second_practice_on_a_shared_postgresql_ledger_is_refused(
    practice_dir: Path, tmp_path: Path, pg_url: str, invoke
) -> None:
    second_practice_is_refused(practice_dir, tmp_path, pg_url, invoke)


def test_the_same_practice_from_a_new_folder_is_welcome(practice_dir: Path, tmp_path: Path,
                                                        invoke) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    assert invoke("claims", "--practice", practice_dir, "--db", url,
                  *books(practice_dir)).exit_code == 0
    same = another_practice(practice_dir, tmp_path, npi=EXAMPLE_IDS[0], tax_id=EXAMPLE_IDS[1])
    again = invoke("claims", "--practice", same, "--db", url, *books(same))
    assert again.exit_code == 0 and "already billed" in again.output


def test_one_id_changed_is_another_practice_until_adopted(practice_dir: Path, invoke) -> None:
    assert invoke("claims", "--practice", practice_dir, *books(practice_dir)).exit_code == 0
    url = f"sqlite:///{(practice_dir / 'medsheets.db').resolve()}"
    rename_practice(practice_dir, npi=EXAMPLE_IDS[0], tax_id=OTHER_TAX_ID)  # a new EIN
    line = refused(invoke("aging", "--practice", practice_dir))
    assert "tax id ending 4321" in line
    adopted = invoke("init-ledger", "--adopt", "--practice", practice_dir)
    assert adopted.exit_code == 0, adopted.output
    assert "keeps the books of the practice with NPI 1982045761, tax id ending 4321" in adopted.output
    assert recorded(url) == [(EXAMPLE_IDS[0], OTHER_TAX_ID)]
    again = invoke("claims", "--practice", practice_dir, *books(practice_dir))
    assert again.exit_code == 0 and "already billed" in again.output


def test_a_ledger_from_before_records_its_practice_at_the_next_run(practice_dir: Path,
                                                                   invoke) -> None:
    assert invoke("claims", "--practice", practice_dir, *books(practice_dir)).exit_code == 0
    url = f"sqlite:///{(practice_dir / 'medsheets.db').resolve()}"
    with Ledger.open(url) as ledger, ledger.transaction() as tx:
        tx.conn.execute(ledger_practice.delete())  # as a ledger migrated from revision 6 is
    assert invoke("aging", "--practice", practice_dir).exit_code == 0
    assert recorded(url) == [EXAMPLE_IDS]
