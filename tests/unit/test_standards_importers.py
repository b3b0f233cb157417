"""The CASE and Moodle converters: real packages, our fixtures with rubrics and 14 columns, hostile input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.standards.importers.case import convert_case
from app.standards.importers.detect import convert, detect_format
from app.standards.importers.report import MAX_IMPORT_BYTES, ImportReport
from tests.conftest import shared_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "interop"


def _case(name: str) -> Path:
    return shared_path("interop", "case", name)


def test_real_case_1_0_packages_import_with_every_adaptation_listed() -> None:
    for name, items in (
        ("opensalt_act_holistic_framework_math.json", 28),
        ("smarterbalanced_webb_dok_levels.json", 15),
    ):
        path = _case(name)
        result = convert(path.read_bytes(), path.name)
        assert result.format == "case" and result.ok, [str(p) for p in result.report.refusals]
        assert len(result.spec.elements) == items
        assert result.spec.kind == "imported_framework"
        wheres = [p.where for p in result.report.adaptations]
        assert "CFDocument.CFPackageURI" in wheres  # a 1.0 field the 1.1 schema forbids
        assert "CFItems[0].CFDocumentURI" in wheres
        assert "CFItems[0].CFItemType" in wheres  # 1.0 items without a type


def test_act_math_keeps_its_tree_in_sequence_order() -> None:
    path = _case("opensalt_act_holistic_framework_math.json")
    spec = convert(path.read_bytes(), path.name).spec
    assert spec.code == "act-holistic-framework-math"
    roots = [e for e in spec.elements if e.parent_key is None]
    assert all(e.type == "section" for e in roots)
    assert max(e.depth for e in spec.elements) >= 1
    assert all(e.attributes["case_identifier"] for e in spec.elements)
    assert spec.attributes["case_identifier"] == "a33fc64e-5c40-11e7-82c4-3d54268aa9ee"


def test_fixture_package_with_rubrics_and_associations() -> None:
    path = FIXTURES / "case_rubrics_package.json"
    result = convert(path.read_bytes(), path.name)
    assert result.ok, [str(p) for p in result.report.refusals]
    spec = result.spec
    assert spec.language == "en" and spec.version == "1.0" and spec.publisher == "Bekwaam"
    by_code = {e.code: e for e in spec.elements}
    assert [e.code for e in spec.elements if e.parent_key is None] == ["COM", "TEC"]  # sequenceNumber order
    assert by_code["COM"].type == "area" and by_code["COM.1"].type == "competence"
    assert by_code["TEC.1.a"].type == "descriptor" and by_code["TEC.1.a"].parent_key == "TEC.1"
    assert by_code["TEC.2"].attributes["case_item_type"] == "Badge task"
    aligned = {(a.source_key, a.target[1], a.relation): a.note for a in spec.alignments}
    assert aligned[("COM.1", "COM.2", "exact")] == "CASE exactMatchOf"
    assert aligned[("COM.1", "COM.2", "related")] == "CASE isPeerOf; CASE isRelatedTo"  # one row per relation
    assert aligned[("TEC.1", "TEC.2", "related")] == "CASE precedes"
    assert aligned[("TEC.1.a", "COM.1", "related")] == "CASE ext:inspiredBy"
    external = spec.attributes["case_external_associations"]
    assert external[0]["type"] == "exactMatchOf" and external[0]["destination_title"].startswith("Network")
    assert any("outside the package" in p.message for p in result.report.adaptations)
    scales = {s.code: s for s in spec.scales}
    assert len(scales) == 2  # two criteria share their levels, the third has its own
    shared = scales["workplace-assessment-task"]
    assert [(lv.value, lv.label) for lv in shared.levels] == [(0, "Not yet"), (1, "Competent"), (2, "Excellent")]
    assert by_code["TEC.1"].attributes["rubric_scales"] == ["workplace-assessment-task"]
    assert [lv.value for lv in scales["workplace-assessment-report"].levels] == [1, 3, 5]


def _package(items: list[dict[str, Any]], associations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"CFDocument": {"identifier": "doc", "title": "T"}, "CFItems": items, "CFAssociations": associations}


def _child(child: str, parent: str) -> dict[str, Any]:
    return {
        "associationType": "isChildOf",
        "originNodeURI": {"identifier": child},
        "destinationNodeURI": {"identifier": parent},
    }


def test_cycles_in_is_child_of_are_refused_naming_the_items() -> None:
    items = [{"identifier": i, "fullStatement": i, "humanCodingScheme": i.upper()} for i in ("a", "b", "c")]
    report = ImportReport()
    assert convert_case(_package(items, [_child("a", "b"), _child("b", "c"), _child("c", "a")]), report) is None
    assert [p.params["items"] for p in report.refusals] == ["A → B → C → A"]


def test_duplicate_identifiers_are_refused() -> None:
    items = [{"identifier": "x", "fullStatement": "one"}, {"identifier": "x", "fullStatement": "two"}]
    report = ImportReport()
    assert convert_case(_package(items, []), report) is None
    assert report.refusals[0].where == "CFItems[1].identifier"


def test_hostile_files_get_a_reason_not_an_exception() -> None:
    deep = ("[" * 5000 + "]" * 5000).encode()
    huge = json.dumps(_package([{"identifier": "a", "fullStatement": "x" * 30_000}], [])).encode()
    chain = [{"identifier": f"i{n}", "fullStatement": "t"} for n in range(40)]
    links = [_child(f"i{n}", f"i{n - 1}" if n else "doc") for n in range(40)]
    aliases = b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    for raw, name in (
        (deep, "deep.json"),
        (huge, "huge.json"),
        (json.dumps(_package(chain, links)).encode(), "chain.json"),
        (b"\xff\xfe", "x.csv"),
        (b" " * (MAX_IMPORT_BYTES + 1), "big.yaml"),
        (aliases, "bomb.yaml"),
        (b"not a known format", "x.txt"),
        (b'"Parent ID number","ID number"\n', "x.csv"),
    ):
        result = convert(raw, name)
        assert not result.ok and result.report.refusals, name


def test_moodle_legacy_12_column_file() -> None:
    path = shared_path("interop", "moodle", "moodlehq_plugin_fixture_pharmacy_legacy_12col.csv")
    result = convert(path.read_bytes(), path.name)
    assert result.format == "moodle" and result.ok, [str(p) for p in result.report.refusals]
    spec = result.spec
    assert spec.code == "pharmacy" and len(spec.elements) == 209
    assert Counter(e.type for e in spec.elements)["area"] == 6  # taxonomy level 1: domain
    scale = spec.scales[0]
    assert [(lv.label, lv.passing) for lv in scale.levels] == [
        ("Mostly separate knowing", False),
        ("Separate and connected", True),
        ("Mostly connected knowing", False),
    ]


def test_moodle_14_column_file_with_cross_references() -> None:
    path = FIXTURES / "moodle_14col.csv"
    result = convert(path.read_bytes(), path.name)
    assert result.ok, [str(p) for p in result.report.refusals]
    spec = result.spec
    by_code = {e.code: e for e in spec.elements}
    assert spec.title == "Kok niveau 2" and spec.code == "kok-2026"
    assert [lv.passing for lv in spec.scales[0].levels] == [False, True, True]
    assert by_code["KOK-B1"].type == "area" and by_code["KOK-B1-K2"].type == "competence"
    assert by_code["KOK-B1-K2-W1"].type == "descriptor" and by_code["KOK-B1-K2-W1"].depth == 2
    related = {(a.source_key, a.target[1]) for a in spec.alignments}
    assert related == {("KOK-B1-K1", "KOK-B1-K2"), ("KOK-B1-K2", "KOK-B1-K1"), ("KOK-B1-K2", "KOK-B2-K1")}
    assert [p.params.get("idnumber") for p in result.report.adaptations if "cross-reference" in p.message] == [
        "ONBEKEND"
    ]


def test_a_moodle_file_takes_the_language_chosen_on_upload_and_is_undetermined_without_one() -> None:
    raw = (FIXTURES / "moodle_14col.csv").read_bytes()
    chosen = convert(raw, "kok.csv", language="nl")
    assert chosen.ok and chosen.spec.language == "nl"
    assert [(p.message, p.params) for p in chosen.report.adaptations if "language" in p.message] == [
        ("Moodle files name no language: marked as %(language)s, chosen on upload", {"language": "nl"})
    ]
    none = convert(raw, "kok.csv")
    assert none.ok and none.spec.language == "und"
    assert any("choose the language of its texts on upload" in p.message for p in none.report.adaptations)
    wrong = convert(raw, "kok.csv", language="Nederlands")
    assert wrong.spec is None and "not a language code" in wrong.report.refusals[0].message


def test_a_case_package_keeps_its_own_language_and_takes_the_chosen_one_only_when_it_names_none() -> None:
    package = json.loads((FIXTURES / "case_rubrics_package.json").read_text("utf-8"))
    assert convert(json.dumps(package).encode(), "p.json", language="nl").spec.language == "en"
    del package["CFDocument"]["language"]
    result = convert(json.dumps(package).encode(), "p.json", language="nl-BE")
    assert result.ok and result.spec.language == "nl-BE"
    assert any(p.params == {"language": "nl-BE"} for p in result.report.adaptations)


def test_moodle_parent_cycle_and_duplicate_id_are_refused() -> None:
    header = '"Parent ID number","ID number","Short name","Is framework"\n'
    cycle = header + ",F,F,1\nB,A,a,0\nA,B,b,0\n"
    assert "cycle" in convert(cycle.encode(), "x.csv").report.refusals[0].message
    duplicate = header + ",F,F,1\n,A,a,0\n,A,b,0\n"
    assert "duplicate" in convert(duplicate.encode(), "x.csv").report.refusals[0].message


def test_format_detection() -> None:
    assert detect_format("x.json", "") == "case"
    assert detect_format("upload", '{"CFDocument": {}}') == "case"
    assert detect_format("x", "format: bekwaam-standard/1\n") == "yaml"
    assert detect_format("x", '"Parent ID number","ID number"\n') == "moodle"
    assert detect_format("x", "hello") is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)
identifiers = st.sampled_from(["a", "b", "c", "doc", "zz"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"identifier": identifiers}, optional={"fullStatement": json_values, "CFItemType": json_values}
        ),
        max_size=5,
    ),
    links=st.lists(
        st.fixed_dictionaries(
            {
                "associationType": st.sampled_from(["isChildOf", "exactMatchOf", "ext:x"]) | json_values,
                "originNodeURI": st.fixed_dictionaries({"identifier": identifiers}) | json_values,
                "destinationNodeURI": st.fixed_dictionaries({"identifier": identifiers}) | json_values,
            }
        ),
        max_size=6,
    ),
    extra=json_values,
)
def test_case_converter_never_raises(items: list[Any], links: list[Any], extra: Any) -> None:
    doc = {
        "CFDocument": {"identifier": "doc", "title": "T"},
        "CFItems": items,
        "CFAssociations": links,
        "CFRubrics": extra,
    }
    result = convert(json.dumps(doc).encode(), "fuzz.json")
    assert result.ok or result.report.refusals


def test_repeated_adaptations_group_into_one_row_per_message_with_its_places() -> None:
    report = ImportReport()
    for i in range(28):
        report.adapt(f"CFItems[{i}].CFDocumentURI", "a CASE 1.0 field the 1.1 schema does not allow: ignored")
    report.adapt("CFItems[3].CFItemType", "item type %(type)s imported as %(t)s", type="Strand", t="section")
    report.adapt("CFItems[4].CFItemType", "item type %(type)s imported as %(t)s", type="Topic", t="section")
    report.refuse("CFItems[5]", "refused")
    report.refuse("CFItems[6]", "refused")
    groups = report.grouped_adaptations()
    assert [(g.message, len(g.places)) for g in groups] == [
        ("a CASE 1.0 field the 1.1 schema does not allow: ignored", 28),
        ("item type %(type)s imported as %(t)s", 1),  # another parameter is another row
        ("item type %(type)s imported as %(t)s", 1),
    ]
    assert groups[0].shown() == ["CFItems[0].CFDocumentURI", "CFItems[1].CFDocumentURI", "CFItems[2].CFDocumentURI"]
    assert groups[0].hidden() == 25 and groups[1].hidden() == 0
    assert len(report.refusals) == 2  # problems stay one by one


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ext=st.fixed_dictionaries({}, optional={k: json_values for k in ("kind", "level", "eqfLevel", "attributes")}),
    item_ext=st.fixed_dictionaries(
        {}, optional={k: json_values for k in ("key", "type", "description", "attributes", "requiredLevel")}
    )
    | json_values,
    criteria=st.lists(st.fixed_dictionaries({}, optional={"CFRubricCriterionLevels": json_values}) | json_values)
    | json_values,
    assoc_ext=st.fixed_dictionaries({}, optional={k: json_values for k in ("key", "framework", "relation")})
    | json_values,
)
def test_case_converter_never_raises_on_hostile_bekwaam_extensions(
    ext: Any, item_ext: Any, criteria: Any, assoc_ext: Any
) -> None:
    """A package that claims to be Bekwaam's own export gets a reason, never an exception."""
    item = {"identifier": "i", "fullStatement": "I", "extensions": {"bekwaam": item_ext}}
    link = {
        "associationType": "isChildOf",
        "originNodeURI": {"identifier": "i"},
        "destinationNodeURI": {"identifier": "doc"},
    }
    other = {
        "associationType": "isRelatedTo",
        "originNodeURI": {"identifier": "i"},
        "extensions": {"bekwaam": assoc_ext},
    }
    doc = {
        "CFDocument": {
            "identifier": "doc",
            "title": "T",
            "extensions": {"bekwaam": {"code": "x", **(ext if isinstance(ext, dict) else {})}},
        },
        "CFItems": [item],
        "CFAssociations": [link, other],
        "CFRubrics": [{"title": "R", "CFRubricCriteria": criteria, "extensions": {"bekwaam": {"code": "r"}}}],
    }
    result = convert(json.dumps(doc).encode(), "fuzz.json")
    assert result.ok or result.report.refusals


def test_broken_case_json_is_refused_saying_where_without_the_parsers_english() -> None:
    result = convert(b'{"CFDocument": {\n  "identifier": }', "broken.json", "case")
    assert not result.ok
    (refusal,) = result.report.refusals
    assert refusal.params == {"line": 2, "column": 17}
    assert "Expecting" not in str(refusal)
