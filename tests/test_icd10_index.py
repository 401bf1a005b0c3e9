"""The compact ICD-10-CM index answers exactly as the shipped release does, for every code."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from medsheets.codes import claim_rules, icd10index, release, tabular
from medsheets.codes.icd10 import ICD10CM_SHAPE
from medsheets.codes.icd10index import Icd10Index


@pytest.fixture(scope="module")
def package():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from simple_icd_10_cm import simple_icd_10_cm as module
    return module


@pytest.fixture(scope="module")
def members() -> dict[str, str]:
    return icd10index.build_members()


@pytest.fixture(scope="module")
def index(members: dict[str, str]) -> Icd10Index:
    return icd10index.index_from_members(members)


INHERITED = ("seven_chr_def", "seven_chr_note", "use_additional_code", "code_first",
             "code_also", "notes")


def test_every_code_answers_as_the_release_does(package, index: Icd10Index) -> None:  # type: ignore[no-untyped-def]
    tree = index.tree
    codes = package.get_all_codes()
    assert len(codes) > 90_000
    for code in codes:
        plain = code.replace(".", "")
        leaf = package.is_leaf(code)
        coded = bool(ICD10CM_SHAPE.match(plain))  # chapters and blocks are not asked
        if coded:
            assert index.is_billable(plain) is leaf, code
            assert index.is_header(plain) is not leaf, code
            assert index.description(plain) == package.get_description(code), code  # its member
        position = tree.index_of[plain]
        assert tree.description(position) == package.get_description(code), code
        assert tree.names[position] == code
        own = tree.notes.get(position, {})
        assert own.get("excludes1", []) == package.get_excludes1(code), code
        assert own.get("excludes2", []) == package.get_excludes2(code), code
        assert own.get("inclusion_term", []) == package.get_inclusion_term(code), code
        for name in INHERITED:
            asked = getattr(package, f"get_{name}")(code, search_in_ancestors=True)
            assert tree.inherited(position, name) == (asked or tree.empty(name)), (code, name)
        parent = package.get_parent(code)
        assert (tree.names[tree.parents[position]] if tree.parents[position] >= 0 else "") \
            == parent, code
        if coded and not leaf:
            beneath = {c for c in package.get_descendants(code) if package.is_leaf(c)}
            assert {c.replace(".", "") for c in beneath} == set(index.billable_under(plain)), code


def test_every_code_has_the_claim_rules_its_tabular_entry_gives(index: Icd10Index) -> None:
    """The rules members (claim_rules, one pass down the tree at build time) say for each code
    what `tabular.entry` works out from the whole tree (which the test above proves is the
    release's): the claim edits read the one instead of the other."""
    codes = [*index.sorted_billable, *index.sorted_headers]
    assert len(codes) > 90_000
    found = {"excludes1": 0, "code_first": 0, "use_additional": 0, "seventh": 0,
             "manifestation": 0}
    for plain in codes:
        entry = tabular.entry(plain)
        rules = claim_rules.rules_in(index, plain)
        if entry is None:  # in the index's lists, not code-shaped: unknown to both
            assert rules is None, plain
            continue
        assert rules == claim_rules.ClaimRules(
            entry.code, entry.billable, entry.excludes1, entry.code_first, entry.use_additional,
            entry.seventh, entry.description if entry.manifestation else ""), plain
        for name in found:
            found[name] += bool(getattr(rules, name))
    assert all(count > 100 for count in found.values()), found  # every rule is exercised


def test_codes_outside_the_release_are_neither(index: Icd10Index) -> None:
    for code in ("E1199", "ZZZ", "E11999", "S93401X"):
        assert not index.is_billable(code) and not index.is_header(code)
        assert claim_rules.rules_in(index, code) is None
        assert index.description(code) is None


def test_built_once_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDSHEETS_CACHE_DIR", str(tmp_path / "cache"))
    first = icd10index.load_shipped_index()
    cached = list((tmp_path / "cache").glob("icd10cm-*.zip"))
    assert len(cached) == 1 and oct(cached[0].stat().st_mode & 0o777) == "0o600"
    assert release.fingerprint() in cached[0].name
    monkeypatch.setattr(icd10index, "build_members", lambda: pytest.fail("rebuilt"))
    again = icd10index.load_shipped_index()
    assert again.sorted_billable == first.sorted_billable
    assert again.meta["sha256"] == release.content_hash()
    assert again.description("E119") == "Type 2 diabetes mellitus without complications"
    assert again.description("S93401A").startswith("Sprain of unspecified ligament of right ankle")
    assert "tree" not in vars(again)  # from the letters' members, not the tabular tree


def test_an_index_without_the_descriptions_members_reads_the_tree(
        members: dict[str, str], index: Icd10Index) -> None:
    older = icd10index.index_from_members({name: text for name, text in members.items()
                                           if not name.startswith("descriptions/")})
    assert older.description("E119") == index.description("E119") == (
        "Type 2 diabetes mellitus without complications")
    assert "tree" in vars(older)


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDSHEETS_CACHE_DIR", str(tmp_path))
    path = icd10index.shipped_index_path()
    path.write_bytes(b"not a zip")
    assert icd10index.load_shipped_index().is_billable("E119")
    assert path.read_bytes()[:2] == b"PK"


def test_an_unwritable_cache_builds_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("MEDSHEETS_CACHE_DIR", str(blocker / "medsheets"))
    assert icd10index.load_shipped_index().is_header("E11")


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MEDSHEETS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert icd10index.cache_dir() == tmp_path / "medsheets"


def test_a_check_answer_never_imports_the_release(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDSHEETS_CACHE_DIR", str(tmp_path))
    icd10index.load_shipped_index()  # the first use builds it; every later process reads it
    code = ("import sys; from medsheets.codes import icd10; icd10.shipped(); "
            "assert icd10.status('E119').value == 'billable'; "
            "assert icd10.billable_beneath('E11')[0] == 'E11.9'; "
            "print('simple_icd_10_cm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
