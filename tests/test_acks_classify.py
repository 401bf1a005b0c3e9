"""`classify_x12`: files in remits/ sorted by what they are (ST01, else GS08), whatever their names."""

from __future__ import annotations

from pathlib import Path

import pytest
from acks_support import ack_277, ack_999
from shared_samples import SAMPLES as SHARED_SAMPLES
from shared_samples import needs_samples

from medsheets.errors import BadFileError
from medsheets.x12.classify import classify_files, classify_x12

SAMPLES = SHARED_SAMPLES


@needs_samples
@pytest.mark.parametrize("path", sorted((SAMPLES / "835").glob("*")), ids=lambda p: p.name)
def test_every_835_sample_is_an_835(path: Path) -> None:
    if path.name == "k835_blue_cross_nc_sample.txt":  # an ST..SE copy without its envelope
        with pytest.raises(BadFileError, match="without its ISA/GS envelope"):
            classify_x12(path)
    else:
        assert classify_x12(path) == "835"


@needs_samples
def test_837_samples_are_837s_even_those_the_reader_refuses() -> None:
    found = {classify_x12(p) for p in (SAMPLES / "837p").glob("*.837")}
    assert found == {"837"}
    assert classify_x12(SAMPLES / "837p" / "ims_x12_many_claims.txt") == "837"


def test_acknowledgments_are_told_apart(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ack_999(7, [("0001", "A", [])], "A", (1, 1, 1)))
    (tmp_path / "b.txt").write_text(ack_277("0000000070001", [("E1", "10", "M1", ["A1:19:PR"])]))
    assert classify_x12(tmp_path / "a.txt") == "999"
    assert classify_x12(tmp_path / "b.txt") == "277"


def test_the_version_decides_when_st01_is_missing_and_ta1_is_named(tmp_path: Path) -> None:
    text = ack_999(7, [("0001", "A", [])], "A", (1, 1, 1))
    (tmp_path / "x.dat").write_text(text.replace("ST*999*0001", "ST**0001"))
    assert classify_x12(tmp_path / "x.dat") == "999"
    isa = text.split("~", 1)[0]
    (tmp_path / "ta1.dat").write_text(f"{isa}~\nTA1*000000001*261126*0915*A*000~\nIEA*0*000700001~\n")
    assert classify_x12(tmp_path / "ta1.dat") == "TA1"


def test_what_is_not_x12_is_refused_in_one_line(tmp_path: Path) -> None:
    cases = {"empty.999": "", "letter.txt": "Dear biller,\nplease find attached\n",
             "pdf.835": "%PDF-1.7\n"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(BadFileError, match=r"^empty.999: is empty"):
        classify_x12(tmp_path / "empty.999")
    with pytest.raises(BadFileError, match=r"^letter.txt: is not an X12 file"):
        classify_x12(tmp_path / "letter.txt")
    with pytest.raises(BadFileError, match=r"^missing.277: no such file$"):
        classify_x12(tmp_path / "missing.277")
    by_type, refused = classify_files(tmp_path.iterdir())
    assert by_type == {}
    assert [path.name for path, _ in refused] == ["empty.999", "letter.txt", "pdf.835"]


@needs_samples
def test_a_folder_is_sorted_by_type(tmp_path: Path) -> None:
    (tmp_path / "one").write_text(ack_999(7, [("0001", "A", [])], "A", (1, 1, 1)))
    (tmp_path / "two").write_bytes((SAMPLES / "835" / "lfh_managed-care.835").read_bytes())
    (tmp_path / "three").write_text("not x12")
    by_type, refused = classify_files(tmp_path.iterdir())
    assert by_type == {"999": [tmp_path / "one"], "835": [tmp_path / "two"]}
    assert [p.name for p, _ in refused] == ["three"]
