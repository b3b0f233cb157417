"""The e-CF profile's summary matrix: transcribed as printed (each row has the header's 27 tab-separated fields
in the source text), and the notes on where it disagrees with the competences' own code lists are exactly the
disagreements computed from the data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.standards.ecf_matrix import Contradiction, contradictions, describe, read_matrix, summary_note
from tests.conftest import shared_path

SEED = Path(__file__).parents[2] / "seeds" / "standards" / "ecf-profile-online-community-manager.yaml"


@pytest.fixture(scope="module")
def seed() -> dict:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


def competences(seed: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}

    def walk(elements: list[dict]) -> None:
        for el in elements:
            if el["type"] == "competence":
                out[el["code"]] = [k["code"] for k in el["attributes"]["knowledge_and_skills"]]
            walk(el.get("children") or [])

    walk(seed["elements"])
    return out


def source_matrix_lines() -> tuple[list[str], list[list[str]]]:
    text = shared_path("seeds", "003_f41fa64a8c279273.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(text) if line.startswith("Terület\tNo."))
    return text[start].split("\t"), [line.split("\t") for line in text[start + 1 : start + 37]]


def test_every_row_of_the_source_matrix_has_the_headers_27_fields_and_is_transcribed_cell_by_cell(seed) -> None:
    header, rows = source_matrix_lines()
    matrix = seed["framework"]["attributes"]["summary_matrix"]
    assert len(header) == 27 and header[26] == ""  # 26 columns and the trailing tab every table line ends with
    assert matrix["columns"] == header[:26]
    assert len(rows) == len(matrix["rows"]) == 36  # the 36 competences of e-CF 2.0
    for source, transcribed in zip(rows, matrix["rows"], strict=True):
        assert len(source) == 27 and source[26] == ""
        assert len(transcribed) == 26
        expected = [*source[:26]]
        if expected[0] == "Mene- dzselés":  # a word broken across lines in a narrow cell, joined
            expected[0] = "Menedzselés"
        assert transcribed == expected
    groups = [c for g in matrix["column_groups"] for c in g["columns"]]
    assert groups == header[4:26]


def test_the_notes_list_exactly_the_disagreements_computed_from_matrix_and_code_lists(seed) -> None:
    found = contradictions(read_matrix(seed["framework"]["attributes"]["summary_matrix"]), competences(seed))
    per_competence = {(c.competence, describe(c)) for c in found if c.kind == "codes"}
    noted = {
        (n["element"], n["text"])
        for n in seed["notes"]
        if n["kind"] == "inconsistency" and n["text"].startswith("The summary matrix marks ")
    }
    assert noted == per_competence
    framework_notes = [n["text"] for n in seed["notes"] if n["element"] is None]
    assert summary_note(found) in framework_notes


def test_c1_b5_and_the_mirror_case_e6_are_recorded(seed) -> None:
    found = contradictions(read_matrix(seed["framework"]["attributes"]["summary_matrix"]), competences(seed))
    kinds = {(c.competence, c.kind) for c in found}
    assert {("C.1", "not_marked"), ("B.5", "not_marked"), ("E.6", "codes")} <= kinds
    assert {c.competence for c in found if c.kind == "not_described"} == {"A.5", "A.6", "D.7", "E.8"}
    note = summary_note(found)
    assert "C.1 (dimension 4 lists B01, B02, B03, B04, B05, B08, B12)" in note
    assert "B.5 (dimension 4 is empty too)" in note
    assert "E.6 is marked in the summary matrix (under B11) but its code list in dimension 4 is empty" in note


def test_contradictions_of_a_small_matrix() -> None:
    matrix = {
        "columns": ["Area", "No.", "Title", "Imp", "T01", "T02", "B01"],
        "rows": [
            ["A", "X.1", "one", "", "X", "", ""],
            ["", "X.2", "two", "", "", "", ""],
            ["", "X.3", "three", "", "", "X", "X"],
            ["", "X.4", "four", "", "", "X", ""],
            ["", "X.5", "five", "", "", "", "X"],
        ],
    }
    rows = read_matrix(matrix)
    assert rows[2].marks == ("T02", "B01")
    found = contradictions(rows, {"X.1": ["T01"], "X.2": [], "X.3": ["B01", "T01"], "X.4": []})
    assert found == [
        Contradiction("X.2", "not_marked", (), ()),
        Contradiction("X.3", "codes", ("T02", "B01"), ("B01", "T01")),
        Contradiction("X.4", "codes", ("T02",), ()),
        Contradiction("X.5", "not_described", ("B01",)),
    ]
    assert found[1].marked_only == ("T02",) and found[1].listed_only == ("T01",)
    assert describe(found[2]) == (
        "The summary matrix marks T02 with an X; dimension 4 of the detailed profile lists no code "
        "(marked only in the matrix: T02)."
    )


def test_a_row_with_another_number_of_cells_than_the_header_is_refused() -> None:
    with pytest.raises(ValueError):
        read_matrix({"columns": ["a", "b", "c", "d", "T01"], "rows": [["", "X.1", "t", ""]]})
