"""The seed validator: every kind of bad input is refused with file, path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.standards.seedfile import SeedValidationError, parse_files, parse_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "standards"

HEADER = """format: bekwaam-standard/1
framework: {code: t, title: T, kind: ecf_role_profile, language: hu}
scales:
  - code: ecf
    title: e-CF
    levels: [{value: 1, label: a}, {value: 2, label: b}, {value: 3, label: c}]
"""


def errors_of(text: str) -> list:
    with pytest.raises(SeedValidationError) as info:
        parse_text(text, "t.yaml")
    return info.value.errors


def test_valid_fixture_files_parse_with_derived_keys_and_levels() -> None:
    catalogue, profile = parse_files([FIXTURES / "mini-catalogue.yaml", FIXTURES / "mini-profile.yaml"])
    assert catalogue.code == "mini-catalogue"
    keys = [e.key for e in profile.elements]
    assert keys == [
        "A.1",
        "A.1/level-2",
        "A.1/level-3",
        "A.1/behaviour-1",
        "A.1/behaviour-2",
        "kennis",
        "K01",
    ]
    level2 = profile.elements[1]
    assert (level2.type, level2.title, level2.attributes["level"]) == ("level_descriptor", "Niveau twee tekst.", 2)
    assert profile.elements[0].required_level == ("prof", 3, "hoogste niveau")
    assert profile.alignments[0].target == ("mini-catalogue", "A.1")
    assert str(profile.validated_on) == "2015-03-23"


def test_malformed_yaml_names_file_and_line() -> None:
    errors = errors_of(HEADER + "elements:\n  - code: A\n    title: [unclosed\n")
    assert len(errors) == 1
    assert errors[0].file == "t.yaml"
    assert errors[0].line is not None and errors[0].line >= 9
    assert "malformed YAML" in errors[0].message


def test_unknown_element_type_is_refused_with_its_path_and_line() -> None:
    errors = errors_of(HEADER + "elements:\n  - {code: A, type: competence, title: x}\n  - {type: gadget, title: y}\n")
    assert [(e.path, e.line) for e in errors] == [("/elements/1/type", 9)]
    assert "'gadget' is not one of" in errors[0].message


def test_duplicate_code_is_refused() -> None:
    errors = errors_of(
        HEADER + "elements:\n  - {code: A.1, type: competence, title: x}\n  - {code: A.1, type: competence, title: y}\n"
    )
    assert len(errors) == 1
    assert "duplicate code 'A.1'" in errors[0].message
    assert errors[0].path == "/elements/1/code"
    assert errors[0].line == 9


def test_dangling_reference_inside_the_file_is_refused() -> None:
    errors = errors_of(
        HEADER + "elements:\n  - code: P1\n    type: profile\n    title: x\n    attributes: {comprises: [K9]}\n"
    )
    assert "dangling reference 'K9'" in errors[0].message
    assert errors[0].path == "/elements/0/attributes/comprises/0"


def test_dangling_reference_to_another_framework_is_refused() -> None:
    text = (
        HEADER + "elements:\n  - code: A.1\n    type: competence\n    title: x\n"
        "    alignments: [{to: 'nowhere:A.1', relation: exact}]\n"
    )
    path = Path(__file__).parent / "_dangling.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        with pytest.raises(SeedValidationError) as info:
            parse_files([path])
    finally:
        path.unlink()
    assert "unknown framework 'nowhere'" in str(info.value)


def test_alignment_to_missing_element_of_known_framework_is_refused() -> None:
    text = (
        (FIXTURES / "mini-profile.yaml").read_text(encoding="utf-8").replace("mini-catalogue:A.1", "mini-catalogue:Z.9")
    )
    path = Path(__file__).parent / "_missing.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        with pytest.raises(SeedValidationError) as info:
            parse_files([FIXTURES / "mini-catalogue.yaml", path])
    finally:
        path.unlink()
    assert "framework 'mini-catalogue' has no element 'Z.9'" in str(info.value)


def test_level_out_of_range_is_refused_for_descriptors_and_required_levels() -> None:
    errors = errors_of(
        HEADER
        + "elements:\n  - code: A.1\n    type: competence\n    title: x\n    levels: {2: ok, 7: too high}\n"
        + "    required_level: {level: 9}\n"
    )
    messages = sorted(e.message for e in errors)
    assert any("level 7 is out of range" in m for m in messages)
    assert any("level 9 is out of range" in m for m in messages)
    assert all(e.line for e in errors)


def test_missing_title_and_bad_framework_fields_are_reported_together() -> None:
    text = (
        "format: bekwaam-standard/1\n"
        "framework: {code: Bad Code, title: T, kind: nonsense, language: hu, eqf_level: 12}\n"
        "elements:\n  - {code: A, type: area}\n"
    )
    errors = errors_of(text)
    paths = {e.path for e in errors}
    assert {"/framework/code", "/framework/kind", "/framework/eqf_level", "/elements/0"} <= paths


def test_empty_title_is_refused() -> None:
    errors = errors_of(HEADER + "elements:\n  - {code: A, type: area, title: '   '}\n")
    assert errors[0].path == "/elements/0/title"


def test_error_string_names_file_line_and_path() -> None:
    errors = errors_of(HEADER + "elements:\n  - {type: gadget, title: y}\n")
    assert str(errors[0]).startswith("t.yaml:8: at /elements/0/type:")
