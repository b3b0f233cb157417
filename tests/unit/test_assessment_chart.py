import xml.etree.ElementTree as ET

from markupsafe import Markup

from app.assessment.chart import AMBER, GREEN, Bar, levels_chart

NS = "{http://www.w3.org/2000/svg}"
LABELS = {n: f"e-{n}" for n in range(1, 6)}


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, no DTD


def rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == "levels-chart-row"]


def bar_fill(row: ET.Element) -> str | None:
    return next((r.get("fill") for r in row.iter(f"{NS}rect") if r.get("fill") != "none"), None)


def target_x(row: ET.Element) -> float:
    line = next(ln for ln in row.iter(f"{NS}line") if ln.get("class") == "levels-chart-target")
    return float(line.get("x1"))


def test_svg_structure_and_accessible_name() -> None:
    bars = [Bar("B.3", "Tesztelés", 3, 2), Bar("A.1", "Stratégia", 2, 4)]
    root = parse(levels_chart(bars, level_labels=LABELS, title="Eredmények"))
    assert root.tag == f"{NS}svg" and root.get("role") == "img" and root.get("width") == "100%"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == title_id
    assert root.find(f"{NS}title").text == "Eredmények"
    desc = root.find(f"{NS}desc")
    assert desc.get("id") == desc_id
    assert "B.3 Tesztelés: achieved e-2, target e-3" in desc.text
    assert "A.1 Stratégia: achieved e-4, target e-2" in desc.text
    assert len(rows(root)) == 2
    assert all(r.find(f"{NS}title") is not None for r in rows(root))
    axis = {t.text for t in root.iter(f"{NS}text")}
    assert {f"e-{n}" for n in range(1, 6)} <= axis


def test_output_is_deterministic_and_height_grows() -> None:
    one = levels_chart([Bar("B.3", "T", 3, 3)], title="x")
    assert one == levels_chart([Bar("B.3", "T", 3, 3)], title="x")
    three = levels_chart([Bar("B.3", "T", 3, 3)] * 3, title="x")
    height = lambda svg: float(parse(svg).get("viewBox").split()[3])  # noqa: E731
    assert height(three) > height(one)
    assert parse(one).get("aria-labelledby") != parse(levels_chart([], title="y")).get("aria-labelledby")


def test_colours_and_not_assessed() -> None:
    bars = [Bar("A", "a", 3, 3), Bar("B", "b", 3, 4), Bar("C", "c", 3, 2), Bar("D", "d", 3, None)]
    root = parse(levels_chart(bars, title="t", not_assessed_label="nem értékelt"))
    fills = [bar_fill(r) for r in rows(root)]
    assert fills == [GREEN, GREEN, AMBER, None]
    assert "nem értékelt" in [t.text for t in rows(root)[3].iter(f"{NS}text")]


def test_target_marker_moves_right_with_target() -> None:
    bars = [Bar(str(n), "x", n, None) for n in range(1, 6)]
    xs = [target_x(r) for r in rows(parse(levels_chart(bars, title="t")))]
    assert xs == sorted(xs) and len(set(xs)) == 5


def test_text_is_escaped() -> None:
    svg = levels_chart([Bar("<b>", "<script>alert(1)</script> & co", 2, 1)], title="<script>t</script>")
    root = parse(svg)
    assert "<script>" not in str(svg)
    assert "&lt;script&gt;" in str(svg)
    assert "<b> <script>alert(1)</script> & co" in root.find(f"{NS}desc").text
    assert root.find(f"{NS}title").text == "<script>t</script>"


def test_no_style_or_script_anywhere() -> None:
    bars = [Bar("B.3", "<style>x</style>", 3, 2), Bar("C", "c", None, None)]
    root = parse(levels_chart(bars, level_labels=LABELS, title="t"))
    for el in root.iter():
        assert el.tag not in {f"{NS}style", f"{NS}script"}
        assert "style" not in el.attrib
        assert not any(v.startswith(("http:", "https:", "//")) for k, v in el.attrib.items() if k != "xmlns")


def test_empty_list_gives_valid_svg_with_note() -> None:
    root = parse(levels_chart([], title="Nincs adat", empty_label="Nincs megjeleníthető kompetencia."))
    assert rows(root) == []
    assert "Nincs megjeleníthető kompetencia." in [t.text for t in root.iter(f"{NS}text")]
    assert root.find(f"{NS}desc").text == "Nincs megjeleníthető kompetencia."
